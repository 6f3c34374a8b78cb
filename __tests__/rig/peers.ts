// Real peers for the integration tests: CNCF distribution 2.8 (Debian `docker-registry`),
// refreg (go-containerregistry's registry with the OCI 1.1 referrers API), oras and regctl.
// Binaries come from scripts/peers/install.sh into <repo>/.peers/bin/.
import { spawn, execFile, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, openSync, closeSync, readFileSync } from "node:fs";
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

export const REPO_ROOT = path.resolve(__dirname, "..", "..");
export const PEERS_BIN = path.join(REPO_ROOT, ".peers", "bin");
export const INSTALL_SCRIPT = path.join(REPO_ROOT, "scripts", "peers", "install.sh");

export type PeerName = "oras" | "regctl" | "refreg" | "ocischema";

export function peerBin(name: PeerName): string {
  return path.join(PEERS_BIN, name);
}

/** Path of the distribution binary: the .peers/bin symlink, else the Debian location. */
export function distributionBin(): string {
  const linked = path.join(PEERS_BIN, "docker-registry");
  return existsSync(linked) ? linked : "/usr/bin/docker-registry";
}

function htpasswdBin(): string {
  const linked = path.join(PEERS_BIN, "htpasswd");
  return existsSync(linked) ? linked : "htpasswd";
}

/** Binaries the rig needs; the ones missing mean install.sh has to run. */
export function missingPeers(): string[] {
  const wanted = [
    peerBin("oras"),
    peerBin("regctl"),
    peerBin("refreg"),
    peerBin("ocischema"),
    distributionBin(),
  ];
  return wanted.filter((p) => !existsSync(p));
}

export interface RunningRegistry {
  /** "127.0.0.1:PORT" */
  host: string;
  /** Where the registry keeps its data (blobs, and for distribution, manifests and tags). */
  storageDir: string;
  /** Kills the process and removes its temp dir. Safe to call twice. */
  stop(): Promise<void>;
  /** Stops the process and starts it again on the same port with the same storage. */
  restart?(): Promise<void>;
}

export interface RestartableRegistry extends RunningRegistry {
  /** Kills the process but keeps port and storage ("SIGKILL" simulates a crash). */
  stopProcess(signal?: "SIGTERM" | "SIGKILL"): Promise<void>;
  /** Starts the process again on the same port with the same storage; resolves once /v2/ answers. */
  startAgain(): Promise<void>;
  restart(): Promise<void>;
  /** Path of the process's combined stdout/stderr log. */
  logFile: string;
}

export interface HtpasswdUser {
  username: string;
  password: string;
}

const START_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 5_000;

/** A free TCP port on 127.0.0.1 (bind to port 0, read it, close). */
export async function freePort(): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      if (addr === null || typeof addr === "string") {
        srv.close();
        reject(new Error("freePort: unexpected server address"));
        return;
      }
      const { port } = addr;
      srv.close((err) => (err ? reject(err) : resolve(port)));
    });
  });
}

// Children still alive when this process exits get killed, so a crashed jest leaves no registries behind.
const live = new Set<ChildProcess>();
let exitHookInstalled = false;
function track(child: ChildProcess): void {
  live.add(child);
  child.once("exit", () => live.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once("exit", () => {
      for (const c of live) c.kill("SIGKILL");
    });
  }
}

function logTail(file: string, maxChars = 4000): string {
  try {
    const text = readFileSync(file, "utf8");
    return text.length > maxChars ? "…" + text.slice(-maxChars) : text;
  } catch {
    return "(no log)";
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Resolves once GET http://host/v2/ answers 200 or 401; rejects if the process exits or on timeout. */
async function waitReady(name: string, host: string, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let lastError = "";
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `${name} on ${host} exited (code ${child.exitCode}, signal ${child.signalCode}) before answering /v2/.\n` +
          `log ${logFile}:\n${logTail(logFile)}`,
      );
    }
    try {
      const res = await fetch(`http://${host}/v2/`, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      if (res.status === 200 || res.status === 401) return;
      lastError = `HTTP ${res.status}`;
    } catch (err) {
      lastError = err instanceof Error ? err.message : String(err);
    }
    await sleep(50);
  }
  child.kill("SIGKILL");
  throw new Error(
    `${name} on ${host} did not answer GET /v2/ within ${START_TIMEOUT_MS} ms (last: ${lastError}).\n` +
      `log ${logFile}:\n${logTail(logFile)}`,
  );
}

