// Fault injection for the reliability tests (issue 6):
//  - runBounded: the bundled CLI with a hard kill, so a hang is a measured failure, not a stuck jest;
//  - startToxiproxy: toxiproxy (Shopify/toxiproxy/v2, built by scripts/peers/install.sh) between the
//    CLI and a registry, driven through its HTTP API (resets, latency, bandwidth, limit_data...);
//  - startFaultInjector: our own HTTP proxy that answers a share of requests with 429 + Retry-After
//    or 500/502/503 instead of forwarding them.
import { spawn, type ChildProcess } from "node:child_process";
import { openSync, closeSync } from "node:fs";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import path from "node:path";
import { CLI } from "./cli";
import { PEERS_BIN, freePort } from "../rig/peers";

export interface BoundedRun {
  code: number;
  stdout: string;
  stderr: string;
  /** The process was still running at `killAfterMs` and was killed. */
  hung: boolean;
  ms: number;
}

/** `node dist/cli.js ...`, killed (SIGKILL) if it runs longer than `killAfterMs`. */
export function runBounded(
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; killAfterMs?: number; input?: string } = {},
): Promise<BoundedRun> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let hung = false;
    const timer = setTimeout(() => {
      hung = true;
      child.kill("SIGKILL");
    }, options.killAfterMs ?? 60_000);
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr, hung, ms: Date.now() - started });
    });
    child.stdin.end(options.input ?? "");
  });
}

// ---------------------------------------------------------------------------------------------
// toxiproxy

export const TOXIPROXY_SERVER = path.join(PEERS_BIN, "toxiproxy-server");

export interface Toxic {
  name?: string;
  type: "latency" | "bandwidth" | "slow_close" | "timeout" | "reset_peer" | "slicer" | "limit_data";
  stream?: "upstream" | "downstream";
  /** 0..1: share of connections the toxic applies to. */
  toxicity?: number;
  attributes: Record<string, number>;
}

