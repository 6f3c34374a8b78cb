// `copy` checks a destination digest against the source before it copies anything.
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli, type CliIo } from "../../../src/cli/program";

function io(): CliIo & { out: string; err: string } {
  const result = {
    out: "",
    err: "",
    stdout: (t: string) => void (result.out += t),
    stderr: (t: string) => void (result.err += t),
    stdin: async () => "",
    env: {},
  };
  return result;
}

describe("copy to a wrong destination digest", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "ocigraph-copy-digest-"));
    await writeFile(join(dir, "a.txt"), "a");
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  test("fails before a single blob is written", async () => {
    const src = join(dir, "src");
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const pushed = io();
      expect(await runCli(["push", "--oci-layout", `${src}:v1`, "a.txt"], pushed)).toBe(0);
      const digest = /Digest: (sha256:[a-f0-9]{64})/.exec(pushed.out)?.[1] ?? "";
      const wrong = `sha256:${"0".repeat(64)}`;
      const dst = join(dir, "dst");
      const run = io();
      const code = await runCli(
        ["copy", "--from-oci-layout", "--to-oci-layout", `${src}:v1`, `${dst}@${wrong}`],
        run,
      );
      expect(code).toBe(1);
      expect(run.err).toContain(`${dst}@${wrong} names ${wrong}, but the source is ${digest}`);
      // The destination layout may exist (opened), but holds no blob.
      const blobs = existsSync(join(dst, "blobs", "sha256"))
        ? await readdir(join(dst, "blobs", "sha256"))
        : [];
      expect(blobs).toEqual([]);
    } finally {
      process.chdir(cwd);
    }
  });
});
