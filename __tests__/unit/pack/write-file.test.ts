import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { Readable } from "node:stream";
import { VerifyingStream } from "../../../src/oci/digest.js";
import { writeFileAtomically } from "../../../src/pack/write-file.js";

let sandbox: string;
beforeEach(async () => {
  sandbox = await mkdtemp(path.join(tmpdir(), "ocigraph-write-"));
});
afterEach(async () => {
  await rm(sandbox, { recursive: true, force: true });
});

function sha256(data: Buffer): string {
  return `sha256:${createHash("sha256").update(data).digest("hex")}`;
}

function chunks(data: Buffer, size = 1000): Readable {
  const parts: Buffer[] = [];
  for (let i = 0; i < data.length; i += size) parts.push(data.subarray(i, i + size));
  return Readable.from(parts);
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return (err as { code: string }).code;
  }
  throw new Error("expected a failure");
}

describe("writeFileAtomically", () => {
  const data = Buffer.from("x".repeat(10_000));

  it("writes the file, creating parents, and leaves no temp file", async () => {
    const dest = path.join(sandbox, "a", "b", "file.txt");
    await writeFileAtomically(dest, chunks(data), {});
    expect(await readFile(dest)).toEqual(data);
    expect(await readdir(path.dirname(dest))).toEqual(["file.txt"]);
  });

  it("removes the temp file (and the parents it made) when the source fails its digest", async () => {
    const dest = path.join(sandbox, "new", "file.txt");
    const wrong = sha256(Buffer.from("other"));
    const source = chunks(data).pipe(new VerifyingStream(wrong, data.length, "test blob"));
    expect(await codeOf(writeFileAtomically(dest, source, {}))).toBe("DIGEST_MISMATCH");
    expect(await readdir(sandbox)).toEqual([]);
  });

  it("keeps the old file when a replacement fails midway", async () => {
    const dest = path.join(sandbox, "file.txt");
    await writeFile(dest, "old");
    const source = chunks(data).pipe(new VerifyingStream(sha256(data), data.length - 1, "test blob"));
    expect(await codeOf(writeFileAtomically(dest, source, {}))).toBe("DIGEST_MISMATCH");
    expect(await readFile(dest, "utf8")).toBe("old");
    expect(await readdir(sandbox)).toEqual(["file.txt"]);
  });

  it("verifies with a VerifyingStream and commits when it matches", async () => {
    const dest = path.join(sandbox, "ok.bin");
    await writeFileAtomically(
      dest,
      chunks(data).pipe(new VerifyingStream(sha256(data), data.length, "t")),
      {},
    );
    expect(sha256(await readFile(dest))).toBe(sha256(data));
  });

  it("refuses an existing file with keepOldFiles, before reading the source", async () => {
    const dest = path.join(sandbox, "file.txt");
    await writeFile(dest, "old");
    const source = chunks(data);
    expect(await codeOf(writeFileAtomically(dest, source, { keepOldFiles: true }))).toBe("ALREADY_EXISTS");
    expect(await readFile(dest, "utf8")).toBe("old");
    expect(source.readableDidRead).toBe(false);
    expect(await readdir(sandbox)).toEqual(["file.txt"]);
  });

  it("writes a new file with keepOldFiles", async () => {
    const dest = path.join(sandbox, "fresh.txt");
    await writeFileAtomically(dest, chunks(data), { keepOldFiles: true });
    expect(await readFile(dest)).toEqual(data);
    expect(await readdir(sandbox)).toEqual(["fresh.txt"]);
  });

  it("replaces a symlink at dest instead of writing through it", async () => {
    const outside = path.join(sandbox, "outside.txt");
    await writeFile(outside, "precious");
    const dest = path.join(sandbox, "link.txt");
    await symlink(outside, dest);
    await writeFileAtomically(dest, chunks(data), {});
    expect(await readFile(outside, "utf8")).toBe("precious");
    expect(await readFile(dest)).toEqual(data);
  });
});
