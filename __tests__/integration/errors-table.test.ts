// Errors that help, in the words of the front end they came through: one table of cases across
// the CLI (flags, exit codes 2/1/130/143), the GitHub Action (input names) and the Azure Pipelines
// task (task input names, service connections). Registry cases run against the rig's real
// registries (htpasswd distribution for 401s); a 403 comes from a small local server that
// refuses pushes, as GHCR or ACR do for a pull-only identity.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { type AddressInfo, createServer as createNetServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run as runAction, type ActionCore } from "../../src/action/run";
import { cliFailure, runCli } from "../../src/cli/program";
import { failureSentence } from "../../src/job/words";
import { run as runTask, type TaskLib } from "../../src/task/run";
import { CLI, ok } from "../helpers/cli";
import { uniqueName } from "../helpers/targets";
import { testRegistries } from "../rig/env";
import { freePort } from "../rig/peers";

const EMPTY_DIGEST = "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";

interface Ctx {
  /** htpasswd distribution `host/repo` with `v1`. */
  authRepo: string;
  user: string;
  pass: string;
  /** Anonymous distribution `host/repo` with `v1`. */
  repo: string;
  /** A local registry stand-in that answers 403 to every write: `host/repo`. */
  denyRepo: string;
  closedPort: number;
  /** Working folder with a.txt; an empty docker config in cfg/. */
  dir: string;
  emptyConfig: string;
  wrongConfig: string;
}

type FrontEnd = "cli" | "action" | "task";

interface Case {
  name: string;
  frontEnd: FrontEnd;
  /** CLI: argv; action and task: inputs. */
  args: (c: Ctx) => string[] | Record<string, string>;
  /** CLI only: the exit code. */
  exit?: number;
  says: (c: Ctx) => (string | RegExp)[];
  /** Words of the other front ends that must not appear (a flag in the action, an input in the CLI). */
  never?: string[];
}

const ctx = {} as Ctx;

