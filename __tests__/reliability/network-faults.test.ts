// Issue 6, item 1: network faults between the CLI and real registries (distribution 2.8).
//  - our HTTP fault injector (__tests__/helpers/faults.ts) answers ~10% of requests with 429 +
//    Retry-After or 500/502/503: `copy -r` of a multi-arch graph with referrers, and `attach` of
//    a large file, must complete byte-identical in 20 of 20 runs each;
//  - beyond the retry budget (every manifest PUT fails) they fail with one clear error line and
//    leave no destination tag and no referrer;
//  - toxiproxy (built from its Go module) adds connection resets, latency, bandwidth limits,
//    truncated bodies (limit_data: downloads resume with Range) and stalls.
// Sizes scale down with OCIGRAPH_RELIABILITY_SMALL=1 for a quick local check; the number of runs does not.
import { createHash, randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { attach } from "../../src/graph/attach";
import { TargetFactory } from "../../src/connect/targets";
import {
  type BoundedRun,
  type FaultInjector,
  type Toxiproxy,
  runBounded,
  startFaultInjector,
  startToxiproxy,
} from "../helpers/faults";
import { pushMultiArch } from "../helpers/images";
import { uniqueName } from "../helpers/targets";
import { type RestartableRegistry, startDistribution } from "../rig/peers";
import { testRegistries } from "../rig/env";
import { type ScenarioFigure, recordFigure, smallRun, testFileOf } from "./figures";

const RUNS = 20;
const FAULT_RATE = 0.1;
/** The graph copied: 2 platforms x 2 layers, plus referrers. 200 MiB locally, 40 MiB in CI. */
const GRAPH_MIB = Number(process.env.OCIGRAPH_RELIABILITY_GRAPH_MIB ?? (smallRun() ? 40 : 200));
/** What each attach run uploads (a fresh file per run, so every run really uploads). */
const ATTACH_MIB = Math.max(1, Math.round(GRAPH_MIB / 8));
/** Realistic budget: the engine's default 4 retries; a short first delay (429 waits its Retry-After). */
const ENV = { OCIGRAPH_MAX_RETRIES: "4", OCIGRAPH_RETRY_DELAY_MS: "100", OCIGRAPH_TIMEOUT_MS: "10000" };

const scenarios: ScenarioFigure[] = [];
const faultStats = { requests: 0, faults: 0 };

async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

interface GraphJson {
  digest: string;
  referrers: GraphJson[];
}
const digestsOf = (node: { referrers: GraphJson[] }): string[] =>
  node.referrers.flatMap((r) => [r.digest, ...digestsOf(r)]).sort();

/** The graph as a registry holds it, read without faults: root digest and every referrer digest. */
async function graphAt(reference: string): Promise<{ root: string; referrers: string[] }> {
  const res = await runBounded(["discover", reference, "--format", "json", "--plain-http"], {
    killAfterMs: 60_000,
  });
  if (res.code !== 0) throw new Error(`discover ${reference}: ${res.stderr}`);
  const json = JSON.parse(res.stdout) as GraphJson;
  return { root: json.digest, referrers: digestsOf(json) };
}

const ACCEPT = "application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json";

/** The referrers graph read straight from a registry (fallback tag or referrers API), no CLI start-up. */
async function graphDirect(
  host: string,
  name: string,
  tag: string,
): Promise<{ root: string; referrers: string[] }> {
  const head = await fetch(`http://${host}/v2/${name}/manifests/${tag}`, {
    method: "HEAD",
    headers: { accept: ACCEPT },
  });
  const root = head.headers.get("docker-content-digest") ?? "";
  const all: string[] = [];
  async function walk(digest: string): Promise<void> {
    let res = await fetch(`http://${host}/v2/${name}/referrers/${digest}`);
    if (res.status === 404)
      res = await fetch(`http://${host}/v2/${name}/manifests/${digest.replace(":", "-")}`, {
        headers: { accept: ACCEPT },
      });
    if (res.status === 404) return;
    const index = (await res.json()) as { manifests?: { digest: string }[] };
    for (const m of index.manifests ?? []) {
      all.push(m.digest);
      await walk(m.digest);
    }
  }
  await walk(root);
  return { root, referrers: all.sort() };
}

async function tagsOf(host: string, name: string): Promise<string[]> {
  const res = await fetch(`http://${host}/v2/${name}/tags/list`);
  if (res.status === 404) return [];
  return ((await res.json()) as { tags?: string[] | null }).tags ?? [];
}

function oneErrorLine(run: BoundedRun): boolean {
  return !run.hung && run.code === 1 && /^Error: [^\n]+\n$/.test(run.stderr) && !/\n\s+at /.test(run.stderr);
}

describe("network faults", () => {
  let dst: RestartableRegistry;
  let srcHost: string;
  const srcName = uniqueName("faults-src");
  let srcInjector: FaultInjector;
  let dstInjector: FaultInjector;
  /** The copy destination: the rig's referrers-API registry (no fallback settle time per run). */
  let copyInjector: FaultInjector;
  let copyHost: string;
  let work: string;
  let source: { root: string; referrers: string[] };

  beforeAll(async () => {
    srcHost = testRegistries().distribution;
    dst = await startDistribution();
    work = await mkdtemp(join(tmpdir(), "ocigraph-faults-"));
    // The source graph, pushed in-process without faults.
    const factory = new TargetFactory({ plainHttp: true });
    try {
      const { target } = await factory.open(`${srcHost}/${srcName}:v1`, {
        create: true,
        needSelector: false,
      });
      const layerSize = Math.floor((GRAPH_MIB * 1024 * 1024) / 4);
      await pushMultiArch(target, "v1", { layers: 2, layerSize });
      const files = join(work, "seed");
      await mkdir(files);
      await writeFile(join(files, "sbom.json"), JSON.stringify({ sbom: randomBytes(8).toString("hex") }));
      await writeFile(join(files, "sig.json"), JSON.stringify({ sig: randomBytes(8).toString("hex") }));
      const sbom = await attach(target, "v1", {
        artifactType: "application/spdx+json",
        files: [{ path: join(files, "sbom.json") }],
      });
      await attach(target, sbom.descriptor.digest, {
        artifactType: "application/vnd.example.signature",
        files: [{ path: join(files, "sig.json") }],
      });
    } finally {
      await factory.close();
    }
    source = await graphAt(`${srcHost}/${srcName}:v1`);
    expect(source.referrers).toHaveLength(2);
    srcInjector = await startFaultInjector(srcHost, { rate: FAULT_RATE });
    dstInjector = await startFaultInjector(dst.host, { rate: FAULT_RATE });
    copyHost = testRegistries().referrers;
    copyInjector = await startFaultInjector(copyHost, { rate: FAULT_RATE });
  }, 300_000);

  afterAll(async () => {
    await srcInjector?.close();
    await dstInjector?.close();
    await copyInjector?.close();
    await dst?.stop();
    await rm(work, { recursive: true, force: true });
    recordFigure({
      name: "network-faults",
      title: "Network faults (fault injector and toxiproxy)",
      issueItem: 1,
      testFile: testFileOf(__filename),
      parameters: {
        "graph (MiB)": GRAPH_MIB,
        "attach payload per run (MiB)": ATTACH_MIB,
        "fault rate": FAULT_RATE,
        "requests seen by the injectors": faultStats.requests,
        "faults injected": faultStats.faults,
        retries: ENV.OCIGRAPH_MAX_RETRIES,
        toxiproxy: "Shopify/toxiproxy/v2 v2.5.0",
      },
      scenarios,
    });
  });

  it(`copy -r of a ${GRAPH_MIB} MiB graph under ${FAULT_RATE * 100}% injected 429/5xx: ${RUNS} of ${RUNS} byte-identical`, async () => {
    const entry = {
      scenario: `copy -r, ${FAULT_RATE * 100}% 429/500/502/503 on both registries`,
      runs: 0,
      passed: 0,
      notes: "",
    };
    scenarios.push(entry);
    const failures: string[] = [];
    for (let run = 0; run < RUNS; run++) {
      srcInjector.setPlan({ rate: FAULT_RATE, seed: 1000 + run });
      copyInjector.setPlan({ rate: FAULT_RATE, seed: 2000 + run });
      const name = `${uniqueName("copy")}-${run}`;
      const result = await runBounded(
        [
          "copy",
          "-r",
          `${srcInjector.host}/${srcName}:v1`,
          `${copyInjector.host}/${name}:v1`,
          "--plain-http",
        ],
        { env: ENV, killAfterMs: 180_000 },
      );
      entry.runs++;
      let ok = result.code === 0;
      if (ok) {
        const copied = await graphDirect(copyHost, name, "v1");
        ok =
          copied.root === source.root &&
          JSON.stringify(copied.referrers) === JSON.stringify(source.referrers);
      }
      if (ok) entry.passed++;
      else
        failures.push(
          `run ${run}: exit ${result.code}${result.hung ? " (hung)" : ""} ${result.stderr.trim()}`,
        );
    }
    const faults = srcInjector.stats.faults + copyInjector.stats.faults;
    const requests = srcInjector.stats.requests + copyInjector.stats.requests;
    entry.notes = `distribution -> referrers-API registry; ${faults} faults injected in ${requests} requests; digests of the image and every referrer equal the source's`;
    faultStats.requests += requests;
    faultStats.faults += faults;
    expect(failures).toEqual([]);
    expect(faults).toBeGreaterThan(0);
  }, 1_200_000);

  it(`attach of ${ATTACH_MIB} MiB under ${FAULT_RATE * 100}% injected 429/5xx: ${RUNS} of ${RUNS} pull back byte-identical`, async () => {
    const entry = {
      scenario: `attach to distribution (tag-schema fallback; fresh ${ATTACH_MIB} MiB file + small file), ${FAULT_RATE * 100}% 429/5xx`,
      runs: 0,
      passed: 0,
      notes: "",
    };
    scenarios.push(entry);
    const before = { ...dstInjector.stats };
    const failures: string[] = [];
    const subject = `${dst.host}/attach/app`;
    const seed = await runBounded(["copy", `${srcHost}/${srcName}:v1`, `${subject}:v1`, "--plain-http"], {
      env: ENV,
    });
    expect(seed.stderr).toBe("");
    for (let run = 0; run < RUNS; run++) {
      dstInjector.setPlan({ rate: FAULT_RATE, seed: 3000 + run });
      const files = join(work, `attach-${run}`);
      await mkdir(files);
      await writeFile(join(files, "big.bin"), randomBytes(ATTACH_MIB * 1024 * 1024));
      await writeFile(join(files, "note.txt"), `run ${run}\n`);
      const result = await runBounded(
        [
          "attach",
          `${dstInjector.host}/attach/app:v1`,
          "--artifact-type",
          "application/vnd.test.faults",
          "big.bin",
          "note.txt",
          "--format",
          "json",
          "--plain-http",
        ],
        { cwd: files, env: ENV, killAfterMs: 180_000 },
      );
      entry.runs++;
      let ok = result.code === 0;
      if (ok) {
        // Byte-identical, read from the registry: the manifest lists the local files' sha256
        // digests and sizes, the registry serves those blobs, and the fallback index lists it.
        const { digest } = JSON.parse(result.stdout) as { digest: string };
        const res = await fetch(`http://${dst.host}/v2/attach/app/manifests/${digest}`, {
          headers: { accept: ACCEPT },
        });
        const manifest = (await res.json()) as { layers: { digest: string; size: number }[] };
        const expected = [
          `sha256:${await sha256File(join(files, "big.bin"))}`,
          `sha256:${await sha256File(join(files, "note.txt"))}`,
        ];
        ok = JSON.stringify(manifest.layers.map((l) => l.digest)) === JSON.stringify(expected);
        for (const layer of manifest.layers) {
          const blob = await fetch(`http://${dst.host}/v2/attach/app/blobs/${layer.digest}`, {
            method: "HEAD",
          });
          ok = ok && blob.status === 200 && Number(blob.headers.get("content-length")) === layer.size;
        }
        const graph = await graphDirect(dst.host, "attach/app", "v1");
        ok = ok && graph.referrers.includes(digest);
      }
      await rm(files, { recursive: true, force: true });
      if (ok) entry.passed++;
      else
        failures.push(
          `run ${run}: exit ${result.code}${result.hung ? " (hung)" : ""} ${result.stderr.trim()}`,
        );
    }
    const faults = dstInjector.stats.faults - before.faults;
    const requests = dstInjector.stats.requests - before.requests;
    entry.notes = `${faults} faults injected in ${requests} requests; layer digests = sha256 of the local files, blobs served, referrer listed in the fallback index`;
    faultStats.requests += requests;
    faultStats.faults += faults;
    expect(failures).toEqual([]);
    expect(faults).toBeGreaterThan(0);
  }, 1_200_000);

  it("beyond the retry budget (every manifest PUT answers 503): clear error, no tag, no referrer", async () => {
    const entry = {
      scenario: "beyond the retry budget: every manifest PUT answers 503 (copy -r, attach)",
      runs: 0,
      passed: 0,
      notes: "",
    };
    scenarios.push(entry);
    dstInjector.setPlan({
      rate: 1,
      statuses: [503],
      eligible: (req) => req.method === "PUT" && /\/manifests\//.test(req.url ?? ""),
    });
    const lines: string[] = [];
    try {
      const copy = await runBounded(
        ["copy", "-r", `${srcHost}/${srcName}:v1`, `${dstInjector.host}/budget/copy:v1`, "--plain-http"],
        { env: ENV, killAfterMs: 180_000 },
      );
      entry.runs++;
      const copyTags = await tagsOf(dst.host, "budget/copy");
      if (oneErrorLine(copy) && copyTags.length === 0) entry.passed++;
      lines.push(copy.stderr.trim());
      expect({ ok: oneErrorLine(copy), stderr: copy.stderr, tags: copyTags }).toEqual({
        ok: true,
        stderr: expect.stringContaining("503"),
        tags: [],
      });

      const before = await graphAt(`${dst.host}/attach/app:v1`);
      const files = join(work, "budget");
      await mkdir(files);
      await writeFile(join(files, "x.txt"), "never attached\n");
      const att = await runBounded(
        [
          "attach",
          `${dstInjector.host}/attach/app:v1`,
          "--artifact-type",
          "application/vnd.test.budget",
          "x.txt",
          "--plain-http",
        ],
        { cwd: files, env: ENV, killAfterMs: 180_000 },
      );
      entry.runs++;
      const after = await graphAt(`${dst.host}/attach/app:v1`);
      if (oneErrorLine(att) && JSON.stringify(after) === JSON.stringify(before)) entry.passed++;
      lines.push(att.stderr.trim());
      expect(oneErrorLine(att)).toBe(true);
      expect(after).toEqual(before);
    } finally {
      entry.notes = lines.map((l) => l.replace(/127\.0\.0\.1:\d+/g, "HOST").slice(0, 160)).join(" / ");
      dstInjector.setPlan({ rate: 0 });
    }
  }, 600_000);

  describe("toxiproxy", () => {
    let toxi: Toxiproxy;
    let big: string;
    const TOXIC_RUNS = 3;

    beforeAll(async () => {
      toxi = await startToxiproxy(dst.host, join(work, "toxiproxy.log"));
      big = join(work, "toxi-big.bin");
      await writeFile(big, randomBytes(8 * 1024 * 1024));
      const res = await runBounded(["push", `${dst.host}/toxi/file:v1`, "toxi-big.bin", "--plain-http"], {
        cwd: work,
        env: ENV,
      });
      expect(res.stderr).toBe("");
    });
    afterAll(async () => {
      await toxi?.stop();
    });
    afterEach(async () => {
      await toxi.clearToxics();
    });

    async function pullRuns(scenario: string, killAfterMs = 120_000): Promise<void> {
      const entry = { scenario, runs: 0, passed: 0, notes: "pull of an 8 MiB file; hash equal" };
      scenarios.push(entry);
      const failures: string[] = [];
      for (let run = 0; run < TOXIC_RUNS; run++) {
        const out = join(work, `toxi-out-${randomBytes(4).toString("hex")}`);
        const res = await runBounded(["pull", `${toxi.host}/toxi/file:v1`, "-o", out, "--plain-http"], {
          env: ENV,
          killAfterMs,
        });
        entry.runs++;
        const ok =
          res.code === 0 && (await sha256File(join(out, "toxi-big.bin"))) === (await sha256File(big));
        if (ok) entry.passed++;
        else failures.push(`exit ${res.code}${res.hung ? " (hung)" : ""}: ${res.stderr.trim()}`);
        await rm(out, { recursive: true, force: true });
      }
      expect(failures).toEqual([]);
    }

    async function copyRuns(scenario: string): Promise<void> {
      const entry = {
        scenario,
        runs: 0,
        passed: 0,
        notes: "copy -r of the graph into the proxied registry; digests equal",
      };
      scenarios.push(entry);
      const failures: string[] = [];
      for (let run = 0; run < TOXIC_RUNS; run++) {
        const name = uniqueName("toxi-copy");
        const res = await runBounded(
          ["copy", "-r", `${srcHost}/${srcName}:v1`, `${toxi.host}/${name}:v1`, "--plain-http"],
          { env: ENV, killAfterMs: 240_000 },
        );
        entry.runs++;
        const ok =
          res.code === 0 &&
          JSON.stringify(await graphAt(`${dst.host}/${name}:v1`)) === JSON.stringify(source);
        if (ok) entry.passed++;
        else failures.push(`exit ${res.code}${res.hung ? " (hung)" : ""}: ${res.stderr.trim()}`);
      }
      expect(failures).toEqual([]);
    }

    it("latency 50 ms ± 25 ms each way: pull completes", async () => {
      await toxi.addToxic({ type: "latency", stream: "downstream", attributes: { latency: 50, jitter: 25 } });
      await toxi.addToxic({ type: "latency", stream: "upstream", attributes: { latency: 50, jitter: 25 } });
      await pullRuns("toxiproxy latency 50±25 ms both ways");
    }, 900_000);

    it("connection resets on 10% of connections: copy -r completes", async () => {
      await toxi.addToxic({
        type: "reset_peer",
        stream: "upstream",
        toxicity: 0.1,
        attributes: { timeout: 20 },
      });
      await copyRuns("toxiproxy reset_peer (TCP RST) on 10% of connections");
    }, 900_000);

    it("bandwidth limited to 4 MiB/s: pull completes", async () => {
      await toxi.addToxic({ type: "bandwidth", stream: "downstream", attributes: { rate: 4096 } });
      await pullRuns("toxiproxy bandwidth 4 MiB/s");
    }, 300_000);

    it("slow link (slicer: ~16 KiB slices, 100 µs apart): pull completes", async () => {
      await toxi.addToxic({
        type: "slicer",
        stream: "downstream",
        attributes: { average_size: 16 * 1024, size_variation: 8 * 1024, delay: 100 },
      });
      await pullRuns("toxiproxy slicer ~16 KiB slices, 100 µs apart");
    }, 300_000);

    it("bodies truncated after 3 MiB (limit_data): the download resumes with Range", async () => {
      await toxi.addToxic({
        type: "limit_data",
        stream: "downstream",
        attributes: { bytes: 3 * 1024 * 1024 },
      });
      await pullRuns("toxiproxy limit_data 3 MiB per connection (8 MiB blob: resumed with Range)");
    }, 300_000);

    it("a stalled connection (timeout toxic) fails with one clear error, in bounded time", async () => {
      const entry = {
        scenario: "toxiproxy timeout (stall, data dropped): fails cleanly",
        runs: 0,
        passed: 0,
        notes: "",
      };
      scenarios.push(entry);
      await toxi.addToxic({ type: "timeout", stream: "downstream", attributes: { timeout: 0 } });
      const out = join(work, "toxi-stall");
      const res = await runBounded(["pull", `${toxi.host}/toxi/file:v1`, "-o", out, "--plain-http"], {
        env: { ...ENV, OCIGRAPH_TIMEOUT_MS: "2000" },
        killAfterMs: 120_000,
      });
      entry.runs++;
      entry.notes = res.stderr
        .trim()
        .replace(/127\.0\.0\.1:\d+/g, "HOST")
        .slice(0, 160);
      if (oneErrorLine(res)) entry.passed++;
      expect(oneErrorLine(res)).toBe(true);
    }, 180_000);
  });
});
