import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import {
  chmod,
  lstat,
  mkdir,
  mkdtemp,
  readFile,
  readdir,
  readlink,
  realpath,
  rm,
  stat,
  symlink,
  utimes,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { Readable } from "node:stream";
import { gunzipSync, gzipSync } from "node:zlib";
import * as tar from "tar-stream";
import { VerifyingStream } from "../../../src/oci/digest.js";
import { packDirectory } from "../../../src/pack/directory.js";
import { unpackTarGzip } from "../../../src/pack/unpack.js";

const posix = process.platform !== "win32";
const itPosix = posix ? it : it.skip;

let sandbox: string;
beforeEach(async () => {
  sandbox = await mkdtemp(path.join(tmpdir(), "ocigraph-pack-"));
});
afterEach(async () => {
  await rm(sandbox, { recursive: true, force: true });
});

interface Spec {
  name: string;
  type?: tar.Header["type"];
  content?: string | Buffer;
  linkname?: string;
  mode?: number;
}

/** Builds a .tar.gz in memory with tar-stream, the way a hostile publisher could. */
async function tarGz(entries: Spec[]): Promise<Buffer> {
  const pack = tar.pack();
  const collected = (async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of pack) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  })();
  for (const e of entries) {
    const type = e.type ?? "file";
    await new Promise<void>((resolve, reject) => {
      const header = {
        name: e.name,
        type,
        mode: e.mode ?? (type === "directory" ? 0o755 : 0o644),
        mtime: new Date(0),
        ...(e.linkname === undefined ? {} : { linkname: e.linkname }),
        ...(type === "character-device" ? { devmajor: 1, devminor: 3 } : {}),
      };
      const cb = (err?: Error | null): void => (err ? reject(err) : resolve());
      if (type === "file") pack.entry(header, e.content ?? "", cb);
      else pack.entry(header, cb);
    });
  }
  pack.finalize();
  return gzipSync(await collected);
}

function sha256(data: Buffer): string {
  return `sha256:${createHash("sha256").update(data).digest("hex")}`;
}

/** Every path under dir (relative, `/`-separated), symlinks not followed. */
async function tree(dir: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(abs: string, rel: string): Promise<void> {
    for (const name of (await readdir(abs)).sort()) {
      const r = rel === "" ? name : `${rel}/${name}`;
      out.push(r);
      const info = await lstat(path.join(abs, name));
      if (info.isDirectory()) await walk(path.join(abs, name), r);
    }
  }
  await walk(dir, "");
  return out;
}

async function failure(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (err) {
    const e = err as { code: string; message: string };
    return { code: e.code, message: e.message };
  }
  throw new Error("expected a failure");
}

/** Headers of every entry in a .tar.gz file, in order. */
async function headersOf(file: string): Promise<tar.Header[]> {
  const extract = tar.extract();
  const headers: tar.Header[] = [];
  const reading = (async () => {
    for await (const entry of extract) {
      headers.push(entry.header);
      for await (const chunk of entry) void chunk;
    }
  })();
  extract.end(gunzipSync(await readFile(file)));
  await reading;
  return headers;
}

async function makeDetails(root: string, mtime: Date, fileMode: number): Promise<string> {
  const dir = path.join(root, "details");
  await mkdir(path.join(dir, "sub", "deeper"), { recursive: true });
  await writeFile(path.join(dir, "readme-details.md"), "# details\n");
  await writeFile(path.join(dir, "b.txt"), "b");
  await writeFile(path.join(dir, "a-c.txt"), "a-c");
  await writeFile(path.join(dir, "sub", "deeper", "data.bin"), Buffer.alloc(70_000, 7));
  await writeFile(path.join(dir, "run.sh"), "#!/bin/sh\necho hi\n");
  await chmod(path.join(dir, "run.sh"), 0o750);
  for (const f of ["readme-details.md", "b.txt", "a-c.txt"]) await chmod(path.join(dir, f), fileMode);
  if (posix) await symlink("sub/deeper/data.bin", path.join(dir, "link"));
  for (const rel of ["readme-details.md", "b.txt", "run.sh", "sub", "sub/deeper", "."]) {
    await utimes(path.join(dir, rel), mtime, mtime);
  }
  return dir;
}

