// Bad input, table-driven: every case must exit non-zero with exactly one `Error: ...` line on
// stderr naming what is wrong, print nothing on stdout, and write nothing anywhere: the
// registries' tags and referrers, the sandbox folder (inputs, pull output, its parent, an OCI
// layout) and the process's temp folder stay exactly as they were.
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { type CliRun, ocigraph, ok } from "../helpers/cli";
import { uniqueName } from "../helpers/targets";
import { testRegistries } from "../rig/env";
import { freePort } from "../rig/peers";

const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
const EMPTY_JSON = "application/vnd.oci.empty.v1+json";
const LAYER = "application/vnd.oci.image.layer.v1.tar";
const TITLE = "org.opencontainers.image.title";
const MISSING_DIGEST = `sha256:${"0".repeat(64)}`;

interface Ctx {
  /** Anonymous distribution: `host/repo`, with `v1` (the subject) and the hostile artifacts. */
  repo: string;
  /** htpasswd distribution: `host/repo`, with `v1`. */
  authRepo: string;
  auth: { username: string; password: string };
  /** Everything a case could write into: files/ (cwd), out/ (-o), layout/ (an OCI layout). */
  sandbox: string;
  files: string;
  out: string;
  layout: string;
  /** The absolute path the hostile "absolute title" artifact names (inside the sandbox). */
  absoluteTitle: string;
  closedPort: number;
}

interface Case {
  name: string;
  args: (c: Ctx) => string[];
  input?: string;
  /** Substrings the single error line must contain. */
  says: (c: Ctx) => string[];
}

const ctx = {} as Ctx;