function spawnLogged(bin: string, args: string[], logFile: string, cwd: string): ChildProcess {
  if (!existsSync(bin) && path.isAbsolute(bin)) {
    throw new Error(`${bin} is missing; run: bash ${path.relative(process.cwd(), INSTALL_SCRIPT)}`);
  }
  const fd = openSync(logFile, "a");
  try {
    const child = spawn(bin, args, { cwd, stdio: ["ignore", fd, fd] });
    track(child);
    return child;
  } finally {
    closeSync(fd);
  }
}

async function killAndWait(child: ChildProcess, signal: "SIGTERM" | "SIGKILL"): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill(signal);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), STOP_TIMEOUT_MS);
  });
  const outcome = await Promise.race([exited.then(() => "exited" as const), timedOut]);
  clearTimeout(timer);
  if (outcome === "timeout") {
    child.kill("SIGKILL");
    await exited;
  }
}

interface ProcessSpec {
  name: string;
  bin: string;
  /** Arguments for a given host ("127.0.0.1:PORT"); called again on each (re)start. */
  args: (host: string) => Promise<string[]>;
  tmpDir: string;
  storageDir: string;
}

/** Starts a registry process on a free port (retrying a few times if the port was taken meanwhile). */
async function startManaged(spec: ProcessSpec): Promise<RestartableRegistry> {
  const logFile = path.join(spec.tmpDir, `${spec.name}.log`);
  let child: ChildProcess | undefined;
  let host = "";
  let lastErr: unknown;
  for (let attempt = 0; attempt < 3 && child === undefined; attempt++) {
    host = `127.0.0.1:${await freePort()}`;
    const c = spawnLogged(spec.bin, await spec.args(host), logFile, spec.tmpDir);
    try {
      await waitReady(spec.name, host, c, logFile);
      child = c;
    } catch (err) {
      lastErr = err;
      await killAndWait(c, "SIGKILL");
    }
  }
  if (child === undefined) {
    await rm(spec.tmpDir, { recursive: true, force: true });
    throw lastErr instanceof Error ? lastErr : new Error(String(lastErr));
  }

  let current: ChildProcess | undefined = child;
  let removed = false;
  const reg: RestartableRegistry = {
    host,
    storageDir: spec.storageDir,
    logFile,
    async stopProcess(signal = "SIGTERM") {
      if (current) await killAndWait(current, signal);
      current = undefined;
    },
    async startAgain() {
      if (removed) throw new Error(`${spec.name} on ${host} was stopped for good`);
      if (current) throw new Error(`${spec.name} on ${host} is still running`);
      // The port may be briefly unavailable right after the kill: retry a few times.
      let err: unknown;
      for (let attempt = 0; attempt < 5; attempt++) {
        const c = spawnLogged(spec.bin, await spec.args(host), logFile, spec.tmpDir);
        try {
          await waitReady(spec.name, host, c, logFile);
          current = c;
          return;
        } catch (e) {
          err = e;
          await killAndWait(c, "SIGKILL");
          await sleep(200);
        }
      }
      throw err instanceof Error ? err : new Error(String(err));
    },
    async restart() {
      await reg.stopProcess("SIGTERM");
      await reg.startAgain();
    },
    async stop() {
      await reg.stopProcess("SIGTERM");
      if (!removed) {
        removed = true;
        await rm(spec.tmpDir, { recursive: true, force: true });
      }
    },
  };
  return reg;
}

async function htpasswdLine(user: HtpasswdUser): Promise<string> {
  try {
    const { stdout } = await execFileAsync(htpasswdBin(), ["-Bbn", user.username, user.password]);
    const line = stdout.trim();
    if (!line.startsWith(`${user.username}:$2`)) throw new Error(`unexpected htpasswd output: ${line}`);
    return line;
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    throw new Error(`htpasswd -Bbn failed (apache2-utils; run scripts/peers/install.sh): ${msg}`);
  }
}

