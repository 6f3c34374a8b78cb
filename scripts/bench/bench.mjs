#!/usr/bin/env node
// `npm run bench`: ocigraph against oras and regctl (and curl) on the same work, on registries
// this script starts on loopback. Writes bench/RESULTS.md (and bench/results.json).
//
// Environment:
//   BENCH_SCALE=0.1        scale every blob size (default 1: ~1 GiB image, 1 and 2 GiB blobs)
//   BENCH_REPS=5           repetitions per tool and scenario (default 5)
//   BENCH_MEM_REPS=3       repetitions of the single-blob memory runs (default 3)
//   BENCH_CONC_REPS=3      repetitions of the ocigraph --concurrency sweep (default 3, to stay under ~15 min)
//   BENCH_ONLY=copy,graph,discover,attach,concurrency,memory,latency   run only these groups
//   BENCH_LATENCY_ONLY=regex   run only the latency scenarios whose key matches (lat-attach-dist, lat-attach-refreg,
//                          lat-discover-dist, lat-discover-refreg, lat-copy-dist, lat-copy-refreg, lat-action-step)
//   BENCH_TMPDIR=/path     where registries keep their storage (default: the OS temp dir)
//   BENCH_DIST=/path/dist  the ocigraph build to measure (default: this checkout's dist/), e.g. an
//                          older build for before/after figures
//   BENCH_OUT=path         where to write the Markdown (default bench/RESULTS.md when BENCH_SCALE=1,
//                          else <tmp>/ocigraph-bench-RESULTS.md so quick runs don't overwrite it)
import { spawn, execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, statSync, rmSync, readFileSync } from "node:fs";
import { cp, mkdtemp, mkdir, rm, writeFile, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  startDistribution,
  startRefreg,
  procIo,
  randomFile,
  pushImage,
  pushMultiArch,
  pushReferrerTree,
  manifestExists,
  killRegistries,
} from "./registry.mjs";
import { issue13Targets, latencyScenarios, latencyTable } from "./latency.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const BIN = path.join(ROOT, ".peers", "bin");
const DIST_CLI = path.join(process.env.BENCH_DIST ?? path.join(ROOT, "dist"), "cli.js");
// The bundle is copied into the work dir at start, so a rebuild during the run changes nothing.
let CLI = DIST_CLI;
let cliInfo = "";
const CURL_BLOBS = path.join(ROOT, "scripts", "bench", "curl-blobs.sh");
const TIME = "/usr/bin/time";

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const REPS = Math.max(1, Number(process.env.BENCH_REPS ?? 5));
const MEM_REPS = Math.max(1, Number(process.env.BENCH_MEM_REPS ?? 3));
const CONC_REPS = Math.max(1, Number(process.env.BENCH_CONC_REPS ?? 3));
const ONLY = new Set(
  (process.env.BENCH_ONLY ?? "copy,graph,discover,attach,concurrency,memory,latency").split(","),
);
const GiB = 1024 ** 3;
const MiB = 1024 ** 2;
const IMAGE_BYTES = Math.round(GiB * SCALE);
const PLATFORMS = ["linux/amd64", "linux/arm64"];
const LAYERS = 3;
const LAYER_SIZE = Math.floor(IMAGE_BYTES / (PLATFORMS.length * LAYERS));
const COPY_TREE = [5, 1]; // 5 referrers of the index, each with 1 of its own: 10, two levels
const DISCOVER_TREE = [10, 10, 2]; // 10 + 100 + 200 = 310 referrers over 3 levels
const CONCURRENCIES = [1, 3, 8, 16];
const TYPES = [
  "application/spdx+json",
  "application/vnd.dev.sigstore.bundle.v0.3+json",
  "application/sarif+json",
  "application/vnd.in-toto+json",
  "text/markdown",
];

const log = (...a) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...a);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmtS = (x) => (x === undefined || Number.isNaN(x) ? "–" : x < 10 ? x.toFixed(2) : x.toFixed(1));
const fmtR = (x) => (x === undefined || !Number.isFinite(x) ? "–" : `${x.toFixed(2)}x`);
const fmtMiB = (kib) => (kib === undefined || Number.isNaN(kib) ? "–" : (kib / 1024).toFixed(0));

// ---------- running one command ----------

let WORK;
let toolEnv;