export interface Toxiproxy {
  /** The proxy's listen address "127.0.0.1:PORT": point the CLI here. */
  host: string;
  addToxic(toxic: Toxic): Promise<void>;
  removeToxic(name: string): Promise<void>;
  clearToxics(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts toxiproxy-server on a free port and one proxy to `upstream` ("127.0.0.1:PORT").
 * Toxics are set through the server's HTTP API (the same calls toxiproxy-cli makes).
 */
export async function startToxiproxy(upstream: string, logFile: string): Promise<Toxiproxy> {
  const apiPort = await freePort();
  const listenPort = await freePort();
  const fd = openSync(logFile, "a");
  let child: ChildProcess;
  try {
    child = spawn(TOXIPROXY_SERVER, ["-host", "127.0.0.1", "-port", String(apiPort)], {
      stdio: ["ignore", fd, fd],
    });
  } finally {
    closeSync(fd);
  }
  const api = `http://127.0.0.1:${apiPort}`;
  const call = async (method: string, route: string, body?: unknown): Promise<unknown> => {
    const res = await fetch(`${api}${route}`, {
      method,
      ...(body === undefined
        ? {}
        : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`toxiproxy ${method} ${route}: ${res.status} ${text}`);
    // /version answers plain text ("git" for a source build); the rest answers JSON.
    return res.headers.get("content-type")?.includes("json") && text ? (JSON.parse(text) as unknown) : text;
  };
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await call("GET", "/version");
      break;
    } catch (err) {
      if (Date.now() > deadline || child.exitCode !== null) {
        child.kill("SIGKILL");
        throw new Error(`toxiproxy-server did not start (see ${logFile}): ${String(err)}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  const name = "registry";
  await call("POST", "/proxies", { name, listen: `127.0.0.1:${listenPort}`, upstream, enabled: true });
  let toxics = new Set<string>();
  return {
    host: `127.0.0.1:${listenPort}`,
    async addToxic(toxic) {
      const toxicName = toxic.name ?? `${toxic.type}-${toxic.stream ?? "downstream"}`;
      await call("POST", `/proxies/${name}/toxics`, {
        name: toxicName,
        type: toxic.type,
        stream: toxic.stream ?? "downstream",
        toxicity: toxic.toxicity ?? 1,
        attributes: toxic.attributes,
      });
      toxics.add(toxicName);
    },
    async removeToxic(toxicName) {
      await call("DELETE", `/proxies/${name}/toxics/${toxicName}`);
      toxics.delete(toxicName);
    },
    async clearToxics() {
      for (const t of toxics) await call("DELETE", `/proxies/${name}/toxics/${t}`);
      toxics = new Set();
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Our own HTTP fault injector

export interface FaultPlan {
  /** Share of requests (0..1) answered with a fault instead of being forwarded. */
  rate: number;
  /** Faults to draw from, in turn. 429 carries `Retry-After: 1`. */
  statuses?: readonly (429 | 500 | 502 | 503)[];
  /** Only requests matching this are eligible (default: every /v2/ request but the ping). */
  eligible?: (req: IncomingMessage) => boolean;
  /** Deterministic pseudo-random seed, so a run's faults can be replayed. */
  seed?: number;
}

export interface FaultInjector {
  host: string;
  /** Requests seen, and faults injected (by status). */
  stats: { requests: number; faults: number; byStatus: Record<string, number> };
  setPlan(plan: FaultPlan): void;
  close(): Promise<void>;
}

/** mulberry32: a small seeded PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A reverse proxy to `upstream` that injects 429/5xx answers into a share of requests. Location
 * headers pointing at the upstream are rewritten to the proxy, so uploads keep going through it.
 */
export async function startFaultInjector(upstream: string, initial: FaultPlan): Promise<FaultInjector> {
  let plan = initial;
  let random = prng(plan.seed ?? 1);
  let turn = 0;
  const stats = { requests: 0, faults: 0, byStatus: {} as Record<string, number> };
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const sockets = new Set<Socket>();
  let host = "";
  const [upHost, upPort] = upstream.split(":") as [string, string];
  const defaultEligible = (req: IncomingMessage) =>
    (req.url ?? "") !== "/v2/" && (req.url ?? "").startsWith("/v2/");

  const server = http.createServer((req: IncomingMessage, res: ServerResponse) => {
    stats.requests++;
    const eligible = (plan.eligible ?? defaultEligible)(req);
    if (eligible && random() < plan.rate) {
      const statuses = plan.statuses ?? [429, 500, 502, 503];
      const status = statuses[turn++ % statuses.length]!;
      stats.faults++;
      stats.byStatus[status] = (stats.byStatus[status] ?? 0) + 1;
      // Drain what the client sends (an upload body) before answering, as a real server would.
      req.resume();
      req.on("end", () => {
        const body = JSON.stringify({
          errors: [{ code: status === 429 ? "TOOMANYREQUESTS" : "UNAVAILABLE", message: "injected fault" }],
        });
        res.writeHead(status, {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
          ...(status === 429 ? { "retry-after": "1" } : {}),
        });
        res.end(body);
      });
      return;
    }
    const headers = { ...req.headers, host: upstream };
    const upstreamReq = http.request(
      { host: upHost, port: Number(upPort), method: req.method, path: req.url, headers, agent },
      (upstreamRes) => {
        const out = { ...upstreamRes.headers };
        if (typeof out.location === "string")
          out.location = out.location.replace(`//${upstream}`, `//${host}`);
        res.writeHead(upstreamRes.statusCode ?? 502, out);
        upstreamRes.pipe(res);
      },
    );
    upstreamReq.on("error", () => res.destroy());
    req.pipe(upstreamReq);
  });
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.once("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    host,
    stats,
    setPlan(next) {
      plan = next;
      random = prng(next.seed ?? 1);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        agent.destroy();
        server.close(() => resolve());
      }),
  };
}
