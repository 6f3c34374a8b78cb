// The latency-bound part of `npm run bench` (issue 13): every tool talks to the registries
// through toxiproxy adding 25 ms each way (50 ms round trip), as real registries are tens of
// milliseconds away. Between toxiproxy and each registry sits a small counting proxy, so each
// run also reports how many HTTP requests it made (a number machine noise cannot change).
//
//   tool -> toxiproxy (latency 25 ms up, 25 ms down) -> counting proxy -> registry
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import http from "node:http";
import path from "node:path";
import { freePort, pushImage, pushMultiArch, pushReferrerTree } from "./registry.mjs";

const ONE_WAY_MS = 25;

/** An HTTP proxy to `upstream` that counts requests; Host is kept, so Location URLs stay ours. */
async function countingProxy(upstream) {
  const [host, port] = upstream.split(":");
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  let count = 0;
  const server = http.createServer((req, res) => {
    count++;
    const up = http.request(
      { host, port: Number(port), method: req.method, path: req.url, headers: req.headers, agent },
      (ur) => {
        res.writeHead(ur.statusCode ?? 502, ur.headers);
        ur.pipe(res);
      },
    );
    up.on("error", () => res.destroy());
    req.pipe(up);
  });
  const listen = await freePort();
  await new Promise((r) => server.listen(listen, "127.0.0.1", r));
  return {
    host: `127.0.0.1:${listen}`,
    take() {
      const n = count;
      count = 0;
      return n;
    },
    close: () => new Promise((r) => server.close(r)),
  };
}