const cases: Case[] = [
  {
    name: "reference with an uppercase repository",
    args: (c) => ["attach", `${c.repo.replace(/\/[^/]+$/, "/Upper")}:v1`, "--artifact-type", "a/b", "a.txt"],
    says: () => ['invalid reference "', '"Upper"'],
  },
  {
    name: "reference with bad tag characters",
    args: (c) => ["attach", `${c.repo}:bad!tag`, "--artifact-type", "a/b", "a.txt"],
    says: () => ['"bad!tag" is not a valid tag'],
  },
  {
    name: "reference with a truncated digest",
    args: (c) => ["attach", `${c.repo}@sha256:abc`, "--artifact-type", "a/b", "a.txt"],
    says: () => ["sha256:abc", "invalid reference"],
  },
  {
    name: "reference with an unsupported digest algorithm",
    args: (c) => ["discover", `${c.repo}@md5:d41d8cd98f00b204e9800998ecf8427e`],
    says: () => ['"md5"'],
  },
  {
    name: "attach to a reference without tag or digest",
    args: (c) => ["attach", c.repo, "--artifact-type", "a/b", "a.txt"],
    says: (c) => [c.repo, "needs a tag or a digest"],
  },
  {
    name: "attach a file that does not exist",
    args: (c) => ["attach", `${c.repo}:v1`, "--artifact-type", "a/b", "a.txt", "missing.txt"],
    says: () => ["file not found: missing.txt"],
  },
  {
    name: "missing annotation file",
    args: (c) => [
      "attach",
      `${c.repo}:v1`,
      "--artifact-type",
      "a/b",
      "a.txt",
      "--annotation-file",
      "nope.json",
    ],
    says: () => ["annotation file not found: nope.json"],
  },
  {
    name: "annotation file that is not JSON",
    args: (c) => [
      "attach",
      `${c.repo}:v1`,
      "--artifact-type",
      "a/b",
      "a.txt",
      "--annotation-file",
      "bad.json",
    ],
    says: () => ["bad.json", "not valid JSON"],
  },
  {
    name: "annotation file naming a file that is not attached",
    args: (c) => [
      "attach",
      `${c.repo}:v1`,
      "--artifact-type",
      "a/b",
      "a.txt",
      "--annotation-file",
      "ghost.json",
    ],
    says: () => ['"ghost.txt"'],
  },
  {
    name: "annotation without =",
    args: (c) => ["attach", `${c.repo}:v1`, "--artifact-type", "a/b", "a.txt", "-a", "novalue"],
    says: () => ['annotation "novalue" is not key=value'],
  },
  {
    name: "duplicate annotation key",
    args: (c) => ["attach", `${c.repo}:v1`, "--artifact-type", "a/b", "a.txt", "-a", "k=1", "-a", "k=2"],
    says: () => ['annotation "k" is given twice'],
  },
  {
    name: "invalid artifact type",
    args: (c) => ["attach", `${c.repo}:v1`, "--artifact-type", "not a type", "a.txt"],
    says: () => ['"not a type" is not a valid artifact type'],
  },
  {
    name: "invalid media type in path:type",
    args: (c) => ["attach", `${c.repo}:v1`, "--artifact-type", "a/b", "a.txt:not/a type"],
    says: () => ['"not/a type"', "not a valid media type"],
  },
  {
    name: "attach with nothing to attach",
    args: (c) => ["attach", `${c.repo}:v1`, "--artifact-type", "a/b"],
    says: () => ["nothing to attach"],
  },
  {
    name: "push to a digest instead of a tag",
    args: (c) => ["push", `${c.repo}@${MISSING_DIGEST}`, "a.txt"],
    says: (c) => ["push needs a tag", c.repo],
  },
  {
    name: "unknown host",
    args: () => ["attach", "nonexistent.invalid:5000/r:v1", "--artifact-type", "a/b", "a.txt"],
    says: () => ["cannot reach nonexistent.invalid:5000"],
  },
  {
    name: "connection refused",
    args: (c) => ["attach", `127.0.0.1:${c.closedPort}/r:v1`, "--artifact-type", "a/b", "a.txt"],
    says: (c) => [`127.0.0.1:${c.closedPort}`, "connection refused"],
  },
  {
    name: "wrong password on the htpasswd registry",
    args: (c) => [
      "attach",
      `${c.authRepo}:v1`,
      "--artifact-type",
      "a/b",
      "a.txt",
      "-u",
      c.auth.username,
      "-p",
      "wrong",
    ],
    says: (c) => [c.authRepo, "401"],
  },
  {
    name: "no credentials on the htpasswd registry",
    args: (c) => ["attach", `${c.authRepo}:v1`, "--artifact-type", "a/b", "a.txt"],
    says: (c) => [c.authRepo, "401"],
  },
  {
    name: "missing subject tag",
    args: (c) => ["attach", `${c.repo}:nope`, "--artifact-type", "a/b", "a.txt"],
    says: (c) => [`${c.repo}:nope`, "not found"],
  },
  {
    name: "missing subject digest",
    args: (c) => ["attach", `${c.repo}@${MISSING_DIGEST}`, "--artifact-type", "a/b", "a.txt"],
    says: (c) => [`${c.repo}@${MISSING_DIGEST}`, "not found"],
  },
  {
    name: "pull over an existing file with --keep-old-files",
    args: (c) => ["pull", `${c.repo}:v1`, "-o", c.out, "--keep-old-files"],
    says: (c) => [join(c.out, "a.txt"), "already exists"],
  },
  {
    name: "pull of a layer titled ../evil.txt",
    args: (c) => ["pull", `${c.repo}:evil`, "-o", c.out],
    says: () => ['"../evil.txt"'],
  },
  {
    name: "pull of a layer with an absolute title",
    args: (c) => ["pull", `${c.repo}:absolute`, "-o", c.out],
    says: (c) => [`refusing absolute path ${JSON.stringify(c.absoluteTitle)}`],
  },
  {
    name: "--oci-layout path that does not exist",
    args: (c) => ["pull", `${join(c.sandbox, "no-layout")}:v1`, "--oci-layout", "-o", c.out],
    says: (c) => [join(c.sandbox, "no-layout")],
  },
  {
    name: "attach to a missing tag in an OCI layout",
    args: (c) => ["attach", `${c.layout}:nope`, "--oci-layout", "--artifact-type", "a/b", "a.txt"],
    says: () => ["nope"],
  },
  {
    name: "--password and --password-stdin together",
    args: (c) => ["tags", c.authRepo, "-u", c.auth.username, "-p", "x", "--password-stdin"],
    input: "secret\n",
    says: () => ["--password", "--password-stdin", "not both"],
  },
  {
    name: "--password-stdin with empty stdin",
    args: (c) => [
      "attach",
      `${c.authRepo}:v1`,
      "--artifact-type",
      "a/b",
      "a.txt",
      "-u",
      "x",
      "--password-stdin",
    ],
    input: "",
    says: () => ["--password-stdin read an empty password"],
  },
  {
    name: "unknown CLI option",
    args: (c) => ["attach", `${c.repo}:v1`, "--artifact-type", "a/b", "a.txt", "--bogus-flag"],
    says: () => ["unknown option '--bogus-flag'"],
  },
  {
    name: "unknown command",
    args: () => ["frobnicate", "x"],
    says: () => ["unknown command 'frobnicate'"],
  },
  {
    name: "--concurrency 0",
    args: (c) => ["attach", `${c.repo}:v1`, "--artifact-type", "a/b", "a.txt", "--concurrency", "0"],
    says: () => ["--concurrency", '"0"'],
  },
  {
    name: "unknown --format choice",
    args: (c) => ["discover", `${c.repo}:v1`, "--format", "xml"],
    says: () => ["'xml'", "--format"],
  },
];