const cases: Case[] = [
  // ---- CLI: usage mistakes exit 2
  {
    name: "unknown flag",
    frontEnd: "cli",
    args: () => ["tags", "example.com/r", "--no-such-flag"],
    exit: 2,
    says: () => ["unknown option '--no-such-flag'"],
  },
  {
    name: "bad reference",
    frontEnd: "cli",
    args: () => ["attach", "UPPER/Case:v1", "--artifact-type", "a/b", "a.txt"],
    exit: 2,
    says: () => ["UPPER/Case:v1"],
  },
  {
    name: "nothing to attach",
    frontEnd: "cli",
    args: (c) => ["attach", `${c.repo}:v1`, "--artifact-type", "a/b", "--plain-http"],
    exit: 2,
    says: () => ["nothing to attach"],
  },
  {
    name: "missing --artifact-type",
    frontEnd: "cli",
    args: (c) => ["attach", `${c.repo}:v1`, "a.txt"],
    exit: 2,
    says: () => ["--artifact-type"],
  },
  {
    name: "--password without --username",
    frontEnd: "cli",
    args: (c) => ["tags", c.authRepo, "-p", "x", "--plain-http"],
    exit: 2,
    says: () => ["--username and --password"],
  },
  // ---- CLI: failures exit 1
  {
    name: "401, no credentials: says where it looked",
    frontEnd: "cli",
    args: (c) => ["tags", c.authRepo, "--plain-http", "--registry-config", c.emptyConfig],
    exit: 1,
    says: (c) => ["wants credentials (401", `looked in the docker config ${c.emptyConfig}`, "ocigraph login"],
  },
  {
    name: "401, -u/-p refused: says which source",
    frontEnd: "cli",
    args: (c) => ["tags", c.authRepo, "--plain-http", "-u", c.user, "-p", "wrong"],
    exit: 1,
    says: () => ["refused the credentials from -u/-p"],
  },
  {
    name: "401, docker config refused: names the file",
    frontEnd: "cli",
    args: (c) => ["tags", c.authRepo, "--plain-http", "--registry-config", c.wrongConfig],
    exit: 1,
    says: (c) => [`refused the credentials from the docker config ${c.wrongConfig}`],
  },
  {
    name: "403 on push: names the missing permission",
    frontEnd: "cli",
    args: (c) => [
      "push",
      `${c.denyRepo}:v1`,
      "a.txt",
      "--artifact-type",
      "a/b",
      "--plain-http",
      "-u",
      "u",
      "-p",
      "p",
    ],
    exit: 1,
    says: () => ["403", "may not push", "AcrPush"],
  },
  {
    name: "TLS to a plain-HTTP registry",
    frontEnd: "cli",
    args: (c) => ["tags", c.repo],
    exit: 1,
    says: () => ["--plain-http"],
  },
  {
    name: "pull into a file: ENOTDIR with the path",
    frontEnd: "cli",
    args: (c) => ["pull", `${c.repo}:art`, "-o", join(c.dir, "a.txt"), "--plain-http"],
    exit: 1,
    says: (c) => [join(c.dir, "a.txt")],
  },
  {
    name: "missing file",
    frontEnd: "cli",
    args: (c) => ["attach", `${c.repo}:v1`, "--artifact-type", "a/b", "nope.txt", "--plain-http"],
    exit: 1,
    says: () => ["nope.txt"],
  },
  // ---- Action: input names, never flags
  {
    name: "TLS to a plain-HTTP registry",
    frontEnd: "action",
    args: (c) => ({ subject: `${c.repo}:v1`, require: "a/b" }),
    says: () => ["`plain-http: true`"],
    never: ["--plain-http"],
  },
  {
    name: "401, no credentials",
    frontEnd: "action",
    args: (c) => ({
      subject: `${c.authRepo}:v1`,
      require: "a/b",
      "plain-http": "true",
      "registry-config": c.emptyConfig,
    }),
    says: (c) => [
      "wants credentials (401",
      `the docker config ${c.emptyConfig} (registry-config)`,
      "username/password",
    ],
    never: ["--registry-config", "-u/-p"],
  },
  {
    name: "401, username/password refused",
    frontEnd: "action",
    args: (c) => ({
      subject: `${c.authRepo}:v1`,
      require: "a/b",
      "plain-http": "true",
      username: c.user,
      password: "wrong",
    }),
    says: () => ["refused the credentials from username/password"],
    never: ["-u/-p"],
  },
  {
    name: "403 on attach",
    frontEnd: "action",
    args: (c) => ({
      subject: `${c.denyRepo}:v1`,
      attach: "a/b a.txt",
      "plain-http": "true",
      username: "u",
      password: "p",
    }),
    says: () => ["may not push", "AcrPush"],
  },
  {
    name: "bad subject",
    frontEnd: "action",
    args: () => ({ subject: "UPPER/Case:v1", require: "a/b" }),
    says: () => ["UPPER/Case:v1"],
  },
  {
    name: "Entra client-secret without tenant",
    frontEnd: "action",
    args: (c) => ({
      subject: `${c.repo}:v1`,
      require: "a/b",
      "plain-http": "true",
      "azure-credential": "client-secret",
      "azure-client-id": "00000000-0000-0000-0000-0000000000aa",
    }),
    says: () => ["client-secret needs the tenant id", "azure-tenant-id"],
    never: ["--azure-tenant-id", "Credential"],
  },
  {
    name: "missing file",
    frontEnd: "action",
    args: (c) => ({ subject: `${c.repo}:v1`, sbom: "nope.spdx.json", "plain-http": "true" }),
    says: () => ["sbom: file not found: nope.spdx.json"],
  },
  // ---- Task: task input names and service connections
  {
    name: "TLS to a plain-HTTP registry",
    frontEnd: "task",
    args: (c) => ({ subject: `${c.repo}:v1`, require: "a/b" }),
    says: () => ["`plainHttp: true`"],
    never: ["--plain-http", "plain-http"],
  },
  {
    name: "401, no credentials",
    frontEnd: "task",
    args: (c) => ({
      subject: `${c.authRepo}:v1`,
      require: "a/b",
      plainHttp: "true",
      registryConfig: c.emptyConfig,
    }),
    says: (c) => [`the docker config ${c.emptyConfig} (registryConfig)`, "dockerRegistryServiceConnection"],
    never: ["--registry-config", "-u/-p"],
  },
  {
    name: "401, username/password refused",
    frontEnd: "task",
    args: (c) => ({
      subject: `${c.authRepo}:v1`,
      require: "a/b",
      plainHttp: "true",
      username: c.user,
      password: "wrong",
    }),
    says: () => ["refused the credentials from username/password (or dockerRegistryServiceConnection)"],
  },
  {
    name: "bad subject",
    frontEnd: "task",
    args: () => ({ subject: "UPPER/Case:v1", require: "a/b" }),
    says: () => ["UPPER/Case:v1"],
  },
  {
    name: "missing file",
    frontEnd: "task",
    args: (c) => ({ subject: `${c.repo}:v1`, scanResults: "nope.sarif", plainHttp: "true" }),
    says: () => ["scanResults: file not found: nope.sarif"],
  },
];