/** Bearer token auth (distribution's `auth.token`): JWTs from `realm` signed by a key `rootCertBundle` trusts. */
export interface DistributionTokenAuth {
  realm: string;
  service: string;
  issuer: string;
  /** PEM file with the certificate(s) whose keys sign the tokens. */
  rootCertBundle: string;
}

function distributionConfig(
  host: string,
  storageDir: string,
  secret: string,
  htpasswdFile?: string,
  token?: DistributionTokenAuth,
): string {
  const lines = [
    "version: 0.1",
    "log:",
    "  level: error",
    "  accesslog:",
    "    disabled: true",
    "storage:",
    "  filesystem:",
    `    rootdirectory: ${JSON.stringify(storageDir)}`,
    "  delete:",
    "    enabled: true",
    "  maintenance:",
    "    uploadpurging:",
    "      enabled: false",
    "http:",
    `  addr: ${host}`,
    // Fixed per instance so upload sessions (HMAC-signed _state) survive a restart.
    `  secret: ${secret}`,
  ];
  if (token) {
    lines.push(
      "auth:",
      "  token:",
      `    realm: ${JSON.stringify(token.realm)}`,
      `    service: ${JSON.stringify(token.service)}`,
      `    issuer: ${JSON.stringify(token.issuer)}`,
      `    rootcertbundle: ${JSON.stringify(token.rootCertBundle)}`,
    );
  } else if (htpasswdFile) {
    lines.push(
      "auth:",
      "  htpasswd:",
      "    realm: ocigraph-test",
      `    path: ${JSON.stringify(htpasswdFile)}`,
    );
  }
  return lines.join("\n") + "\n";
}

/**
 * CNCF distribution 2.8 on 127.0.0.1:<free port>, filesystem storage in a fresh temp dir,
 * deletes enabled, optional htpasswd (bcrypt) auth. Can be killed and started again in place.
 */
export async function startDistribution(opts?: {
  htpasswd?: HtpasswdUser;
  token?: DistributionTokenAuth;
}): Promise<RestartableRegistry> {
  const tmpDir = await mkdtemp(path.join(os.tmpdir(), "ocigraph-distribution-"));
  const storageDir = path.join(tmpDir, "storage");
  await mkdir(storageDir);
  const secret = randomBytes(16).toString("hex");
  let htpasswdFile: string | undefined;
  try {
    if (opts?.htpasswd) {
      htpasswdFile = path.join(tmpDir, "htpasswd");
      await writeFile(htpasswdFile, (await htpasswdLine(opts.htpasswd)) + "\n", { mode: 0o600 });
    }
  } catch (err) {
    await rm(tmpDir, { recursive: true, force: true });
    throw err;
  }
  const configFile = path.join(tmpDir, "config.yml");
  return startManaged({
    name: opts?.token ? "distribution-token" : opts?.htpasswd ? "distribution-htpasswd" : "distribution",
    bin: distributionBin(),
    tmpDir,
    storageDir,
    args: async (host) => {
      await writeFile(configFile, distributionConfig(host, storageDir, secret, htpasswdFile, opts?.token));
      return ["serve", configFile];
    },
  });
}

/**
 * refreg (go-containerregistry's registry, OCI 1.1 referrers API) on 127.0.0.1:<free port>.
 * Blobs are on disk under storageDir, manifests only in memory: a restart loses them, so no restart here.
 */
export async function startReferrersRegistry(): Promise<RunningRegistry> {
  const tmpDir = await mkdtemp(path.join(os.tmpdir(), "ocigraph-refreg-"));
  const storageDir = path.join(tmpDir, "blobs");
  const reg = await startManaged({
    name: "refreg",
    bin: peerBin("refreg"),
    tmpDir,
    storageDir,
    args: async (host) => ["--addr", host, "--dir", storageDir],
  });
  return { host: reg.host, storageDir: reg.storageDir, stop: () => reg.stop() };
}