function sha256(data: Buffer | string): string {
  return `sha256:${createHash("sha256").update(data).digest("hex")}`;
}

/** Pushes a blob with POST + PUT ?digest=, as the distribution spec's monolithic upload. */
async function pushBlob(host: string, name: string, data: Buffer): Promise<string> {
  const digest = sha256(data);
  const post = await fetch(`http://${host}/v2/${name}/blobs/uploads/`, { method: "POST" });
  await post.arrayBuffer();
  if (post.status !== 202) throw new Error(`POST upload: ${post.status}`);
  const url = new URL(post.headers.get("location") ?? "", `http://${host}`);
  url.searchParams.set("digest", digest);
  const put = await fetch(url, {
    method: "PUT",
    headers: { "content-type": "application/octet-stream" },
    body: data,
  });
  await put.arrayBuffer();
  if (put.status !== 201) throw new Error(`PUT blob: ${put.status}`);
  return digest;
}

/** Pushes an artifact whose plain layers carry the given titles, straight through the HTTP API. */
async function pushTitled(host: string, name: string, tag: string, titles: string[]): Promise<void> {
  const empty = Buffer.from("{}");
  await pushBlob(host, name, empty);
  const layers = [];
  for (const title of titles) {
    const data = Buffer.from(`content of ${title}\n`);
    layers.push({
      mediaType: LAYER,
      digest: await pushBlob(host, name, data),
      size: data.length,
      annotations: { [TITLE]: title },
    });
  }
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    artifactType: "application/vnd.test.hostile",
    config: { mediaType: EMPTY_JSON, digest: sha256(empty), size: empty.length },
    layers,
  });
  const res = await fetch(`http://${host}/v2/${name}/manifests/${tag}`, {
    method: "PUT",
    headers: { "content-type": OCI_MANIFEST },
    body: manifest,
  });
  await res.arrayBuffer();
  if (res.status !== 201) throw new Error(`PUT manifest ${tag}: ${res.status}`);
}

/** Every path under `root` with a hash of each file's content: what "nothing written" compares. */
async function tree(root: string): Promise<string[]> {
  const entries: string[] = [];
  async function walk(dir: string): Promise<void> {
    for (const name of (await readdir(dir)).sort()) {
      const path = join(dir, name);
      const info = await stat(path);
      if (info.isDirectory()) {
        entries.push(`${relative(root, path)}/`);
        await walk(path);
      } else {
        entries.push(`${relative(root, path)} ${sha256(await readFile(path))}`);
      }
    }
  }
  await walk(root);
  return entries;
}

interface Snapshot {
  tags: string;
  referrers: string;
  authTags: string;
  authReferrers: string;
  sandbox: string[];
}

async function snapshot(c: Ctx): Promise<Snapshot> {
  const creds = ["-u", c.auth.username, "-p", c.auth.password];
  const [tags, referrers, authTags, authReferrers, sandbox] = await Promise.all([
    ok(["tags", c.repo, "--plain-http"]),
    ok(["discover", `${c.repo}:v1`, "--format", "json", "--plain-http"]),
    ok(["tags", c.authRepo, "--plain-http", ...creds]),
    ok(["discover", `${c.authRepo}:v1`, "--format", "json", "--plain-http", ...creds]),
    tree(c.sandbox),
  ]);
  return { tags, referrers, authTags, authReferrers, sandbox };
}