/** Runs argv under /usr/bin/time; resolves { wall (s), rssKiB, code, stdout, stderr }. */
async function run(argv, { cwd } = {}) {
  loads.push(os.loadavg()[0]);
  const timeFile = path.join(WORK, `time-${process.hrtime.bigint()}.txt`);
  const start = process.hrtime.bigint();
  const child = spawn(TIME, ["-f", "%e %M %U %S", "-o", timeFile, ...argv], {
    cwd: cwd ?? WORK,
    env: toolEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const out = [];
  const err = [];
  child.stdout.on("data", (c) => out.push(c));
  child.stderr.on("data", (c) => err.push(c));
  const code = await new Promise((r) => child.once("close", r));
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  let rssKiB = NaN;
  let cpu = NaN;
  try {
    const line = (await readFile(timeFile, "utf8")).trim().split("\n").pop();
    const f = line.split(" ").map(Number);
    rssKiB = f[1];
    cpu = f[2] + f[3];
    await rm(timeFile, { force: true });
  } catch {
    /* time failed */
  }
  const res = {
    wall,
    rssKiB,
    cpu,
    code,
    stdout: Buffer.concat(out).toString(),
    stderr: Buffer.concat(err).toString(),
  };
  if (code !== 0)
    log(`FAILED (${code}): ${argv.join(" ")}\n${res.stderr.slice(-1500)}${res.stdout.slice(-1500)}`);
  return res;
}

const samples = {}; // key -> tool -> [{ wall, rssKiB, ... }]
const loads = []; // 1-minute load average at the start of each run
function record(key, tool, sample) {
  ((samples[key] ??= {})[tool] ??= []).push(sample);
}

/** Rotates the tool order per repetition, so no tool always runs first (warm caches, noise). */
function rotated(list, rep) {
  const k = rep % list.length;
  return [...list.slice(k), ...list.slice(0, k)];
}

const rotatedNames = (tools, rep) => rotated(Object.keys(tools), rep);

// ---------- the tools ----------

function hostFlags(...hosts) {
  return hosts.flatMap((h) => ["--host", `reg=${h},tls=disabled`]);
}

const ocigraph = (...args) => ["node", CLI, ...args];
const oras = (...args) => [path.join(BIN, "oras"), ...args];
const regctl = (...args) => [path.join(BIN, "regctl"), ...args];

// ---------- main ----------

async function main() {
  for (const need of [
    DIST_CLI,
    path.join(BIN, "oras"),
    path.join(BIN, "regctl"),
    path.join(BIN, "refreg"),
    TIME,
  ]) {
    if (!existsSync(need))
      throw new Error(`${need} is missing: run \`bash scripts/peers/install.sh && npm run build\``);
  }
  const tmpBase = process.env.BENCH_TMPDIR ?? os.tmpdir();
  WORK = await mkdtemp(path.join(tmpBase, "ocigraph-bench-"));
  for (const sig of ["SIGINT", "SIGTERM"]) {
    process.once(sig, () => {
      killRegistries();
      rmSync(WORK, { recursive: true, force: true });
      process.exit(130);
    });
  }
  // dist/cli.js is a launcher for the bundles in dist/lib/: copy them all.
  await cp(process.env.BENCH_DIST ?? path.join(ROOT, "dist"), path.join(WORK, "dist"), { recursive: true });
  CLI = path.join(WORK, "dist", "cli.js");
  // dist/lib/cli.mjs since the launcher split; dist/cli.js itself in older, single-file builds.
  const bundle = [path.join(WORK, "dist", "lib", "cli.mjs"), CLI].find((f) => existsSync(f));
  const sum = createHash("sha256").update(readFileSync(bundle)).digest("hex").slice(0, 12);
  cliInfo = `dist/ built ${statSync(DIST_CLI).mtime.toISOString()}, ${path.relative(WORK, bundle)} sha256 ${sum}`;
  const home = path.join(WORK, "home");
  await mkdir(home);
  // Fresh HOME: no user docker/oras/regctl config, no credential helpers.
  toolEnv = { ...process.env, HOME: home, DOCKER_CONFIG: path.join(home, ".docker"), NO_COLOR: "1" };
  delete toolEnv.HTTP_PROXY;
  delete toolEnv.HTTPS_PROXY;
  delete toolEnv.http_proxy;
  delete toolEnv.https_proxy;

  const t0 = Date.now();
  const regs = [];
  try {
    const R = await startRefreg(await mkdtemp(path.join(WORK, "refreg-")), path.join(BIN, "refreg"));
    regs.push(R);
    const D = await startDistribution(await mkdtemp(path.join(WORK, "dist-")));
    regs.push(D);
    log(`refreg on ${R.host}, distribution on ${D.host}, work dir ${WORK}`);
    const ctx = { R: R.host, D: D.host, Dpid: D.pid, notes: [] };
    await runAll(ctx);
    ctx.totalSeconds = (Date.now() - t0) / 1000;
    await writeResults(ctx);
  } finally {
    for (const r of regs) await r.stop().catch(() => undefined);
    await rm(WORK, { recursive: true, force: true });
    log(`cleaned up ${WORK}`);
  }
}

async function runAll(ctx) {
  const { R, D } = ctx;
  const dataDir = path.join(WORK, "data");
  await mkdir(dataDir);

  // ---- test content ----
  log(`writing ${PLATFORMS.length}x${LAYERS} random layers of ${(LAYER_SIZE / MiB).toFixed(1)} MiB`);
  const layerFiles = [];
  for (let i = 0; i < PLATFORMS.length * LAYERS; i++) {
    layerFiles.push(await randomFile(path.join(dataDir, `layer${i}`), LAYER_SIZE));
  }
  const perPlatform = PLATFORMS.map((_, p) => layerFiles.slice(p * LAYERS, (p + 1) * LAYERS));
  ctx.layerFiles = layerFiles;
  ctx.imageBytes = layerFiles.reduce((n, f) => n + f.size, 0);

  if (ONLY.has("copy") || ONLY.has("concurrency")) {
    log("pushing the multi-arch image + 10 referrers to refreg and to distribution");
    const src = await pushMultiArch(R, "src/app", "v1", perPlatform, PLATFORMS);
    const srcRefs = await pushReferrerTree(R, "src/app", src, COPY_TREE, {
      fallback: false,
      types: TYPES,
      payloadSize: 4096,
    });
    const msrc = await pushMultiArch(D, "mount/src", "v1", perPlatform, PLATFORMS);
    const msrcRefs = await pushReferrerTree(D, "mount/src", msrc, COPY_TREE, {
      fallback: true,
      types: TYPES,
      payloadSize: 4096,
    });
    ctx.copyGraph = {
      refreg: [src, ...src.platforms, ...srcRefs],
      dist: [msrc, ...msrc.platforms, ...msrcRefs],
    };
  }
  if (ONLY.has("graph")) {
    // The same graph shape with a tiny image: what the referrers part of copy -r costs on its own.
    const small = await pushImage(R, "small/app", "v1", [Buffer.from("tiny layer")]);
    const refs = await pushReferrerTree(R, "small/app", small, COPY_TREE, {
      fallback: false,
      types: TYPES,
      payloadSize: 4096,
    });
    ctx.smallGraph = [small, ...refs];
  }

  await startupScenario();
  if (ONLY.has("copy")) await copyScenarios(ctx);
  if (ONLY.has("graph")) await graphCopyScenario(ctx);
  if (ONLY.has("concurrency")) await concurrencyScenario(ctx);
  if (ONLY.has("discover")) await discoverScenarios(ctx);
  if (ONLY.has("attach")) await attachScenarios(ctx);
  if (ONLY.has("memory")) await memoryScenario(ctx, dataDir);
  if (ONLY.has("latency")) {
    await latencyScenarios(ctx, {
      run,
      record,
      log,
      rotated,
      ocigraph,
      oras,
      regctl,
      hostFlags,
      WORK,
      BIN,
      ROOT,
      DIST: path.join(WORK, "dist"),
      REPS,
      TYPES,
    });
  }
}

/** How many of the expected manifests the destination repository holds. */
async function completeness(host, repo, nodes) {
  let n = 0;
  for (const d of nodes) if (await manifestExists(host, repo, d.digest)) n++;
  return `${n}/${nodes.length}`;
}

/** Process start-up alone: `--version` (no network). */
async function startupScenario() {
  const tools = {
    ocigraph: () => ocigraph("--version"),
    oras: () => oras("version"),
    regctl: () => regctl("version"),
    // The floor any Node program pays: the target is ocigraph --version <= 1.3x this.
    "node -e 0": () => ["node", "-e", "0"],
  };
  for (let rep = 0; rep < REPS; rep++) {
    for (const tool of rotatedNames(tools, rep)) {
      const res = await run(tools[tool]());
      record("startup", tool, { wall: res.wall, rssKiB: res.rssKiB, cpu: res.cpu, code: res.code });
    }
  }
}

async function copyScenarios(ctx) {
  const { R, D } = ctx;
  const nodes = ctx.copyGraph.refreg;
  const stream = {
    ocigraph: (dst) =>
      ocigraph("copy", "-r", `${R}/src/app:v1`, `${D}/${dst}:v1`, "--plain-http", "--format", "json"),
    oras: (dst) =>
      oras("cp", "-r", "--from-plain-http", "--to-plain-http", `${R}/src/app:v1`, `${D}/${dst}:v1`),
    regctl: (dst) =>
      regctl("image", "copy", "--referrers", ...hostFlags(R, D), `${R}/src/app:v1`, `${D}/${dst}:v1`),
    "curl upload": (dst) => [
      "bash",
      CURL_BLOBS,
      "upload",
      D,
      dst,
      ...ctx.layerFiles.map((f) => `${f.file}:${f.digest}`),
    ],
    "curl GET|PUT": (dst) => [
      "bash",
      CURL_BLOBS,
      "pipe",
      R,
      "src/app",
      D,
      dst,
      ...ctx.layerFiles.map((f) => f.digest),
    ],
  };
  log(`copy -r refreg -> distribution (stream), ${REPS} reps`);
  for (let rep = 0; rep < REPS; rep++) {
    for (const tool of rotatedNames(stream, rep)) {
      const dst = `stream/${tool.replace(/\W+/g, "-").toLowerCase()}-${rep}`;
      const res = await run(stream[tool](dst));
      const s = { wall: res.wall, rssKiB: res.rssKiB, cpu: res.cpu, code: res.code };
      if (!tool.startsWith("curl")) s.complete = await completeness(D, dst, nodes);
      if (tool === "ocigraph" && res.code === 0) s.bytes = JSON.parse(res.stdout).bytes;
      record("copy-stream", tool, s);
      log(
        `  stream ${tool} #${rep}: ${res.wall.toFixed(2)} s, ${fmtMiB(res.rssKiB)} MiB${s.complete ? `, ${s.complete} manifests` : ""}`,
      );
    }
  }

  const mnodes = ctx.copyGraph.dist;
  const mount = {
    ocigraph: (dst) =>
      ocigraph("copy", "-r", `${D}/mount/src:v1`, `${D}/${dst}:v1`, "--plain-http", "--format", "json"),
    oras: (dst) =>
      oras("cp", "-r", "--from-plain-http", "--to-plain-http", `${D}/mount/src:v1`, `${D}/${dst}:v1`),
    regctl: (dst) =>
      regctl("image", "copy", "--referrers", ...hostFlags(D), `${D}/mount/src:v1`, `${D}/${dst}:v1`),
  };
  log(`copy -r within distribution (mount), ${REPS} reps`);
  for (let rep = 0; rep < REPS; rep++) {
    for (const tool of rotatedNames(mount, rep)) {
      const dst = `mount/${tool}-${rep}`;
      const before = procIo(ctx.Dpid);
      const res = await run(mount[tool](dst));
      const after = procIo(ctx.Dpid);
      const s = {
        wall: res.wall,
        rssKiB: res.rssKiB,
        cpu: res.cpu,
        code: res.code,
        registryRead: after.rchar - before.rchar,
        complete: await completeness(D, dst, mnodes),
      };
      if (tool === "ocigraph" && res.code === 0) {
        const j = JSON.parse(res.stdout);
        s.bytes = j.bytes;
        s.mounted = j.mounted;
      }
      record("copy-mount", tool, s);
      log(
        `  mount ${tool} #${rep}: ${res.wall.toFixed(2)} s, registry read ${(s.registryRead / MiB).toFixed(1)} MiB`,
      );
    }
  }
}

/** copy -r of a tiny image with the same 10 referrers: to distribution (tag schema) and to refreg (API). */
async function graphCopyScenario(ctx) {
  const { R, D } = ctx;
  for (const [label, host, flags] of [
    ["dist", D, hostFlags(R, D)],
    ["refreg", R, hostFlags(R)],
  ]) {
    const tools = {
      ocigraph: (dst) =>
        ocigraph("copy", "-r", `${R}/small/app:v1`, `${host}/${dst}:v1`, "--plain-http", "--format", "json"),
      oras: (dst) =>
        oras("cp", "-r", "--from-plain-http", "--to-plain-http", `${R}/small/app:v1`, `${host}/${dst}:v1`),
      regctl: (dst) =>
        regctl("image", "copy", "--referrers", ...flags, `${R}/small/app:v1`, `${host}/${dst}:v1`),
    };
    log(`copy -r of a tiny image + 10 referrers, refreg -> ${label}, ${REPS} reps`);
    for (let rep = 0; rep < REPS; rep++) {
      for (const tool of rotatedNames(tools, rep)) {
        const dst = `graph/${tool}-${rep}`;
        const res = await run(tools[tool](dst));
        const s = {
          wall: res.wall,
          rssKiB: res.rssKiB,
          cpu: res.cpu,
          code: res.code,
          complete: await completeness(host, dst, ctx.smallGraph),
        };
        record(`graph-${label}`, tool, s);
        log(`  ${tool} #${rep}: ${res.wall.toFixed(2)} s, ${s.complete}`);
      }
    }
  }
}

async function concurrencyScenario(ctx) {
  const { R, D } = ctx;
  const tools = Object.fromEntries(
    CONCURRENCIES.map((c) => [
      `c=${c}`,
      (dst) =>
        ocigraph(
          "copy",
          "-r",
          `${R}/src/app:v1`,
          `${D}/${dst}:v1`,
          "--plain-http",
          "--concurrency",
          String(c),
          "--format",
          "json",
        ),
    ]),
  );
  log(`ocigraph copy -r --concurrency ${CONCURRENCIES.join("/")}, ${CONC_REPS} reps`);
  for (let rep = 0; rep < CONC_REPS; rep++) {
    for (const tool of rotatedNames(tools, rep)) {
      const res = await run(tools[tool](`conc/${tool.replace("=", "")}-${rep}`));
      record("concurrency", tool, { wall: res.wall, rssKiB: res.rssKiB, cpu: res.cpu, code: res.code });
      log(`  ${tool} #${rep}: ${res.wall.toFixed(2)} s`);
    }
  }
}

async function discoverScenarios(ctx) {
  const { R, D } = ctx;
  const expected = DISCOVER_TREE.reduce(
    (acc, f, i) => acc + DISCOVER_TREE.slice(0, i + 1).reduce((a, b) => a * b, 1),
    0,
  );
  ctx.discoverNodes = expected;
  for (const [label, host, fallback] of [
    ["refreg", R, false],
    ["dist", D, true],
  ]) {
    log(`building a ${expected}-referrer graph on ${label}`);
    const subject = await pushImage(host, "disco/app", "v1", [Buffer.from("layer")]);
    await pushReferrerTree(host, "disco/app", subject, DISCOVER_TREE, { fallback, types: TYPES });
    const ref = `${host}/disco/app:v1`;
    const tools = {
      ocigraph: () => ocigraph("discover", ref, "--plain-http", "--format", "json"),
      oras: () => oras("discover", ref, "--plain-http", "--format", "json"),
      regctl: () => regctl("artifact", "tree", ...hostFlags(host), ref, "--format", "{{json .}}"),
    };
    log(`discover on ${label}, ${REPS} reps`);
    for (let rep = 0; rep < REPS; rep++) {
      for (const tool of rotatedNames(tools, rep)) {
        const res = await run(tools[tool]());
        const digests = new Set(res.stdout.match(/sha256:[0-9a-f]{64}/g) ?? []);
        digests.delete(subject.digest);
        for (const b of [subject.config.digest, ...subject.layers.map((l) => l.digest)]) digests.delete(b);
        record(`discover-${label}`, tool, {
          wall: res.wall,
          rssKiB: res.rssKiB,
          cpu: res.cpu,
          code: res.code,
          found: digests.size,
        });
        log(`  ${tool} #${rep}: ${res.wall.toFixed(2)} s, ${digests.size} digests in output`);
      }
    }
  }
}

async function attachScenarios(ctx) {
  const { R, D } = ctx;
  const files = ["sbom.spdx.json", "signature.sig", "scan.sarif"];
  const sizes = [16384, 1024, 8192];
  for (const [label, host] of [
    ["refreg", R],
    ["dist", D],
  ]) {
    const tools = ["ocigraph", "oras", "regctl"];
    for (const t of tools) await pushImage(host, `attach/${t}`, "v1", [Buffer.from(`base ${t}`)]);
    const cmd = {
      ocigraph: () =>
        ocigraph(
          "attach",
          `${host}/attach/ocigraph:v1`,
          ...files,
          "--artifact-type",
          "application/vnd.bench.report",
          "--plain-http",
        ),
      oras: () =>
        oras(
          "attach",
          "--plain-http",
          "--artifact-type",
          "application/vnd.bench.report",
          `${host}/attach/oras:v1`,
          ...files,
        ),
      regctl: () =>
        regctl(
          "artifact",
          "put",
          ...hostFlags(host),
          "--subject",
          `${host}/attach/regctl:v1`,
          "--artifact-type",
          "application/vnd.bench.report",
          "--file-title",
          ...files.flatMap((f) => ["-f", f, "-m", "application/octet-stream"]),
        ),
    };
    log(`attach 3 files on ${label}, ${REPS} reps`);
    for (let rep = 0; rep < REPS; rep++) {
      for (const tool of rotated(tools, rep)) {
        // Fresh content per run: every attach is a new artifact (ocigraph would reuse an identical one).
        const dir = path.join(WORK, `attach-${label}-${tool}-${rep}`);
        await mkdir(dir);
        for (let i = 0; i < files.length; i++) {
          await writeFile(
            path.join(dir, files[i]),
            `${tool} ${rep} ${i} ${Date.now()}\n`.padEnd(sizes[i], "x"),
          );
        }
        const res = await run(cmd[tool](dir), { cwd: dir });
        record(`attach-${label}`, tool, { wall: res.wall, rssKiB: res.rssKiB, cpu: res.cpu, code: res.code });
        log(`  ${tool} #${rep}: ${res.wall.toFixed(2)} s`);
      }
    }
  }
}

async function memoryScenario(ctx, dataDir) {
  const { R, D } = ctx;
  ctx.memSizes = [1, 2].map((g) => Math.round(g * GiB * SCALE));
  for (const size of ctx.memSizes) {
    const label = `${(size / GiB).toFixed(2)} GiB`;
    log(`single ${label} blob: writing and pushing to refreg`);
    const f = await randomFile(path.join(dataDir, `mem-${size}`), size);
    await pushImage(R, `mem/b${size}`, "v1", [f]);
    await rm(f.file, { force: true });
    const tools = {
      ocigraph: (dst) =>
        ocigraph("copy", `${R}/mem/b${size}:v1`, `${D}/${dst}:v1`, "--plain-http", "--format", "json"),
    };
    // oras and regctl once each, for reference.
    const peers = {
      oras: (dst) =>
        oras("cp", "--from-plain-http", "--to-plain-http", `${R}/mem/b${size}:v1`, `${D}/${dst}:v1`),
      regctl: (dst) => regctl("image", "copy", ...hostFlags(R, D), `${R}/mem/b${size}:v1`, `${D}/${dst}:v1`),
    };
    for (let rep = 0; rep < MEM_REPS; rep++) {
      const res = await run(tools.ocigraph(`memcopy/b${size}-ocigraph-${rep}`));
      record(`memory-${size}`, "ocigraph", {
        wall: res.wall,
        rssKiB: res.rssKiB,
        cpu: res.cpu,
        code: res.code,
      });
      log(`  ocigraph ${label} #${rep}: ${res.wall.toFixed(2)} s, ${fmtMiB(res.rssKiB)} MiB`);
    }
    for (const [tool, f2] of Object.entries(peers)) {
      const res = await run(f2(`memcopy/b${size}-${tool}`));
      record(`memory-${size}`, tool, { wall: res.wall, rssKiB: res.rssKiB, cpu: res.cpu, code: res.code });
      log(`  ${tool} ${label}: ${res.wall.toFixed(2)} s, ${fmtMiB(res.rssKiB)} MiB`);
    }
  }
}

// ---------- report ----------

function stats(key, tool) {
  const xs = samples[key]?.[tool];
  if (!xs?.length) return undefined;
  const ok = xs.filter((s) => s.code === 0);
  const failed = xs.length - ok.length;
  const use = ok.length ? ok : xs;
  return {
    n: xs.length,
    failed,
    wall: median(use.map((s) => s.wall)),
    min: Math.min(...use.map((s) => s.wall)),
    max: Math.max(...use.map((s) => s.wall)),
    rss: Math.max(...use.map((s) => s.rssKiB)),
    cpu: median(use.map((s) => s.cpu)),
    samples: xs,
  };
}

function machine() {
  const cpu = os.cpus()[0]?.model ?? "?";
  const ver = (cmd, args) => {
    try {
      return execFileSync(cmd, args, { encoding: "utf8", env: toolEnv }).trim().split("\n")[0];
    } catch {
      return "?";
    }
  };
  let kernel = os.release();
  return {
    date: new Date().toISOString(),
    nproc: os.cpus().length,
    cpu,
    memGiB: (os.totalmem() / GiB).toFixed(1),
    kernel,
    node: process.version,
    go: ver("go", ["version"]),
    oras: ver(path.join(BIN, "oras"), ["version"]),
    regctl: ver(path.join(BIN, "regctl"), ["version", "--format", "{{.VCSTag}}"]),
    distribution: ver("/usr/bin/docker-registry", ["--version"]),
    curl: ver("curl", ["--version"]),
    ocigraph: `${ver("git", ["-C", ROOT, "rev-parse", "--short", "HEAD"])}${ver("git", ["-C", ROOT, "status", "--porcelain", "dist/cli.js"]) ? " + working tree" : ""}, ${cliInfo}`,
    disk:
      execFileSync("df", ["--output=source,fstype", process.env.BENCH_TMPDIR ?? os.tmpdir()], {
        encoding: "utf8",
      })
        .trim()
        .split("\n")
        .pop()
        .trim()
        .replace(/\s+/, " (") + ")",
  };
}

function toolRow(label, key, tools = ["ocigraph", "oras", "regctl"], extra = () => "") {
  const s = Object.fromEntries(tools.map((t) => [t, stats(key, t)]));
  const o = s.ocigraph;
  const cell = (t) => (s[t] ? `${fmtS(s[t].wall)}${s[t].failed ? ` (${s[t].failed} failed)` : ""}` : "–");
  return `| ${label} | ${cell("ocigraph")} | ${cell("oras")} | ${cell("regctl")} | ${fmtR(o?.wall / s.oras?.wall)} | ${fmtR(
    o?.wall / s.regctl?.wall,
  )} | ${fmtS(o?.cpu)} / ${fmtS(s.oras?.cpu)} / ${fmtS(s.regctl?.cpu)} | ${fmtMiB(o?.rss)} / ${fmtMiB(s.oras?.rss)} / ${fmtMiB(s.regctl?.rss)} | ${extra(s)} |`;
}

async function writeResults(ctx) {
  const m = machine();
  const mb = (b) => (b / MiB).toFixed(0);
  const thr = (bytes, secs) => `${(bytes / MiB / secs).toFixed(0)} MiB/s`;
  const L = [];
  L.push("# ocigraph benchmark results", "");
  L.push(
    `Generated by \`npm run bench\` (scripts/bench/bench.mjs) on ${m.date}, in ${(ctx.totalSeconds / 60).toFixed(1)} min.` +
      (SCALE !== 1 ? ` **Scaled run: BENCH_SCALE=${SCALE}.**` : ""),
    "",
  );
  L.push("## Machine", "");
  L.push(
    `- ${m.nproc} CPUs (${m.cpu}), ${m.memGiB} GiB RAM, Linux ${m.kernel}; registry storage on ${m.disk}`,
  );
  L.push(`- Node ${m.node}; ${m.go}; ${m.curl.split(" ").slice(0, 2).join(" ")}`);
  L.push(
    `- Load: 1-minute load average at the start of each run: median ${median(loads).toFixed(1)}, max ${Math.max(...loads).toFixed(1)}` +
      " (other sessions' test suites share this machine; the tools alternate so each sees the same noise)",
  );
  L.push(`- ocigraph ${m.ocigraph}; oras ${m.oras.replace(/^Version:\s*/, "")}; regctl ${m.regctl}`);
  L.push(
    `- registries on loopback: CNCF distribution (\`${m.distribution}\`, filesystem storage) and refreg`,
  );
  L.push(
    "  (go-containerregistry's `pkg/registry` with the OCI 1.1 referrers API, scripts/peers/refreg) standing in for zot:",
    "  the Go module proxy reachable here does not serve zot. refreg re-hashes a whole blob on every GET/HEAD,",
    "  which slows every tool equally when it is the source.",
    "",
  );
  L.push("## Method", "");
  L.push(
    `- Every scenario runs each tool ${REPS} times; the order of tools rotates per repetition. Times are medians of wall time`,
    "  (process start to exit, so start-up counts: see the start-up row). CPU is user+sys from GNU time (median). Peak memory is",
    "  the maximum resident set size from `/usr/bin/time -f %M` (GNU time, Debian package `time`), the largest over the repetitions.",
    '- Each copy goes to a fresh destination repository; the table\'s "complete" column counts the expected manifests',
    "  (index, 2 platform manifests, 10 referrers) found at the destination afterwards.",
    `- Copy image: OCI index, ${PLATFORMS.length} platforms x ${LAYERS} layers of ${(LAYER_SIZE / MiB).toFixed(1)} MiB random data`,
    `  (${(ctx.imageBytes / GiB).toFixed(2)} GiB of layers), with 10 referrers two levels deep (5 on the index, 1 on each of those; 4 KiB each).`,
    "  All referrers hang off the index so that every tool has the same work (not every tool walks the referrers of platform manifests).",
    "- Blobs are in the page cache (24 GiB RAM); tools, registries and curl share the same 2 CPUs, so CPU spent hashing and",
    "  copying in the registries is part of every number.",
    "",
  );

  const hdr = [
    "| Scenario | ocigraph (s) | oras (s) | regctl (s) | ocigraph / oras | ocigraph / regctl | CPU s, user+sys (ocigraph / oras / regctl) | peak RSS MiB (ocigraph / oras / regctl) | notes |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---|",
  ];
  L.push("## Results (medians)", "", ...hdr);
  if (samples.startup) L.push(toolRow("start-up only (`--version`)", "startup"));
  const completeNote = () => (s) =>
    ["ocigraph", "oras", "regctl"]
      .filter((t) => s[t])
      .map((t) => `${t} ${[...new Set(s[t].samples.map((x) => x.complete))].join(",")}`)
      .join("; ");
  if (samples["copy-stream"]) {
    L.push(
      toolRow(
        "copy -r, refreg → distribution (stream)",
        "copy-stream",
        undefined,
        (s) => `complete: ${completeNote()(s)}`,
      ),
    );
  }
  if (samples["copy-mount"]) {
    L.push(
      toolRow("copy -r, within distribution (mount)", "copy-mount", undefined, (s) =>
        ["ocigraph", "oras", "regctl"]
          .filter((t) => s[t])
          .map((t) => `${t} registry read ${mb(median(s[t].samples.map((x) => x.registryRead)))} MiB`)
          .join("; "),
      ),
    );
  }
  for (const [key, label] of [
    ["graph-dist", "copy -r, tiny image + 10 referrers, refreg → distribution (tag schema)"],
    ["graph-refreg", "copy -r, tiny image + 10 referrers, refreg → refreg (referrers API)"],
  ]) {
    if (samples[key]) L.push(toolRow(label, key, undefined, (s) => `complete: ${completeNote()(s)}`));
  }
  for (const [key, label] of [
    ["discover-refreg", `discover ${ctx.discoverNodes} referrers, 3 levels, refreg (referrers API)`],
    ["discover-dist", `discover ${ctx.discoverNodes} referrers, 3 levels, distribution (tag schema)`],
  ]) {
    if (samples[key]) {
      L.push(
        toolRow(
          label,
          key,
          undefined,
          (s) =>
            "digests in output: " +
            ["ocigraph", "oras", "regctl"]
              .filter((t) => s[t])
              .map((t) => `${t} ${median(s[t].samples.map((x) => x.found))}`)
              .join(", "),
        ),
      );
    }
  }
  for (const [key, label] of [
    ["attach-refreg", "attach 3 small files, refreg (referrers API)"],
    ["attach-dist", "attach 3 small files, distribution (tag schema)"],
  ]) {
    if (samples[key]) L.push(toolRow(label, key));
  }
  L.push("");
  const floor = stats("startup", "node -e 0");
  const version = stats("startup", "ocigraph");
  if (floor && version) {
    L.push(
      `Start-up floor: \`node -e 0\` takes ${fmtS(floor.wall)} s (CPU ${fmtS(floor.cpu)} s, ${fmtMiB(floor.rss)} MiB); ` +
        `\`ocigraph --version\` is ${fmtR(version.wall / floor.wall)} of it (CPU ${fmtR(version.cpu / floor.cpu)}).`,
      "",
    );
  }
  L.push(...latencyTable(ctx, stats, { s: fmtS, r: fmtR, median: (xs) => median(xs) }));

  const cs = ["ocigraph", "oras", "regctl", "curl upload", "curl GET|PUT"].map((t) => [
    t,
    stats("copy-stream", t),
  ]);
  if (cs.some(([, s]) => s)) {
    L.push("## Throughput against the curl baseline (registry → registry copy)", "");
    L.push(`Blob bytes: ${mb(ctx.imageBytes)} MiB of layers (configs and referrers add a few KiB).`, "");
    L.push(
      "| Tool | median (s) | min–max (s) | throughput | % of curl upload | % of curl GET\\|PUT | peak RSS MiB |",
      "|---|---:|---:|---:|---:|---:|---:|",
    );
    const up = stats("copy-stream", "curl upload");
    const pipe = stats("copy-stream", "curl GET|PUT");
    for (const [t, s] of cs) {
      if (!s) continue;
      L.push(
        `| ${t} | ${fmtS(s.wall)} | ${fmtS(s.min)}–${fmtS(s.max)} | ${thr(ctx.imageBytes, s.wall)} | ${up ? ((up.wall / s.wall) * 100).toFixed(0) + "%" : "–"} | ${
          pipe ? ((pipe.wall / s.wall) * 100).toFixed(0) + "%" : "–"
        } | ${fmtMiB(s.rss)} |`,
      );
    }
    L.push(
      "",
      "`curl upload`: the 6 layer files read from local disk and uploaded to distribution, one POST + monolithic PUT each, all 6 in parallel.",
      "`curl GET|PUT`: the same 6 blobs streamed from refreg into distribution (`curl GET | curl -T - PUT`), all 6 in parallel — the",
      "physical ceiling of a streaming registry-to-registry copy on this machine, with the same source and destination costs the tools pay.",
      "",
    );
  }

  if (samples["copy-mount"]) {
    L.push("## Bytes transferred, copy within one registry", "");
    L.push(
      "| Tool | blob bytes sent (tool's report) | bytes read by the registry process (median) | complete |",
      "|---|---:|---:|---|",
    );
    for (const t of ["ocigraph", "oras", "regctl"]) {
      const s = stats("copy-mount", t);
      if (!s) continue;
      const bytes =
        t === "ocigraph"
          ? `${median(s.samples.map((x) => x.bytes ?? NaN))} (mounted ${median(s.samples.map((x) => x.mounted ?? NaN))})`
          : "–";
      L.push(
        `| ${t} | ${bytes} | ${(median(s.samples.map((x) => x.registryRead)) / 1024).toFixed(0)} KiB | ${[...new Set(s.samples.map((x) => x.complete))].join(",")} |`,
      );
    }
    L.push(
      "",
      '"Bytes read by the registry process" is the growth of `rchar` in distribution\'s `/proc/<pid>/io` during the run: every byte',
      "it read from sockets and files (requests, manifests, the small referrer blobs that are mounted too). A streamed layer would",
      `add ~${mb(LAYER_SIZE)} MiB per layer; a few hundred KiB means every layer was mounted.`,
      "",
    );
  }

  if (samples.concurrency) {
    L.push(
      "## ocigraph copy -r (refreg → distribution) by `--concurrency`",
      "",
      `${CONC_REPS} runs per value, alternating.`,
      "",
    );
    L.push(
      "| --concurrency | median (s) | min–max (s) | throughput | peak RSS MiB |",
      "|---:|---:|---:|---:|---:|",
    );
    for (const c of CONCURRENCIES) {
      const s = stats("concurrency", `c=${c}`);
      if (s)
        L.push(
          `| ${c}${c === 8 ? " (default)" : ""} | ${fmtS(s.wall)} | ${fmtS(s.min)}–${fmtS(s.max)} | ${thr(ctx.imageBytes, s.wall)} | ${fmtMiB(s.rss)} |`,
        );
    }
    L.push("");
  }

  if (ctx.memSizes) {
    L.push("## Peak memory copying one large blob (refreg → distribution)", "");
    L.push(
      `ocigraph ${MEM_REPS} runs per size (median time, largest RSS); oras and regctl once each for reference.`,
      "",
      "| Blob | ocigraph time (s) | ocigraph peak RSS MiB | oras time (s) / RSS MiB | regctl time (s) / RSS MiB |",
      "|---|---:|---:|---:|---:|",
    );
    for (const size of ctx.memSizes) {
      const o = stats(`memory-${size}`, "ocigraph");
      const or = stats(`memory-${size}`, "oras");
      const rg = stats(`memory-${size}`, "regctl");
      L.push(
        `| ${(size / GiB).toFixed(2)} GiB | ${fmtS(o?.wall)} | ${fmtMiB(o?.rss)} (runs: ${o?.samples.map((x) => fmtMiB(x.rssKiB)).join(", ")}) | ${fmtS(or?.wall)} / ${fmtMiB(or?.rss)} | ${fmtS(
          rg?.wall,
        )} / ${fmtMiB(rg?.rss)} |`,
      );
    }
    L.push("");
  }

  L.push("## Targets (issue 4)", "");
  L.push(...targets(ctx), "");
  const t13 = issue13Targets(ctx, stats, { s: fmtS, r: fmtR, median });
  if (t13.length) L.push("## Targets (issue 13)", "", ...t13, "");
  const analysis = path.join(ROOT, "bench", "ANALYSIS.md");
  if (SCALE === 1 && existsSync(analysis)) {
    L.push(readFileSync(analysis, "utf8").trim(), "");
  }
  L.push(
    "## Raw samples",
    "",
    "Every run's wall time (s), CPU (s) and peak RSS (KiB), in run order, are in `bench/results.json`.",
    "",
  );

  const md = L.join("\n");
  console.log(md);
  const out =
    process.env.BENCH_OUT ??
    (SCALE === 1 && REPS >= 5 && ONLY.size === 7
      ? path.join(ROOT, "bench", "RESULTS.md")
      : path.join(os.tmpdir(), "ocigraph-bench-RESULTS.md"));
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(out, md);
  const json = path.join(
    path.dirname(out),
    out.endsWith("RESULTS.md") && path.basename(out) === "RESULTS.md"
      ? "results.json"
      : "ocigraph-bench-results.json",
  );
  let jsonText =
    JSON.stringify(
      { machine: m, scale: SCALE, reps: REPS, imageBytes: ctx.imageBytes, loads, samples },
      null,
      2,
    ) + "\n";
  try {
    // Formatted the way `npm run lint` (prettier --check) expects, when prettier is installed.
    const prettier = await import("prettier");
    jsonText = await prettier.format(jsonText, {
      parser: "json",
      ...((await prettier.resolveConfig(json)) ?? {}),
    });
  } catch {
    /* prettier not installed: plain JSON */
  }
  await writeFile(json, jsonText);
  log(`wrote ${out} and ${json}`);
}

function targets(ctx) {
  const out = [];
  const verdict = (ok) => (ok ? "**met**" : "**missed**");
  const o = stats("copy-stream", "ocigraph");
  const or = stats("copy-stream", "oras");
  const up = stats("copy-stream", "curl upload");
  const pipe = stats("copy-stream", "curl GET|PUT");
  if (o && or) {
    const r = o.wall / or.wall;
    out.push(`- copy -r registry → registry ≤ 0.6x \`oras cp -r\`: ${fmtR(r)} — ${verdict(r <= 0.6)}.`);
  }
  if (o && up) {
    const p = up.wall / o.wall;
    out.push(
      `- copy -r registry → registry ≥ 70% of the curl baseline's throughput: ${(p * 100).toFixed(0)}% of \`curl upload\`` +
        (pipe ? ` (${((pipe.wall / o.wall) * 100).toFixed(0)}% of \`curl GET|PUT\`)` : "") +
        ` — ${verdict(p >= 0.7)}.`,
    );
  }
  const m = stats("copy-mount", "ocigraph");
  if (m) {
    const bytes = median(m.samples.map((x) => x.bytes ?? NaN));
    out.push(
      `- copy -r within one registry transfers zero blob bytes: ocigraph reports ${bytes} bytes sent — ${verdict(bytes === 0)}.`,
    );
  }
  const d = stats("discover-refreg", "ocigraph");
  const dor = stats("discover-refreg", "oras");
  if (d && dor) {
    const r = d.wall / dor.wall;
    const dd = stats("discover-dist", "ocigraph");
    const ddor = stats("discover-dist", "oras");
    out.push(
      `- discover of ${ctx.discoverNodes} nodes ≤ 0.5x \`oras discover\`: ${fmtR(r)} with the referrers API` +
        (dd && ddor ? `, ${fmtR(dd.wall / ddor.wall)} with the tag schema` : "") +
        ` — ${verdict(r <= 0.5)}${dd && ddor ? ` / ${verdict(dd.wall / ddor.wall <= 0.5)}` : ""}.`,
    );
  }
  if (ctx.memSizes) {
    const rs = ctx.memSizes.map((s) => stats(`memory-${s}`, "ocigraph")?.rss / 1024);
    const flat = rs.length === 2 && Math.abs(rs[1] - rs[0]) < 20;
    out.push(
      `- peak memory copying a ${(ctx.memSizes[0] / GiB).toFixed(2)} GiB blob < 150 MiB: ${rs[0]?.toFixed(0)} MiB — ${verdict(rs[0] < 150)}; ` +
        `flat as the blob grows: ${rs[1]?.toFixed(0)} MiB at ${(ctx.memSizes[1] / GiB).toFixed(2)} GiB — ${verdict(flat)}.`,
    );
  }
  return out;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
