// Issue 10, point 5: SIGINT or SIGTERM in the middle of a transfer of 100 MiB or more (pull,
// copy between layouts and between registries, attach, push) removes every temporary file the
// command made, prints one line, exits 130 or 143, tags nothing new, and a re-run completes.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CLI, ok } from "../helpers/cli";
import { registryPlace } from "../helpers/targets";
import { type RestartableRegistry, startDistribution } from "../rig/peers";

const SIZE = 110 * 1024 * 1024;
const TAG_NAME = "org.opencontainers.image.ref.name";

let work: string;
let registry: RestartableRegistry;
let other: RestartableRegistry;

/** Writes `size` random bytes to `file` in 1 MiB chunks. */
async function randomFile(file: string, size: number): Promise<void> {
  const out = createWriteStream(file);
  for (let i = 0; i < size / (1024 * 1024); i++) {
    if (!out.write(randomBytes(1024 * 1024))) await new Promise<void>((r) => out.once("drain", () => r()));
  }
  await new Promise<void>((resolve, reject) =>
    out.end((err?: Error | null) => (err ? reject(err) : resolve())),
  );
}

/** Every path below `dir` (files and folders), relative names. */
async function walk(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { recursive: true })).map(String);
  } catch {
    return [];
  }
}

interface Interrupted {
  code: number | null;
  stderr: string;
  tmp: string;
}

/**
 * Runs the CLI with its own TMPDIR, sends `signal` once `ready()` says the transfer is under
 * way, and returns how it ended. Fails if it ended before the signal could be sent.
 */
async function interrupt(
  args: string[],
  signal: "SIGINT" | "SIGTERM",
  ready: (tmp: string) => Promise<boolean>,
): Promise<Interrupted> {
  const tmp = await mkdtemp(join(work, "tmpdir-"));
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: work,
    env: { ...process.env, TMPDIR: tmp },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  child.stdout.resume();
  const ended = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  let exited = false;
  void ended.then(() => (exited = true));
  const deadline = Date.now() + 60_000;
  while (!(await ready(tmp))) {
    if (exited) throw new Error(`ocigraph ${args.join(" ")} ended before the signal: ${stderr}`);
    if (Date.now() > deadline) throw new Error("the transfer never started");
    await new Promise((r) => setTimeout(r, 5));
  }
  child.kill(signal);
  return { code: await ended, stderr, tmp };
}

function expectCleanExit(run: Interrupted, signal: "SIGINT" | "SIGTERM"): void {
  expect(run.code).toBe(signal === "SIGINT" ? 130 : 143);
  const lines = run.stderr.trim().split("\n");
  expect(lines).toEqual([
    `Interrupted (${signal}): temporary files removed, nothing newly tagged; run the same command again to resume`,
  ]);
}

async function layoutTags(layout: string): Promise<string[]> {
  try {
    const index = JSON.parse(await readFile(join(layout, "index.json"), "utf8")) as {
      manifests: { annotations?: Record<string, string> }[];
    };
    return index.manifests.map((m) => m.annotations?.[TAG_NAME]).filter((t): t is string => !!t);
  } catch {
    return [];
  }
}

const hasFile = (dir: string, pattern: RegExp) => async () => (await walk(dir)).some((p) => pattern.test(p));

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "ocigraph-interrupts-"));
  await randomFile(join(work, "big.bin"), SIZE);
  await mkdir(join(work, "bigdir"));
  await randomFile(join(work, "bigdir", "data.bin"), SIZE);
  registry = await startDistribution();
  // Copies within one registry mount blobs: the copy goes to a second one, so bytes flow.
  other = await startDistribution();
  // A source layout holding the 110 MiB artifact, tagged v1.
  await ok(
    [
      "push",
      "--oci-layout",
      `${join(work, "src")}:v1`,
      "big.bin",
      "--artifact-type",
      "application/vnd.test.big",
    ],
    {
      cwd: work,
    },
  );
}, 120_000);

