// Issue 6, item 5: hostile artifacts on pull, end to end. A corpus of artifacts is pushed to the
// rig's distribution with plain fetch (no ocigraph code involved), then `ocigraph pull` runs on
// each from inside a sandbox. Every one must be refused with one `Error:` line and exit 1, and
// nothing may appear anywhere in the sandbox: not outside the output folder, not inside it, not
// in TMPDIR. src/pack has unit tests for the same checks; this proves the CLI path.
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { gzipSync } from "node:zlib";
import * as tar from "tar-stream";
import { runBounded } from "../helpers/faults";
import { uniqueName } from "../helpers/targets";
import { testRegistries } from "../rig/env";
import { recordFigure, testFileOf } from "./figures";

const TITLE = "org.opencontainers.image.title";
const UNPACK = "io.deis.oras.content.unpack";
const TAR_GZ = "application/vnd.oci.image.layer.v1.tar+gzip";
const MAX_UNPACK = 1024 * 1024; // OCIGRAPH_MAX_UNPACK_BYTES for the run: the bomb unpacks to 64 MiB

interface Layer {
  data: Buffer;
  title?: string;
  unpack?: boolean;
  mediaType?: string;
}

type TarEntry = Partial<tar.Header> & { name: string; content?: Buffer };

async function tarGz(entries: TarEntry[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  pack.on("data", (c: unknown) => chunks.push(c as Buffer));
  const done = new Promise<void>((resolve, reject) => {
    pack.on("end", resolve);
    pack.on("error", reject);
  });
  for (const { content, ...header } of entries) {
    await new Promise<void>((resolve, reject) =>
      pack.entry({ mode: 0o644, mtime: new Date(0), ...header }, content ?? Buffer.alloc(0), (err) =>
        err ? reject(err) : resolve(),
      ),
    );
  }
  pack.finalize();
  await done;
  return gzipSync(Buffer.concat(chunks));
}

const file = (name: string, text = "evil\n"): TarEntry => ({
  name,
  type: "file",
  content: Buffer.from(text),
});
const dir = (title: string, data: Buffer): Layer => ({ data, title, unpack: true, mediaType: TAR_GZ });

interface Sandbox {
  root: string;
  /** cwd of the CLI. */
  work: string;
  out: string;
  /** Where escapes would land. */
  outside: string;
}

interface Artifact {
  name: string;
  layers: (s: Sandbox) => Promise<Layer[]>;
  /** Substring of the error line. */
  says: string;
}

const corpus: Artifact[] = [
  {
    name: "title ../evil.txt",
    layers: async () => [{ data: Buffer.from("x"), title: "../evil.txt" }],
    says: "evil.txt",
  },
  {
    name: "title climbing through a subfolder (a/../../evil.txt)",
    layers: async () => [{ data: Buffer.from("x"), title: "a/../../evil.txt" }],
    says: "evil.txt",
  },
  {
    name: "absolute title",
    layers: async (s) => [{ data: Buffer.from("x"), title: join(s.outside, "evil.txt") }],
    says: "evil.txt",
  },
  { name: 'title ".."', layers: async () => [{ data: Buffer.from("x"), title: ".." }], says: ".." },
  {
    name: "harmless layer first, then ../ title (refused before anything is written)",
    layers: async () => [
      { data: Buffer.from("good"), title: "good.txt" },
      { data: Buffer.from("x"), title: "../evil.txt" },
    ],
    says: "evil.txt",
  },
  {
    name: "two layers with the same title",
    layers: async () => [
      { data: Buffer.from("one"), title: "same.txt" },
      { data: Buffer.from("two"), title: "same.txt" },
    ],
    says: "same.txt",
  },
  {
    name: "title with a NUL byte",
    layers: async () => [{ data: Buffer.from("x"), title: "evil\u0000.txt" }],
    says: "evil",
  },
  {
    name: "tar entry escaping through ..",
    layers: async () => [dir("dir", await tarGz([file("dir/ok.txt"), file("dir/../../evil.txt")]))],
    says: "evil.txt",
  },
  {
    name: "tar entry with an absolute path",
    layers: async (s) => [dir("dir", await tarGz([file(join(s.outside, "evil.txt"))]))],
    says: "evil.txt",
  },
  {
    name: "tar entry outside the layer's title folder",
    layers: async () => [dir("dir", await tarGz([file("dir/ok.txt"), file("other/evil.txt")]))],
    says: "evil.txt",
  },
  {
    name: "tar symlink pointing outside",
    layers: async (s) => [
      dir("dir", await tarGz([{ name: "dir/link", type: "symlink", linkname: s.outside }])),
    ],
    says: "link",
  },
  {
    name: "tar symlink climbing out, then a file written through it",
    layers: async () => [
      dir(
        "dir",
        await tarGz([
          { name: "dir/link", type: "symlink", linkname: "../../outside" },
          file("dir/link/evil.txt"),
        ]),
      ),
    ],
    says: "link",
  },
  {
    name: "tar hard link to a file outside",
    layers: async (s) => [
      dir("dir", await tarGz([{ name: "dir/hard", type: "link", linkname: join(s.outside, "marker.txt") }])),
    ],
    says: "hard",
  },
  {
    name: "tar hard link climbing out through ..",
    layers: async () => [
      dir("dir", await tarGz([{ name: "dir/hard", type: "link", linkname: "../outside/marker.txt" }])),
    ],
    says: "hard",
  },
  {
    name: "tar character device",
    layers: async () => [
      dir("dir", await tarGz([{ name: "dir/null", type: "character-device", devmajor: 1, devminor: 3 }])),
    ],
    says: "dir/null",
  },
  {
    name: "tar block device",
    layers: async () => [
      dir("dir", await tarGz([{ name: "dir/sda", type: "block-device", devmajor: 8, devminor: 0 }])),
    ],
    says: "dir/sda",
  },
  {
    name: "tar FIFO",
    layers: async () => [dir("dir", await tarGz([{ name: "dir/pipe", type: "fifo" }]))],
    says: "dir/pipe",
  },
  {
    name: "tar with a duplicate entry name",
    layers: async () => [dir("dir", await tarGz([file("dir/a.txt", "one"), file("dir/a.txt", "two")]))],
    says: "dir/a.txt",
  },
  {
    name: "decompression bomb (64 MiB of zeros in ~64 KiB, limit 1 MiB)",
    layers: async () => [
      dir("dir", await tarGz([{ name: "dir/zeros", type: "file", content: Buffer.alloc(64 * 1024 * 1024) }])),
    ],
    says: "more than",
  },
  {
    name: "directory layer that is not gzip at all",
    layers: async () => [dir("dir", Buffer.from("<html>this is not a tarball</html>"))],
    says: "cannot unpack",
  },
  {
    name: "tar entry name longer than the file system allows",
    layers: async () => [dir("dir", await tarGz([file(`dir/${"n".repeat(300)}`)]))],
    says: "nnnn",
  },
];

// --- pushing with plain fetch -----------------------------------------------------------------

const sha256 = (data: Buffer | string) => `sha256:${createHash("sha256").update(data).digest("hex")}`;

async function pushBlob(host: string, name: string, data: Buffer): Promise<string> {
  const digest = sha256(data);
  const start = await fetch(`http://${host}/v2/${name}/blobs/uploads/`, { method: "POST" });
  if (start.status !== 202) throw new Error(`POST upload: ${start.status}`);
  const location = new URL(start.headers.get("location")!, `http://${host}`);
  location.searchParams.set("digest", digest);
  const put = await fetch(location, {
    method: "PUT",
    body: data,
    headers: { "content-type": "application/octet-stream" },
  });
  if (put.status !== 201) throw new Error(`PUT blob: ${put.status} ${await put.text()}`);
  return digest;
}

async function pushArtifact(host: string, name: string, tag: string, layers: Layer[]): Promise<void> {
  const empty = Buffer.from("{}");
  await pushBlob(host, name, empty);
  const descriptors = [];
  for (const l of layers) {
    const annotations: Record<string, string> = {};
    if (l.title !== undefined) annotations[TITLE] = l.title;
    if (l.unpack) annotations[UNPACK] = "true";
    descriptors.push({
      mediaType: l.mediaType ?? "application/octet-stream",
      digest: await pushBlob(host, name, l.data),
      size: l.data.length,
      annotations,
    });
  }
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    artifactType: "application/vnd.test.hostile",
    config: { mediaType: "application/vnd.oci.empty.v1+json", digest: sha256(empty), size: 2 },
    layers: descriptors,
  });
  const res = await fetch(`http://${host}/v2/${name}/manifests/${tag}`, {
    method: "PUT",
    body: manifest,
    headers: { "content-type": "application/vnd.oci.image.manifest.v1+json" },
  });
  if (res.status !== 201) throw new Error(`PUT manifest ${tag}: ${res.status} ${await res.text()}`);
}