describe("packDirectory", () => {
  it("gives the same digests for the same tree whatever the mtimes and umask-ish modes", async () => {
    const one = await makeDetails(path.join(sandbox, "one"), new Date("2001-01-01"), 0o644);
    const two = await makeDetails(path.join(sandbox, "two"), new Date("2024-06-30"), 0o600);
    const tmp = path.join(sandbox, "tmp");
    const a = await packDirectory(one, tmp, "details");
    const b = await packDirectory(two, tmp, "details");
    const c = await packDirectory(one, tmp, "details");
    expect(a.digest).toBe(b.digest);
    expect(a.uncompressedDigest).toBe(b.uncompressedDigest);
    expect(c.digest).toBe(a.digest);
    expect(a.path).not.toBe(b.path);

    const bytes = await readFile(a.path);
    expect(a.size).toBe(bytes.length);
    expect(a.digest).toBe(sha256(bytes));
    expect(a.uncompressedDigest).toBe(sha256(gunzipSync(bytes)));
    // gzip header: MTIME 0, OS 255 (unknown)
    expect([...bytes.subarray(0, 4)]).toEqual([0x1f, 0x8b, 8, 0]);
    expect(bytes.readUInt32LE(4)).toBe(0);
    expect(bytes[9]).toBe(0xff);

    // a different name is a different layer
    const d = await packDirectory(one, tmp, "other");
    expect(d.uncompressedDigest).not.toBe(a.uncompressedDigest);
  });

  it("lays entries out as oras-go's tarDirectory does, normalised", async () => {
    const dir = await makeDetails(sandbox, new Date("2010-01-01"), 0o600);
    const packed = await packDirectory(dir, path.join(sandbox, "tmp"), "details");
    const headers = await headersOf(packed.path);
    const expected = [
      ["details", "directory", 0o755],
      ["details/a-c.txt", "file", 0o644],
      ["details/b.txt", "file", 0o644],
      ...(posix ? [["details/link", "symlink", 0o777]] : []),
      ["details/readme-details.md", "file", 0o644],
      ["details/run.sh", "file", posix ? 0o755 : 0o644],
      ["details/sub", "directory", 0o755],
      ["details/sub/deeper", "directory", 0o755],
      ["details/sub/deeper/data.bin", "file", 0o644],
    ];
    expect(headers.map((h) => [h.name, h.type, h.mode])).toEqual(expected);
    for (const h of headers) {
      expect(h.mtime.getTime()).toBe(0);
      expect(h.uid).toBe(0);
      expect(h.gid).toBe(0);
      expect(h.uname).toBe("");
      expect(h.gname).toBe("");
    }
    if (posix) expect(headers.find((h) => h.name === "details/link")?.linkname).toBe("sub/deeper/data.bin");
  });

  itPosix("refuses a symlink leading out of the directory and leaves no temp file", async () => {
    const dir = path.join(sandbox, "details");
    await mkdir(dir);
    await symlink("/etc/passwd", path.join(dir, "passwd"));
    const tmp = path.join(sandbox, "tmp");
    const e = await failure(packDirectory(dir, tmp, "details"));
    expect(e.code).toBe("INVALID_INPUT");
    expect(e.message).toContain("passwd");
    expect(await readdir(tmp)).toEqual([]);
  });

  it("refuses unclean names and non-directories", async () => {
    await mkdir(path.join(sandbox, "d"));
    expect((await failure(packDirectory(path.join(sandbox, "d"), sandbox, "./d/"))).code).toBe(
      "INVALID_INPUT",
    );
    expect((await failure(packDirectory(path.join(sandbox, "d"), sandbox, ""))).code).toBe("INVALID_INPUT");
    await writeFile(path.join(sandbox, "f"), "x");
    expect((await failure(packDirectory(path.join(sandbox, "f"), sandbox, "f"))).code).toBe("INVALID_INPUT");
    expect((await failure(packDirectory(path.join(sandbox, "nope"), sandbox, "nope"))).code).toBe(
      "NOT_FOUND",
    );
  });
});