describe("bad input: one error line, non-zero exit, nothing written", () => {
  let before: Snapshot;
  let dockerConfig: string;

  beforeAll(async () => {
    const { distribution, distributionAuth } = testRegistries();
    ctx.auth = { username: distributionAuth.username, password: distributionAuth.password };
    const name = uniqueName("bad-input");
    ctx.repo = `${distribution}/${name}`;
    ctx.authRepo = `${distributionAuth.host}/${uniqueName("bad-input")}`;
    ctx.sandbox = await mkdtemp(join(tmpdir(), "ocigraph-bad-input-"));
    ctx.files = join(ctx.sandbox, "files");
    ctx.out = join(ctx.sandbox, "out");
    ctx.layout = join(ctx.sandbox, "layout");
    ctx.absoluteTitle = join(ctx.sandbox, "absolute-evil.txt");
    ctx.closedPort = await freePort();
    dockerConfig = await mkdtemp(join(tmpdir(), "ocigraph-bad-input-docker-"));

    await mkdir(ctx.files);
    await mkdir(ctx.out);
    await writeFile(join(ctx.files, "a.txt"), "attached content\n");
    await writeFile(join(ctx.files, "bad.json"), '{"$manifest": {"k": "v"');
    await writeFile(join(ctx.files, "ghost.json"), '{"ghost.txt": {"k": "v"}}');
    await writeFile(join(ctx.out, "a.txt"), "old content the pull must not replace\n");

    const cwd = { cwd: ctx.files };
    const creds = ["-u", ctx.auth.username, "-p", ctx.auth.password];
    await ok(["push", `${ctx.repo}:v1`, "a.txt", "--plain-http"], cwd);
    await ok(
      ["attach", `${ctx.repo}:v1`, "--artifact-type", "application/vnd.test.ok", "a.txt", "--plain-http"],
      cwd,
    );
    await ok(["push", `${ctx.authRepo}:v1`, "a.txt", "--plain-http", ...creds], cwd);
    await ok(["push", `${ctx.layout}:v1`, "a.txt", "--oci-layout"], cwd);
    // A harmless layer first: refusing must happen before anything at all is written.
    await pushTitled(distribution, name, "evil", ["good.txt", "../evil.txt"]);
    await pushTitled(distribution, name, "absolute", ["good.txt", ctx.absoluteTitle]);

    before = await snapshot(ctx);
    // The baseline holds what it should, so "unchanged" below means something.
    expect(before.tags.split("\n")).toEqual(expect.arrayContaining(["v1", "evil", "absolute"]));
    expect((JSON.parse(before.referrers) as { referrers: unknown[] }).referrers).toHaveLength(1);
    expect(before.authTags.trim()).toBe("v1");
    expect(before.sandbox).toContain(`out/a.txt ${sha256("old content the pull must not replace\n")}`);
    expect(before.sandbox).toContain("layout/");
  });

  afterAll(async () => {
    await rm(ctx.sandbox, { recursive: true, force: true });
    await rm(dockerConfig, { recursive: true, force: true });
  });

  it("has at least 20 cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });

  it.each(cases.map((c) => [c.name, c] as const))("%s", async (_name, testCase) => {
    const temp = await mkdtemp(join(tmpdir(), "ocigraph-bad-input-tmp-"));
    let result: CliRun;
    try {
      // Registries here speak plain HTTP; the flag is harmless for layout and usage cases.
      result = await ocigraph([...testCase.args(ctx), "--plain-http"], {
        cwd: ctx.files,
        input: testCase.input ?? "",
        // Each run gets its own temp folder (checked empty below) and no docker credentials.
        env: { TMPDIR: temp, DOCKER_CONFIG: dockerConfig },
      });
      expect(await readdir(temp)).toEqual([]);
    } finally {
      await rm(temp, { recursive: true, force: true });
    }
    const { code, stdout, stderr } = result;
    expect({ code: code === 0 ? 0 : "non-zero", stdout }).toEqual({ code: "non-zero", stdout: "" });
    expect(stderr).toMatch(/^Error: [^\n]+\n$/);
    expect(stderr).not.toMatch(/\n\s+at /);
    for (const part of testCase.says(ctx)) expect(stderr).toContain(part);

    expect(await snapshot(ctx)).toEqual(before);
  });
});
