// Issue 6, item 2: the destination registry (distribution 2.8, tag-schema fallback) is killed
// with SIGKILL in the middle of `copy -r` and of `attach`, then started again on the same port and
// storage. Whatever the interrupted run did (failed with one error line, or rode it out through
// retries), every tag in the repository must lead to a complete graph (all manifests and blobs
// present, every fallback-index entry present), and a re-run must complete and agree with the
// source. Kill points vary per run (blob transfer, manifest pushes, fallback-index settling).
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { attach } from "../../src/graph/attach";
import { TargetFactory } from "../../src/connect/targets";
import { runBounded } from "../helpers/faults";
import { pushMultiArch } from "../helpers/images";
import { uniqueName } from "../helpers/targets";
import { type RestartableRegistry, startDistribution } from "../rig/peers";
import { testRegistries } from "../rig/env";
import { type ScenarioFigure, recordFigure, smallRun, testFileOf } from "./figures";

const RUNS = 3;
const GRAPH_MIB = smallRun() ? 8 : 32;
const KILL_AFTER_MS = [300, 1200, 2500];
/** How long the registry stays down: shorter than the retry budget (ridden out) or longer (clean failure). */
const DOWN_MS = [300, 4000, 4000];
const ENV = { OCIGRAPH_MAX_RETRIES: "4", OCIGRAPH_RETRY_DELAY_MS: "100", OCIGRAPH_TIMEOUT_MS: "10000" };
const ACCEPT = [
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.docker.distribution.manifest.v2+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
].join(", ");

interface Descriptor {
  mediaType: string;
  digest: string;
}

/** Every tag of `repo` leads to a complete graph: returns what is missing (empty when all is there). */
async function incompleteByTag(host: string, repo: string): Promise<string[]> {
  const missing: string[] = [];
  const seen = new Set<string>();
  const tagsRes = await fetch(`http://${host}/v2/${repo}/tags/list`);
  if (tagsRes.status === 404) return [];
  const tags = ((await tagsRes.json()) as { tags?: string[] | null }).tags ?? [];
  async function manifest(ref: string, from: string): Promise<void> {
    if (seen.has(ref)) return;
    seen.add(ref);
    const res = await fetch(`http://${host}/v2/${repo}/manifests/${ref}`, { headers: { accept: ACCEPT } });
    if (res.status !== 200) {
      missing.push(`manifest ${ref} (from ${from}): ${res.status}`);
      return;
    }
    const m = (await res.json()) as { config?: Descriptor; layers?: Descriptor[]; manifests?: Descriptor[] };
    for (const child of m.manifests ?? []) await manifest(child.digest, ref);
    for (const blob of [...(m.config ? [m.config] : []), ...(m.layers ?? [])]) {
      const head = await fetch(`http://${host}/v2/${repo}/blobs/${blob.digest}`, { method: "HEAD" });
      if (head.status !== 200) missing.push(`blob ${blob.digest} (from ${ref}): ${head.status}`);
    }
  }
  for (const tag of tags) await manifest(tag, `tag ${tag}`);
  return missing;
}