describe("pack -> unpack round trip", () => {
  it("restores the tree under the layer name and verifies both digests", async () => {
    const dir = await makeDetails(path.join(sandbox, "src"), new Date("2010-01-01"), 0o644);
    const packed = await packDirectory(dir, path.join(sandbox, "tmp"), "details");
    const out = path.join(sandbox, "out");
    const source = createReadStream(packed.path).pipe(
      new VerifyingStream(packed.digest, packed.size, "layer"),
    );
    const written = await unpackTarGzip(source, out, {
      expectedUncompressedDigest: packed.uncompressedDigest,
      prefix: "details",
    });
    expect(await tree(out)).toEqual(await tree(path.join(sandbox, "src")));
    expect(written).toContain(path.join(await realpath(out), "details", "sub", "deeper", "data.bin"));
    expect(await readFile(path.join(out, "details", "sub", "deeper", "data.bin"))).toEqual(
      Buffer.alloc(70_000, 7),
    );
    if (posix) {
      expect(await readlink(path.join(out, "details", "link"))).toBe("sub/deeper/data.bin");
      expect((await stat(path.join(out, "details", "run.sh"))).mode & 0o100).toBe(0o100);
    }
    // a second pull over the first replaces files (symlinks included) and merges directories
    await writeFile(path.join(out, "details", "mine.txt"), "kept");
    await unpackTarGzip(createReadStream(packed.path), out, {
      expectedUncompressedDigest: packed.uncompressedDigest,
    });
    expect(await readFile(path.join(out, "details", "mine.txt"), "utf8")).toBe("kept");
    expect((await readdir(out)).sort()).toEqual(["details"]);
  });

  it("leaves nothing when the uncompressed digest does not match", async () => {
    const dir = await makeDetails(path.join(sandbox, "src"), new Date("2010-01-01"), 0o644);
    const packed = await packDirectory(dir, path.join(sandbox, "tmp"), "details");
    const out = path.join(sandbox, "out");
    const wrong = sha256(Buffer.from("something else"));
    const e = await failure(
      unpackTarGzip(createReadStream(packed.path), out, { expectedUncompressedDigest: wrong }),
    );
    expect(e.code).toBe("DIGEST_MISMATCH");
    expect(await tree(sandbox)).not.toContain("out");

    await mkdir(out);
    await writeFile(path.join(out, "other.txt"), "x");
    expect(
      (
        await failure(
          unpackTarGzip(createReadStream(packed.path), out, { expectedUncompressedDigest: wrong }),
        )
      ).code,
    ).toBe("DIGEST_MISMATCH");
    expect(await tree(out)).toEqual(["other.txt"]);
  });

  it("leaves nothing when the compressed bytes fail their digest at the end", async () => {
    const dir = await makeDetails(path.join(sandbox, "src"), new Date("2010-01-01"), 0o644);
    const packed = await packDirectory(dir, path.join(sandbox, "tmp"), "details");
    const out = path.join(sandbox, "out");
    await mkdir(out);
    const source = createReadStream(packed.path).pipe(
      new VerifyingStream(sha256(Buffer.from("nope")), packed.size, "layer"),
    );
    expect((await failure(unpackTarGzip(source, out, {}))).code).toBe("DIGEST_MISMATCH");
    expect(await tree(out)).toEqual([]);
  });
});