/** Runs one case through its front end; returns the one error line (and the CLI's exit code). */
async function fail(c: Case): Promise<{ line: string; exit?: number }> {
  if (c.frontEnd === "cli") {
    let stdout = "";
    let stderr = "";
    const cwd = process.cwd();
    process.chdir(ctx.dir);
    try {
      const exit = await runCli(c.args(ctx) as string[], {
        stdout: (t) => (stdout += t),
        stderr: (t) => (stderr += t),
        stdin: async () => "",
      });
      // Blob uploads run side by side, so one may have started ("Uploading …") before the
      // failure; nothing may report success.
      expect(stdout.split("\n").filter((l) => l && !l.startsWith("Uploading "))).toEqual([]);
      return { line: stderr.trimEnd(), exit };
    } finally {
      process.chdir(cwd);
    }
  }
  const inputs = c.args(ctx) as Record<string, string>;
  const env = {
    OCIGRAPH_MAX_RETRIES: "1",
    OCIGRAPH_RETRY_DELAY_MS: "10",
    DOCKER_CONFIG: join(ctx.dir, "cfg"),
  };
  const cwd = process.cwd();
  process.chdir(ctx.dir);
  try {
    if (c.frontEnd === "action") {
      const failed: string[] = [];
      const core: ActionCore = {
        getInput: (name) => inputs[name] ?? "",
        setOutput: () => undefined,
        setSecret: () => undefined,
        setFailed: (m) => void failed.push(m),
        info: () => undefined,
        group: (_n, fn) => fn(),
        summary: { addRaw: () => ({ write: async () => undefined }) },
      };
      await runAction(core, env);
      expect(failed).toHaveLength(1);
      return { line: failed[0] as string };
    }
    const results: string[] = [];
    const tl = {
      getInput: (name: string) => inputs[name],
      getVariable: () => undefined,
      setVariable: () => undefined,
      setSecret: () => undefined,
      setResult: (result: number, message: string) => void (result === 2 && results.push(message)),
      uploadSummary: () => undefined,
      TaskResult: { Succeeded: 0, Failed: 2 },
      getEndpointUrl: () => undefined,
      getEndpointAuthorizationScheme: () => undefined,
      getEndpointAuthorizationParameter: () => undefined,
      getEndpointAuthorization: () => undefined,
      getEndpointDataParameter: () => undefined,
    } as unknown as TaskLib;
    await runTask(tl, env, () => undefined);
    expect(results).toHaveLength(1);
    return { line: results[0] as string };
  } finally {
    process.chdir(cwd);
  }
}

let denyServer: Server;

beforeAll(async () => {
  const { distribution, distributionAuth } = testRegistries();
  ctx.dir = await mkdtemp(join(tmpdir(), "ocigraph-errors-"));
  await writeFile(join(ctx.dir, "a.txt"), "a");
  await mkdir(join(ctx.dir, "cfg"));
  ctx.emptyConfig = join(ctx.dir, "cfg", "config.json");
  await writeFile(ctx.emptyConfig, "{}");
  ctx.user = distributionAuth.username;
  ctx.pass = distributionAuth.password;
  ctx.authRepo = `${distributionAuth.host}/${uniqueName("errors")}`;
  ctx.repo = `${distribution}/${uniqueName("errors")}`;
  ctx.wrongConfig = join(ctx.dir, "wrong.json");
  const wrongAuth = Buffer.from(`${ctx.user}:not-the-password`).toString("base64");
  await writeFile(
    ctx.wrongConfig,
    JSON.stringify({ auths: { [distributionAuth.host]: { auth: wrongAuth } } }),
  );
  await ok(["push", `${ctx.repo}:v1`, join(ctx.dir, "a.txt"), "--artifact-type", "a/b", "--plain-http"]);
  await ok(["push", `${ctx.repo}:art`, join(ctx.dir, "a.txt"), "--artifact-type", "a/b", "--plain-http"]);
  // A registry stand-in that serves one manifest (locked:v1) and refuses every write with 403 DENIED.
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: { mediaType: "application/vnd.oci.empty.v1+json", digest: EMPTY_DIGEST, size: 2 },
      layers: [],
    }),
  );
  const manifestDigest = `sha256:${createHash("sha256").update(manifest).digest("hex")}`;
  denyServer = createServer((req, res) => {
    const write = req.method !== "GET" && req.method !== "HEAD";
    req.resume();
    if (req.url === "/v2/") return void res.writeHead(200).end("{}");
    if (
      !write &&
      /^\/v2\/locked\/manifests\/(v1|sha256:[0-9a-f]{64})$/.test(req.url ?? "") &&
      (req.url?.endsWith("v1") || req.url?.endsWith(manifestDigest))
    ) {
      res.writeHead(200, {
        "content-type": "application/vnd.oci.image.manifest.v1+json",
        "docker-content-digest": manifestDigest,
        "content-length": String(manifest.length),
      });
      return void res.end(req.method === "HEAD" ? undefined : manifest);
    }
    const status = write ? 403 : 404;
    const code = write ? "DENIED" : "MANIFEST_UNKNOWN";
    res.writeHead(status, { "content-type": "application/json" });
    res.end(req.method === "HEAD" ? undefined : JSON.stringify({ errors: [{ code, message: "no" }] }));
  });
  await new Promise<void>((resolve) => denyServer.listen(0, "127.0.0.1", resolve));
  ctx.denyRepo = `127.0.0.1:${(denyServer.address() as AddressInfo).port}/locked`;
  ctx.closedPort = await freePort();
}, 60_000);