/** toxiproxy-server with one latency proxy per upstream; resolves { hosts, stop }. */
async function startToxiproxy(bin, upstreams) {
  const apiPort = await freePort();
  const child = spawn(bin, ["-host", "127.0.0.1", "-port", String(apiPort)], { stdio: "ignore" });
  const api = `http://127.0.0.1:${apiPort}`;
  const call = async (method, route, body) => {
    const res = await fetch(`${api}${route}`, {
      method,
      ...(body ? { body: JSON.stringify(body), headers: { "content-type": "application/json" } } : {}),
    });
    if (!res.ok) throw new Error(`toxiproxy ${method} ${route}: ${res.status} ${await res.text()}`);
    return res.text();
  };
  for (let i = 0; ; i++) {
    try {
      await call("GET", "/version");
      break;
    } catch (err) {
      if (i > 200) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  const hosts = [];
  for (const [i, upstream] of upstreams.entries()) {
    const listen = `127.0.0.1:${await freePort()}`;
    const name = `reg${i}`;
    await call("POST", "/proxies", { name, listen, upstream, enabled: true });
    for (const stream of ["upstream", "downstream"]) {
      await call("POST", `/proxies/${name}/toxics`, {
        name: `latency-${stream}`,
        type: "latency",
        stream,
        toxicity: 1,
        attributes: { latency: ONE_WAY_MS, jitter: 0 },
      });
    }
    hosts.push(listen);
  }
  return { hosts, stop: () => child.kill("SIGTERM") };
}

/**
 * Runs the latency-bound scenarios. `h` carries bench.mjs's helpers: run, record, log, rotated,
 * tool command builders, WORK, BIN, ROOT, REPS and the node binary running the action.
 */
export async function latencyScenarios(ctx, h) {
  const counters = [await countingProxy(ctx.R), await countingProxy(ctx.D)];
  const toxi = await startToxiproxy(
    path.join(h.BIN, "toxiproxy-server"),
    counters.map((c) => c.host),
  );
  const [R, D] = toxi.hosts;
  const requests = () => counters.reduce((n, c) => n + c.take(), 0);
  ctx.latency = { oneWayMs: ONE_WAY_MS, scenarios: [] };
  const { ocigraph, oras, regctl, hostFlags } = h;

  // Content, pushed straight to the registries (not through the proxies).
  const tiny = (s) => [[Buffer.from(`${s} layer a`)], [Buffer.from(`${s} layer b`)]];
  const platforms = ["linux/amd64", "linux/arm64"];
  for (const [host] of [[ctx.R], [ctx.D]]) {
    const fallback = host === ctx.D;
    const disco = await pushImage(host, "lat/disco", "v1", [Buffer.from("disco layer")]);
    await pushReferrerTree(host, "lat/disco", disco, [5, 5], { fallback, types: h.TYPES });
    const src = await pushMultiArch(host, "lat/src", "v1", tiny(host), platforms);
    await pushReferrerTree(host, "lat/src", src, [5, 5], { fallback, types: h.TYPES });
  }
  requests();

  /** One scenario: each tool REPS times, tool order rotating; records time and requests. */
  const only = process.env.BENCH_LATENCY_ONLY ? new RegExp(process.env.BENCH_LATENCY_ONLY) : undefined;
  const scenario = async (key, label, tools, prepare) => {
    if (only && !only.test(key)) return;
    h.log(`latency: ${label}, ${h.REPS} reps`);
    ctx.latency.scenarios.push({ key, label });
    for (let rep = 0; rep < h.REPS; rep++) {
      for (const tool of h.rotated(Object.keys(tools), rep)) {
        const dir = prepare ? await prepare(tool, rep) : h.WORK;
        requests();
        const res = await h.run(tools[tool](rep, dir), { cwd: dir });
        const n = requests();
        h.record(key, tool, {
          wall: res.wall,
          rssKiB: res.rssKiB,
          cpu: res.cpu,
          code: res.code,
          requests: n,
        });
        h.log(`  ${tool} #${rep}: ${res.wall.toFixed(2)} s, ${n} requests`);
      }
    }
  };

  const files = ["sbom.spdx.json", "signature.sig", "scan.sarif"];
  const freshFiles = (label) => async (tool, rep) => {
    const dir = path.join(h.WORK, `lat-attach-${label}-${tool}-${rep}`);
    await mkdir(dir, { recursive: true });
    for (const [i, f] of files.entries())
      await writeFile(path.join(dir, f), `${tool} ${rep} ${i} ${Date.now()}\n`.padEnd(1024 * (i + 1), "x"));
    return dir;
  };
  for (const [label, host, kind] of [
    ["dist", D, "tag schema"],
    ["refreg", R, "referrers API"],
  ]) {
    const direct = label === "dist" ? ctx.D : ctx.R;
    for (const t of ["ocigraph", "oras", "regctl"])
      for (let rep = 0; rep < h.REPS; rep++)
        await pushImage(direct, `lat/attach-${t}-${rep}`, "v1", [Buffer.from(`base ${t} ${rep}`)]);
    const type = "application/vnd.bench.report";
    await scenario(
      `lat-attach-${label}`,
      `attach 3 small files, ${kind}`,
      {
        ocigraph: (rep) =>
          ocigraph(
            "attach",
            `${host}/lat/attach-ocigraph-${rep}:v1`,
            ...files,
            "--artifact-type",
            type,
            "--plain-http",
          ),
        oras: (rep) =>
          oras(
            "attach",
            "--plain-http",
            "--artifact-type",
            type,
            `${host}/lat/attach-oras-${rep}:v1`,
            ...files,
          ),
        regctl: (rep) =>
          regctl(
            "artifact",
            "put",
            ...hostFlags(host),
            "--subject",
            `${host}/lat/attach-regctl-${rep}:v1`,
            "--artifact-type",
            type,
            "--file-title",
            ...files.flatMap((f) => ["-f", f, "-m", "application/octet-stream"]),
          ),
      },
      freshFiles(label),
    );
  }
  for (const [label, host, kind] of [
    ["dist", D, "tag schema"],
    ["refreg", R, "referrers API"],
  ]) {
    const ref = `${host}/lat/disco:v1`;
    await scenario(`lat-discover-${label}`, `discover 31 nodes, ${kind}`, {
      ocigraph: () => ocigraph("discover", ref, "--plain-http", "--format", "json"),
      oras: () => oras("discover", ref, "--plain-http", "--format", "json"),
      regctl: () => regctl("artifact", "tree", ...hostFlags(host), ref, "--format", "{{json .}}"),
    });
  }
  for (const [label, host, kind] of [
    ["dist", D, "tag-schema"],
    ["refreg", R, "referrers-API"],
  ]) {
    const src = `${host}/lat/src:v1`;
    const dst = (tool, rep) => `${host}/lat/copy-${tool}-${rep}:v1`;
    await scenario(
      `lat-copy-${label}`,
      `copy -r within a ${kind} registry (index, 2 platforms, 30 referrers)`,
      {
        ocigraph: (rep) => ocigraph("copy", "-r", src, dst("ocigraph", rep), "--plain-http"),
        oras: (rep) => oras("cp", "-r", "--from-plain-http", "--to-plain-http", src, dst("oras", rep)),
        regctl: (rep) => regctl("image", "copy", "--referrers", ...hostFlags(host), src, dst("regctl", rep)),
      },
    );
  }

  // The Action's typical step on a tag-schema registry: SBOM + signature + scan on the image, a
  // signature on the SBOM, then promote the whole graph. oras does the same as five commands.
  const actionDefaults = actionInputDefaults(h.ROOT);
  for (const t of ["ocigraph", "oras"])
    for (let rep = 0; rep < h.REPS; rep++)
      await pushImage(ctx.D, `lat/step-${t}-${rep}`, "v1", [Buffer.from(`step ${t} ${rep}`)]);
  const stepFiles = async (tool, rep) => {
    const dir = await mkdtemp(path.join(h.WORK, `lat-step-${tool}-${rep}-`));
    await writeFile(
      path.join(dir, "sbom.spdx.json"),
      `{"spdxVersion":"SPDX-2.3","n":"${tool}${rep}${Date.now()}"}\n`,
    );
    await writeFile(path.join(dir, "signature.json"), `{"sig":"${tool}${rep}${Date.now()}"}\n`);
    await writeFile(path.join(dir, "trivy.sarif"), `{"version":"2.1.0","runs":[],"n":"${tool}${rep}"}\n`);
    await writeFile(path.join(dir, "sbom.sig"), `{"sbom-sig":"${tool}${rep}${Date.now()}"}\n`);
    await writeFile(path.join(dir, "github_output"), "");
    return dir;
  };
  const orasStep = (rep, dir) => {
    const o = path.join(h.BIN, "oras");
    const img = `${D}/lat/step-oras-${rep}:v1`;
    const p = "--plain-http";
    return [
      "bash",
      "-c",
      [
        `set -e; cd ${dir}`,
        `${o} attach ${p} --artifact-type application/spdx+json ${img} sbom.spdx.json --format go-template --template '{{.digest}}' > sbom.digest`,
        `${o} attach ${p} --artifact-type application/vnd.dev.sigstore.bundle.v0.3+json ${img} signature.json`,
        `${o} attach ${p} --artifact-type application/sarif+json ${img} trivy.sarif`,
        `${o} attach ${p} --artifact-type application/vnd.dev.sigstore.bundle.v0.3+json ${D}/lat/step-oras-${rep}@$(cat sbom.digest) sbom.sig`,
        `${o} cp -r --from-plain-http --to-plain-http ${img} ${D}/lat/staging-oras-${rep}:v1`,
      ].join(" && "),
    ];
  };
  const actionStep = (rep, dir) => {
    const inputs = {
      ...actionDefaults,
      subject: `${D}/lat/step-ocigraph-${rep}:v1`,
      sbom: "sbom.spdx.json",
      signature: "signature.json",
      "signature-artifact-type": "application/vnd.dev.sigstore.bundle.v0.3+json",
      "scan-results": "trivy.sarif",
      attach: "@sbom application/vnd.dev.sigstore.bundle.v0.3+json sbom.sig",
      "promote-to": `${D}/lat/staging-ocigraph-${rep}:v1`,
      "plain-http": "true",
    };
    const env = [
      `GITHUB_WORKSPACE=${dir}`,
      `GITHUB_OUTPUT=${path.join(dir, "github_output")}`,
      `RUNNER_TEMP=${dir}`,
      "GITHUB_ACTIONS=true",
      ...Object.entries(inputs).map(([k, v]) => `INPUT_${k.replace(/ /g, "_").toUpperCase()}=${v}`),
    ];
    return ["env", ...env, process.execPath, path.join(h.DIST, "action.js")];
  };
  await scenario(
    "lat-action-step",
    "the Action's typical step, tag schema (attach SBOM + signature + scan, sign the SBOM, promote)",
    { ocigraph: actionStep, oras: orasStep },
    stepFiles,
  );

  toxi.stop();
  for (const c of counters) await c.close();
}

/** The defaults action.yml gives its inputs (the runner sets them for every step). */
function actionInputDefaults(root) {
  const text = readFileSync(path.join(root, "action.yml"), "utf8");
  const defaults = {};
  let input;
  for (const line of text.split("\n")) {
    const name = /^ {2}([a-z][a-z0-9-]*):\s*$/.exec(line);
    if (name) input = name[1];
    const value = /^ {4}default:\s*["']?([^"']*)["']?\s*$/.exec(line);
    if (input && value) defaults[input] = value[1];
    if (/^\S/.test(line) && !line.startsWith("inputs:")) input = undefined;
  }
  return defaults;
}

/** Rows of the latency table: per scenario and tool, median time, ratio to oras, median requests. */
export function latencyTable(ctx, stats, fmt) {
  if (!ctx.latency) return [];
  const lines = [
    `## Latency-bound: ${2 * ctx.latency.oneWayMs} ms round trip (toxiproxy, ${ctx.latency.oneWayMs} ms each way)`,
    "",
    "Every tool reaches both registries through toxiproxy adding the latency, then a counting proxy. Times are medians",
    "(s); requests are the median number of HTTP requests one run sent (identical in every run unless noted).",
    "",
    "| scenario | ocigraph | oras | regctl | ocigraph / oras | requests (ocigraph / oras / regctl) |",
    "|---|---:|---:|---:|---:|---:|",
  ];
  for (const { key, label } of ctx.latency.scenarios) {
    const s = Object.fromEntries(["ocigraph", "oras", "regctl"].map((t) => [t, stats(key, t)]));
    const req = (t) => {
      const xs = s[t]?.samples?.map((x) => x.requests) ?? [];
      if (!xs.length) return "–";
      const lo = Math.min(...xs);
      const hi = Math.max(...xs);
      return lo === hi ? String(lo) : `${fmt.median(xs)} (${lo}–${hi})`;
    };
    const ratio = s.ocigraph && s.oras ? s.ocigraph.wall / s.oras.wall : undefined;
    lines.push(
      `| ${label} | ${fmt.s(s.ocigraph?.wall)} | ${fmt.s(s.oras?.wall)} | ${fmt.s(s.regctl?.wall)} | ${fmt.r(ratio)} | ${req("ocigraph")} / ${req("oras")} / ${req("regctl")} |`,
    );
  }
  lines.push("");
  return lines;
}

/** Verdicts on issue 13's targets from this run's medians (request counts are exact). */
export function issue13Targets(ctx, stats, fmt) {
  const out = [];
  const verdict = (ok) => (ok ? "**met**" : "**missed**");
  const ratio = (key, a = "ocigraph", b = "oras") => {
    const x = stats(key, a);
    const y = stats(key, b);
    return x && y ? x.wall / y.wall : undefined;
  };
  const req = (key, tool) => {
    const xs = stats(key, tool)?.samples?.map((s) => s.requests) ?? [];
    return xs.length ? fmt.median(xs) : undefined;
  };
  const v = stats("startup", "ocigraph");
  const floor = stats("startup", "node -e 0");
  if (v && floor) {
    const r = v.wall / floor.wall;
    out.push(
      `- start-up: \`ocigraph --version\` ≤ 1.3x \`node -e 0\`: ${fmt.r(r)} wall, ${fmt.r(v.cpu / floor.cpu)} CPU — ${verdict(r <= 1.3)}` +
        " (help and usage errors load no undici, Azure or tar code: __tests__/e2e/startup.test.ts).",
    );
  }
  const api = ratio("lat-attach-refreg");
  const apiLoop = ratio("attach-refreg");
  if (api !== undefined) {
    out.push(
      `- attach, referrers API ≤ 1.0x oras at 50 ms RTT: ${fmt.r(api)} — ${verdict(api <= 1)}` +
        (apiLoop !== undefined ? `; ≤ 4x on loopback: ${fmt.r(apiLoop)} — ${verdict(apiLoop <= 4)}.` : "."),
    );
  }
  const tag = ratio("lat-attach-dist");
  if (tag !== undefined)
    out.push(`- attach, tag schema ≤ 2x oras at 50 ms RTT: ${fmt.r(tag)} — ${verdict(tag <= 2)}.`);
  const step = stats("lat-action-step", "ocigraph");
  if (step) {
    out.push(
      `- the Action's typical step, tag schema: ${fmt.s(step.wall)} s, ${req("lat-action-step", "ocigraph")} requests ` +
        `(oras as five commands: ${fmt.s(stats("lat-action-step", "oras")?.wall)} s, ${req("lat-action-step", "oras")} requests); ` +
        "one settle window per run: __tests__/integration/one-settle.test.ts.",
    );
  }
  const copy = ratio("lat-copy-dist");
  if (copy !== undefined) {
    const rq = req("lat-copy-dist", "ocigraph") / req("lat-copy-dist", "oras");
    out.push(
      `- copy -r into a tag-schema registry ≤ 0.6x oras at 50 ms RTT: ${fmt.r(copy)} — ${verdict(copy <= 0.6)}; ` +
        `requests ≤ 1.2x oras: ${fmt.r(rq)} — ${verdict(rq <= 1.2)}.`,
    );
  }
  for (const [key, kind] of [
    ["lat-discover-dist", "tag schema"],
    ["lat-discover-refreg", "referrers API"],
  ]) {
    const r = ratio(key);
    if (r !== undefined)
      out.push(`- discover, ${kind}, ≤ 0.5x oras at 50 ms RTT: ${fmt.r(r)} — ${verdict(r <= 0.5)}.`);
  }
  const size = ctx.memSizes?.[0];
  const mo = size && stats(`memory-${size}`, "ocigraph");
  const mr = size && stats(`memory-${size}`, "oras");
  if (mo && mr) {
    const c = mo.cpu / mr.cpu;
    const rss = mo.rss / 1024;
    out.push(
      `- 1 GiB registry-to-registry copy: CPU ≤ 2x oras: ${fmt.r(c)} — ${verdict(c <= 2)}; ` +
        `peak RSS ≤ 80 MiB: ${rss.toFixed(0)} MiB — ${verdict(rss <= 80)}.`,
    );
  }
  return out;
}