describe("unpackTarGzip refuses hostile archives", () => {
  /** Unpacks into sandbox/out (with a marker file) and checks nothing changed anywhere. */
  async function refused(entries: Spec[], opts = {}): Promise<{ code: string; message: string }> {
    const out = path.join(sandbox, "out");
    await mkdir(out, { recursive: true });
    await writeFile(path.join(out, "marker"), "m");
    const before = await tree(sandbox);
    const e = await failure(unpackTarGzip(Readable.from([await tarGz(entries)]), out, opts));
    expect(await tree(sandbox)).toEqual(before);
    return e;
  }

  it("../evil", async () => {
    const e = await refused([
      { name: "ok.txt", content: "fine" },
      { name: "../evil", content: "x" },
    ]);
    expect(e.code).toBe("UNSAFE_PATH");
    expect(e.message).toContain("../evil");
  });

  it("nested ../ escape and backslash escape", async () => {
    expect((await refused([{ name: "a/../../evil", content: "x" }])).code).toBe("UNSAFE_PATH");
    expect((await refused([{ name: "a\\..\\..\\evil", content: "x" }])).code).toBe("UNSAFE_PATH");
  });

  it("/abs", async () => {
    const e = await refused([{ name: path.join(sandbox, "abs-evil"), content: "x" }]);
    expect(e.code).toBe("UNSAFE_PATH");
  });

  itPosix("a symlink to /etc, then a file through it", async () => {
    const e = await refused([
      { name: "etc", type: "symlink", linkname: "/etc" },
      { name: "etc/evil.conf", content: "x" },
    ]);
    expect(e.code).toBe("UNSAFE_PATH");
    expect(e.message).toContain("/etc");
  });

  itPosix("a symlink climbing out with ..", async () => {
    expect((await refused([{ name: "d/up", type: "symlink", linkname: "../../x" }])).code).toBe(
      "UNSAFE_PATH",
    );
  });

  itPosix("a symlink inside, then a file written through it", async () => {
    const e = await refused([
      { name: "d/real", type: "directory" },
      { name: "d/alias", type: "symlink", linkname: "real" },
      { name: "d/alias/file", content: "x" },
    ]);
    expect(e.code).toBe("UNSAFE_PATH");
  });

  itPosix("two harmless-looking symlinks that escape together", async () => {
    // s -> . is inside; l -> s/../.. would leave via the kernel's resolution of s
    const e = await refused([
      { name: "d/s", type: "symlink", linkname: "." },
      { name: "d/l", type: "symlink", linkname: "s/../../.." },
    ]);
    expect(e.code).toBe("UNSAFE_PATH");
  });

  itPosix("an existing symlink in destDir leading out", async () => {
    const out = path.join(sandbox, "out");
    const outside = path.join(sandbox, "outside");
    await mkdir(outside);
    await mkdir(out);
    await symlink(outside, path.join(out, "docs"));
    const archive = await tarGz([{ name: "docs/evil", content: "x" }]);
    const e = await failure(unpackTarGzip(Readable.from([archive]), out, {}));
    expect(e.code).toBe("UNSAFE_PATH");
    expect(await readdir(outside)).toEqual([]);
    // and a link of ours routed through it
    const archive2 = await tarGz([{ name: "l", type: "symlink", linkname: "docs/x" }]);
    expect((await failure(unpackTarGzip(Readable.from([archive2]), out, {}))).code).toBe("UNSAFE_PATH");
    expect(await tree(out)).toEqual(["docs"]);
  });

  it("hard link", async () => {
    const e = await refused([
      { name: "a.txt", content: "x" },
      { name: "b.txt", type: "link", linkname: "a.txt" },
    ]);
    expect(e.code).toBe("UNSAFE_PATH");
    expect(e.message).toContain("hard link");
  });

  it("character device and fifo", async () => {
    expect((await refused([{ name: "null", type: "character-device" }])).code).toBe("UNSAFE_PATH");
    expect((await refused([{ name: "pipe", type: "fifo" }])).code).toBe("UNSAFE_PATH");
  });

  it("duplicate names", async () => {
    const e = await refused([
      { name: "d/a.txt", content: "one" },
      { name: "d/./a.txt", content: "two" },
    ]);
    expect(e.code).toBe("INVALID_CONTENT");
    expect(e.message).toContain("duplicate");
  });

  it("a decompression bomb over maxBytes", async () => {
    const bomb = Buffer.alloc(4 * 1024 * 1024);
    const e = await refused([{ name: "zeros", content: bomb }], { maxBytes: 1024 * 1024 });
    expect(e.code).toBe("TOO_LARGE");
  });

  it("an entry outside the layer's prefix", async () => {
    const e = await refused(
      [
        { name: "details/ok", content: "x" },
        { name: "elsewhere/x", content: "x" },
      ],
      { prefix: "details" },
    );
    expect(e.code).toBe("UNSAFE_PATH");
  });

  it("a file that would replace the output directory", async () => {
    expect((await refused([{ name: ".", content: "x" }])).code).toBe("UNSAFE_PATH");
  });

  it("an output directory that is a file", async () => {
    const out = path.join(sandbox, "file");
    await writeFile(out, "x");
    const archive = await tarGz([{ name: "a", content: "a" }]);
    expect((await failure(unpackTarGzip(Readable.from([archive]), out, {}))).code).toBe("INVALID_INPUT");
    expect(await readFile(out, "utf8")).toBe("x");
  });

  it("garbage instead of gzip", async () => {
    const out = path.join(sandbox, "out");
    const e = await failure(unpackTarGzip(Readable.from([Buffer.from("not a gzip stream")]), out, {}));
    expect(e.code).toBe("INVALID_CONTENT");
    expect(await readdir(sandbox)).toEqual([]);
  });
});