afterAll(async () => {
  await new Promise((resolve) => denyServer?.close(resolve));
});

test(`the table has at least 25 cases across the three front ends`, () => {
  const all = cases.length + FS_CASES.length * 3 + 2; // + the two interrupts below
  expect(all).toBeGreaterThanOrEqual(25);
  expect(new Set(cases.map((c) => c.frontEnd))).toEqual(new Set(["cli", "action", "task"]));
});

test.each(cases.map((c) => [`${c.frontEnd}: ${c.name}`, c] as const))("%s", async (_name, c) => {
  const { line, exit } = await fail(c);
  expect(line.split("\n")).toHaveLength(1);
  if (c.frontEnd === "cli") {
    expect(line).toMatch(/^Error: /);
    expect([line, exit]).toEqual([line, c.exit]);
  }
  for (const want of c.says(ctx)) {
    if (typeof want === "string") expect(line).toContain(want);
    else expect(line).toMatch(want);
  }
  for (const not of c.never ?? []) expect(line).not.toContain(not);
  // Never an SDK class name or a raw Node.js error code prefix.
  expect(line).not.toMatch(/\b[A-Z][A-Za-z]+(Credential|Error)\b|\bE[A-Z]+: /);
});

/** Filesystem errors as Node.js raises them (root cannot provoke EACCES or EROFS here). */
const FS_CASES: [string, NodeJS.ErrnoException, RegExp][] = [
  [
    "EACCES",
    fsError("EACCES", "mkdir", "/data/out"),
    /permission denied: cannot create the folder \/data\/out \(check/,
  ],
  ["EEXIST", fsError("EEXIST", "open", "/data/out/a.txt"), /\/data\/out\/a\.txt already exists \(remove it/],
  [
    "ENOSPC",
    fsError("ENOSPC", "write", "/data/out/big"),
    /no space left on the device: cannot write \/data\/out\/big \(free/,
  ],
  [
    "EROFS",
    fsError("EROFS", "open", "/mnt/ro/x"),
    /read-only file system: cannot open \/mnt\/ro\/x \(choose a folder/,
  ],
];

function fsError(code: string, syscall: string, path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: oops, ${syscall} '${path}'`), { code, syscall, path, errno: -1 });
}

test.each(FS_CASES)("filesystem %s: the path and a hint, in every front end", (_code, err, want) => {
  const cli = cliFailure(err);
  expect(cli.code).toBe(1);
  for (const line of [cli.line, failureSentence(err, "action"), failureSentence(err, "task")]) {
    expect(line).toMatch(want);
    expect(line).not.toMatch(/^(Error: )?E[A-Z]+:/);
  }
});

test.each([
  ["SIGINT", 130],
  ["SIGTERM", 143],
] as const)("CLI interrupted by %s exits %i with one line", async (signal, code) => {
  // A registry that accepts the connection and never answers: the CLI is surely running (past
  // start-up, its handlers installed) once the connection arrives.
  const sockets: Socket[] = [];
  const silent = createNetServer((socket) => {
    socket.on("error", () => undefined);
    sockets.push(socket);
    connected();
  });
  let connected: () => void = () => undefined;
  const arrived = new Promise<void>((resolve) => (connected = resolve));
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  const port = (silent.address() as AddressInfo).port;
  const child = spawn(process.execPath, [CLI, "tags", `127.0.0.1:${port}/r`, "--plain-http"], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  await arrived;
  child.kill(signal);
  const exit = await new Promise<number | null>((resolve) => child.on("close", (c) => resolve(c)));
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => silent.close(resolve));
  expect(exit).toBe(code);
  expect(stderr.trim().split("\n")).toEqual([
    `Interrupted (${signal}): temporary files removed, nothing newly tagged; run the same command again to resume`,
  ]);
});