afterAll(async () => {
  await registry?.stop();
  await other?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

describe("an interrupt in the middle of a transfer", () => {
  it("push to a layout: no *.tmp left, no tag, and a re-run completes", async () => {
    const layout = join(work, "push-layout");
    const args = [
      "push",
      "--oci-layout",
      `${layout}:v1`,
      "big.bin",
      "--artifact-type",
      "application/vnd.test.big",
    ];
    const run = await interrupt(args, "SIGINT", hasFile(join(layout, "blobs"), /\.tmp$/));
    expectCleanExit(run, "SIGINT");
    expect((await walk(layout)).filter((p) => /tmp/.test(p))).toEqual([]);
    expect(await layoutTags(layout)).toEqual([]);
    await ok(args, { cwd: work });
    expect(await layoutTags(layout)).toEqual(["v1"]);
  });

  it("pull: no *.ocigraph-tmp left and no partial file", async () => {
    const out = join(work, "pulled");
    const args = ["pull", "--oci-layout", `${join(work, "src")}:v1`, "-o", out];
    const run = await interrupt(args, "SIGTERM", hasFile(out, /\.ocigraph-tmp$/));
    expectCleanExit(run, "SIGTERM");
    expect(await walk(out)).toEqual([]);
    await ok(args, { cwd: work });
    expect((await stat(join(out, "big.bin"))).size).toBe(SIZE);
  });

  it("copy between layouts: no *.tmp left, no tag, and a re-run completes", async () => {
    const dst = join(work, "copy-layout");
    const args = [
      "copy",
      "-r",
      `${join(work, "src")}:v1`,
      `${dst}:v1`,
      "--from-oci-layout",
      "--to-oci-layout",
    ];
    const run = await interrupt(args, "SIGINT", hasFile(join(dst, "blobs"), /\.tmp$/));
    expectCleanExit(run, "SIGINT");
    expect((await walk(dst)).filter((p) => /tmp/.test(p))).toEqual([]);
    expect(await layoutTags(dst)).toEqual([]);
    await ok(args, { cwd: work });
    expect(await layoutTags(dst)).toEqual(["v1"]);
  });

  it("attach of a folder: the attach temp folder goes, no referrer is added", async () => {
    const layout = join(work, "src");
    const args = [
      "attach",
      "--oci-layout",
      `${layout}:v1`,
      "bigdir",
      "--artifact-type",
      "application/vnd.test.dir",
    ];
    const run = await interrupt(args, "SIGTERM", (tmp) => hasFile(tmp, /^ocigraph-attach-[^/]+\/.+/)());
    expectCleanExit(run, "SIGTERM");
    expect(await walk(run.tmp)).toEqual([]);
    const graph = JSON.parse(await ok(["discover", "--oci-layout", `${layout}:v1`, "--format", "json"])) as {
      referrers: unknown[];
    };
    expect(graph.referrers).toEqual([]);
  });

  it("copy between registries and push to a registry: no tag, and a re-run completes", async () => {
    const src = registryPlace("distribution", registry.host, "interrupt-src");
    const dst = registryPlace("distribution", other.host, "interrupt-dst");
    const uploading = (reg: RestartableRegistry, repo: string) => async () =>
      (await walk(join(reg.storageDir, "docker", "registry", "v2", "repositories", repo, "_uploads"))).some(
        (p) => p.endsWith("data"),
      );
    const push = [
      "push",
      src.tagged("v1"),
      "big.bin",
      "--artifact-type",
      "application/vnd.test.big",
      "--plain-http",
    ];
    const pushed = await interrupt(push, "SIGINT", uploading(registry, "interrupt-src"));
    expectCleanExit(pushed, "SIGINT");
    const tags = async (repo: string, reg = registry) => {
      const res = await fetch(`http://${reg.host}/v2/${repo}/tags/list`);
      return res.status === 200 ? (((await res.json()) as { tags: string[] | null }).tags ?? []) : [];
    };
    expect(await tags("interrupt-src")).toEqual([]);
    await ok(push, { cwd: work });

    const copy = ["copy", "-r", src.tagged("v1"), dst.tagged("v1"), "--plain-http"];
    const copied = await interrupt(copy, "SIGTERM", uploading(other, "interrupt-dst"));
    expectCleanExit(copied, "SIGTERM");
    expect(await tags("interrupt-dst", other)).toEqual([]);
    await ok(copy, { cwd: work });
    expect(await tags("interrupt-dst", other)).toEqual(["v1"]);
  });
});