describe("unpackTarGzip options", () => {
  it("keepOldFiles: an existing file is ALREADY_EXISTS and nothing is written", async () => {
    const out = path.join(sandbox, "out");
    await mkdir(path.join(out, "d"), { recursive: true });
    await writeFile(path.join(out, "d", "b.txt"), "old");
    const archive = await tarGz([
      { name: "d/a.txt", content: "new a" },
      { name: "d/b.txt", content: "new b" },
    ]);
    const e = await failure(unpackTarGzip(Readable.from([archive]), out, { keepOldFiles: true }));
    expect(e.code).toBe("ALREADY_EXISTS");
    expect(await tree(out)).toEqual(["d", "d/b.txt"]);
    expect(await readFile(path.join(out, "d", "b.txt"), "utf8")).toBe("old");

    await unpackTarGzip(Readable.from([archive]), out, {});
    expect(await readFile(path.join(out, "d", "b.txt"), "utf8")).toBe("new b");
  });

  it("refuses a file where a directory exists, before moving anything", async () => {
    const out = path.join(sandbox, "out");
    await mkdir(path.join(out, "d", "b.txt"), { recursive: true });
    const archive = await tarGz([
      { name: "a.txt", content: "a" },
      { name: "d/b.txt", content: "b" },
    ]);
    expect((await failure(unpackTarGzip(Readable.from([archive]), out, {}))).code).toBe("ALREADY_EXISTS");
    expect(await tree(out)).toEqual(["d", "d/b.txt"]);
  });

  it("allowTraversal lets ../ entries land beside destDir", async () => {
    const out = path.join(sandbox, "out");
    const archive = await tarGz([
      { name: "../beside/x.txt", content: "x" },
      { name: "in.txt", content: "i" },
    ]);
    await unpackTarGzip(Readable.from([archive]), out, { allowTraversal: true });
    expect(await readFile(path.join(sandbox, "beside", "x.txt"), "utf8")).toBe("x");
    expect(await tree(out)).toEqual(["in.txt"]);
  });

  it("strips setuid bits and keeps exec bits", async () => {
    const out = path.join(sandbox, "out");
    const archive = await tarGz([{ name: "tool", content: "#!/bin/sh\n", mode: 0o4755 }]);
    await unpackTarGzip(Readable.from([archive]), out, {});
    const mode = (await stat(path.join(out, "tool"))).mode;
    expect(mode & 0o4000).toBe(0);
    if (posix) expect(mode & 0o100).toBe(0o100);
  });
});