/** Every path under `root` with its type and, for files, a hash of the content. */
async function tree(root: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(d: string): Promise<void> {
    for (const entry of await readdir(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      const rel = relative(root, p);
      if (entry.isDirectory()) {
        out.push(`${rel}/`);
        await walk(p);
      } else if (entry.isFile()) out.push(`${rel} ${sha256(await readFile(p))} ${(await stat(p)).nlink}`);
      else out.push(`${rel} (${entry.isSymbolicLink() ? "symlink" : "special"})`);
    }
  }
  await walk(root);
  return out.sort();
}

const outcomes = new Map<string, { passed: boolean; line: string }>();

describe("hostile artifacts on pull: refused, nothing written inside or outside the output folder", () => {
  const repoName = uniqueName("hostile-artifacts");
  let host: string;

  beforeAll(() => {
    host = testRegistries().distribution;
  });

  afterAll(() => {
    recordFigure({
      name: "hostile-artifacts",
      title: "Hostile artifacts on pull",
      issueItem: 5,
      testFile: testFileOf(__filename),
      parameters: {
        registry: "distribution 2.8",
        "unpack limit (bytes)": MAX_UNPACK,
        artifacts: corpus.length,
      },
      scenarios: corpus.map((a) => ({
        scenario: a.name,
        runs: outcomes.has(a.name) ? 1 : 0,
        passed: outcomes.get(a.name)?.passed ? 1 : 0,
        notes: outcomes.get(a.name)?.line ?? "(not run)",
      })),
    });
  });

  it("has a corpus of at least 15 artifacts", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(15);
  });

  it.each(corpus.map((a, i) => [a.name, a, i] as const))("%s", async (name, artifact, i) => {
    outcomes.set(name, { passed: false, line: "" });
    const root = await mkdtemp(join(tmpdir(), "ocigraph-hostile-pull-"));
    const s: Sandbox = {
      root,
      work: join(root, "work"),
      out: join(root, "work", "out"),
      outside: join(root, "outside"),
    };
    const temp = join(root, "tmp");
    try {
      await mkdir(s.out, { recursive: true });
      await mkdir(s.outside);
      await mkdir(temp);
      await writeFile(join(s.outside, "marker.txt"), "a file that must stay as it is\n");
      const tag = `a${i}`;
      await pushArtifact(host, repoName, tag, await artifact.layers(s));
      const before = await tree(root);

      const result = await runBounded(["pull", `${host}/${repoName}:${tag}`, "-o", s.out, "--plain-http"], {
        cwd: s.work,
        env: { TMPDIR: temp, OCIGRAPH_MAX_UNPACK_BYTES: String(MAX_UNPACK) },
        killAfterMs: 60_000,
      });
      const line = result.stderr
        .trim()
        .split(root)
        .join("<sandbox>")
        .replace(/127\.0\.0\.1:\d+/g, "HOST")
        .slice(0, 200);
      outcomes.set(name, { passed: false, line });
      expect({ hung: result.hung, code: result.code }).toEqual({ hung: false, code: 1 });
      expect(result.stderr).toMatch(/^Error: [^\n]+\n$/);
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(result.stderr).toContain(artifact.says);
      expect(result.stdout).not.toMatch(/^(Downloaded|Pulled)/m);
      expect(await tree(root)).toEqual(before);
      outcomes.set(name, { passed: true, line });
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