async function referrerDigests(reference: string): Promise<string[]> {
  const res = await runBounded(["discover", reference, "--format", "json", "--plain-http"], {
    killAfterMs: 60_000,
  });
  if (res.code !== 0) throw new Error(`discover ${reference}: ${res.stderr}`);
  type Node = { digest: string; referrers: Node[] };
  const walk = (n: Node): string[] => n.referrers.flatMap((r) => [r.digest, ...walk(r)]);
  return walk(JSON.parse(res.stdout) as Node).sort();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("registry restarts mid-operation", () => {
  let reg: RestartableRegistry;
  const srcName = uniqueName("restart-src");
  let srcHost: string;
  let work: string;
  let sourceReferrers: string[];
  const scenarios: ScenarioFigure[] = [];

  beforeAll(async () => {
    srcHost = testRegistries().distribution;
    reg = await startDistribution();
    work = await mkdtemp(join(tmpdir(), "ocigraph-restarts-"));
    const factory = new TargetFactory({ plainHttp: true });
    try {
      const { target } = await factory.open(`${srcHost}/${srcName}:v1`, {
        create: true,
        needSelector: false,
      });
      await pushMultiArch(target, "v1", { layers: 2, layerSize: Math.floor((GRAPH_MIB * 1024 * 1024) / 4) });
      await writeFile(join(work, "sbom.json"), JSON.stringify({ sbom: randomBytes(8).toString("hex") }));
      await writeFile(join(work, "sig.json"), JSON.stringify({ sig: randomBytes(8).toString("hex") }));
      const sbom = await attach(target, "v1", {
        artifactType: "application/spdx+json",
        files: [{ path: join(work, "sbom.json") }],
      });
      await attach(target, sbom.descriptor.digest, {
        artifactType: "application/vnd.example.signature",
        files: [{ path: join(work, "sig.json") }],
      });
    } finally {
      await factory.close();
    }
    sourceReferrers = await referrerDigests(`${srcHost}/${srcName}:v1`);
  }, 300_000);

  afterAll(async () => {
    await reg?.stop();
    await rm(work, { recursive: true, force: true });
    recordFigure({
      name: "registry-restarts",
      title: "Registry killed (SIGKILL) and restarted mid-operation",
      issueItem: 2,
      testFile: testFileOf(__filename),
      parameters: {
        "graph (MiB)": GRAPH_MIB,
        "kill points (ms after start)": KILL_AFTER_MS.join("/"),
        "downtime (ms)": DOWN_MS.join("/"),
        registry: "distribution 2.8",
      },
      scenarios,
    });
  });

  /** Starts `args`, kills the registry after `killAfter` ms, restarts it; returns the interrupted run. */
  async function interrupted(args: string[], run: number, cwd?: string) {
    const running = runBounded(args, { env: ENV, killAfterMs: 240_000, ...(cwd ? { cwd } : {}) });
    await sleep(KILL_AFTER_MS[run % KILL_AFTER_MS.length]!);
    await reg.stopProcess("SIGKILL");
    await sleep(DOWN_MS[run % DOWN_MS.length]!);
    await reg.startAgain();
    return running;
  }

  it(`copy -r interrupted by a registry crash: nothing incomplete by tag, re-run completes (${RUNS} runs)`, async () => {
    const entry = { scenario: "copy -r, destination killed and restarted", runs: 0, passed: 0, notes: "" };
    scenarios.push(entry);
    const outcomes: string[] = [];
    const problems: string[] = [];
    for (let run = 0; run < RUNS; run++) {
      const name = uniqueName("restart-copy");
      const args = ["copy", "-r", `${srcHost}/${srcName}:v1`, `${reg.host}/${name}:v1`, "--plain-http"];
      const first = await interrupted(args, run);
      outcomes.push(
        first.code === 0
          ? "rode it out"
          : `failed cleanly ("${first.stderr
              .trim()
              .replace(/127\.0\.0\.1:\d+/g, "HOST")
              .slice(0, 90)}")`,
      );
      const cleanFailure = first.code === 0 || (/^Error: [^\n]+\n$/.test(first.stderr) && !first.hung);
      const afterCrash = await incompleteByTag(reg.host, name);
      const again = await runBounded(args, { env: ENV, killAfterMs: 240_000 });
      const afterRerun = await incompleteByTag(reg.host, name);
      const referrers = again.code === 0 ? await referrerDigests(`${reg.host}/${name}:v1`) : [];
      entry.runs++;
      const ok =
        cleanFailure &&
        afterCrash.length === 0 &&
        again.code === 0 &&
        afterRerun.length === 0 &&
        JSON.stringify(referrers) === JSON.stringify(sourceReferrers);
      if (ok) entry.passed++;
      else
        problems.push(
          `run ${run}: first ${first.code} ${first.stderr.trim()} | incomplete ${afterCrash.join("; ")} | rerun ${again.code} ${again.stderr.trim()}`,
        );
    }
    entry.notes = `interrupted runs: ${outcomes.join(", ")}; re-run graph equals the source`;
    expect(problems).toEqual([]);
  }, 900_000);

  it(`attach interrupted by a registry crash: nothing incomplete by tag, re-run completes (${RUNS} runs)`, async () => {
    const entry = {
      scenario: "attach (tag-schema fallback), registry killed and restarted",
      runs: 0,
      passed: 0,
      notes: "",
    };
    scenarios.push(entry);
    const subjectRepo = uniqueName("restart-attach");
    const seed = await runBounded(
      ["copy", `${srcHost}/${srcName}:v1`, `${reg.host}/${subjectRepo}:v1`, "--plain-http"],
      {
        env: ENV,
      },
    );
    expect(seed.stderr).toBe("");
    const outcomes: string[] = [];
    const problems: string[] = [];
    for (let run = 0; run < RUNS; run++) {
      const files = join(work, `attach-${run}`);
      await mkdir(files);
      await writeFile(join(files, "big.bin"), randomBytes(GRAPH_MIB * 1024 * 1024));
      const args = [
        "attach",
        `${reg.host}/${subjectRepo}:v1`,
        "--artifact-type",
        "application/vnd.test.restart",
        "big.bin",
        "--format",
        "json",
        "--plain-http",
      ];
      const first = await interrupted(args, run, files);
      outcomes.push(
        first.code === 0
          ? "rode it out"
          : `failed cleanly ("${first.stderr
              .trim()
              .replace(/127\.0\.0\.1:\d+/g, "HOST")
              .slice(0, 90)}")`,
      );
      const cleanFailure = first.code === 0 || (/^Error: [^\n]+\n$/.test(first.stderr) && !first.hung);
      const afterCrash = await incompleteByTag(reg.host, subjectRepo);
      const again = await runBounded(args, { cwd: files, env: ENV, killAfterMs: 240_000 });
      const afterRerun = await incompleteByTag(reg.host, subjectRepo);
      let listed = false;
      if (again.code === 0) {
        const { digest } = JSON.parse(again.stdout) as { digest: string };
        listed = (await referrerDigests(`${reg.host}/${subjectRepo}:v1`)).includes(digest);
      }
      entry.runs++;
      const ok =
        cleanFailure && afterCrash.length === 0 && again.code === 0 && afterRerun.length === 0 && listed;
      if (ok) entry.passed++;
      else
        problems.push(
          `run ${run}: first ${first.code} ${first.stderr.trim()} | incomplete ${afterCrash.join("; ")} | rerun ${again.code} ${again.stderr.trim()}`,
        );
    }
    entry.notes = `interrupted runs: ${outcomes.join(", ")}; the re-run's referrer is listed (reused when the first run had finished)`;
    expect(problems).toEqual([]);
  }, 900_000);
});
