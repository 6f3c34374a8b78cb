/**
 * Docker credential helpers (`docker-credential-<name>`), spoken to over stdin/stdout.
 * https://github.com/docker/docker-credential-helpers#development
 */
import { spawn } from "node:child_process";
import { OcigraphError } from "../oci/errors.js";
import type { Credential } from "./credential.js";
import { redactText } from "./redact.js";

/** Options for running a credential helper. */
export interface CredHelperOptions {
  /** Environment for the helper (it finds the binary on its `PATH`). Default: `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Kill the helper after this long. Default 60 s (some helpers wait for a keychain prompt). */
  timeoutMs?: number;
}

/** The username a helper answers when `Secret` is an identity (refresh) token. */
export const IDENTITY_TOKEN_USERNAME = "<token>";

const MAX_OUTPUT = 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 60_000;
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function binary(helper: string): string {
  if (!NAME.test(helper)) {
    throw new OcigraphError("INVALID_INPUT", `"${helper}" is not a valid docker credential helper name.`, {
      hint: "Fix credsStore / credHelpers in the docker config file: a name like desktop, pass or ecr-login.",
    });
  }
  return `docker-credential-${helper}`;
}

function run(helper: string, action: string, input: string, opts: CredHelperOptions): Promise<RunResult> {
  const bin = binary(helper);
  return new Promise((resolve, reject) => {
    const child = spawn(bin, [action], {
      env: opts.env ?? process.env,
      stdio: ["pipe", "pipe", "pipe"],
      windowsHide: true,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outLen = 0;
    let errLen = 0;
    let settled = false;
    const finish = (e: OcigraphError | undefined, r?: RunResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (e !== undefined) reject(e);
      else if (r !== undefined) resolve(r);
    };
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      finish(
        new OcigraphError(
          "UNAUTHORIZED",
          `The credential helper ${bin} did not answer "${action}" in time.`,
          {
            hint: `Run "${bin} ${action}" by hand to see what it waits for.`,
          },
        ),
      );
    }, opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    child.stdout.on("data", (b: Buffer) => {
      outLen += b.length;
      if (outLen <= MAX_OUTPUT) out.push(b);
    });
    child.stderr.on("data", (b: Buffer) => {
      errLen += b.length;
      if (errLen <= MAX_OUTPUT) err.push(b);
    });
    child.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code === "ENOENT") {
        finish(
          new OcigraphError(
            "INVALID_INPUT",
            `The docker credential helper ${bin} is not installed (not found on PATH).`,
            {
              hint: `Install ${bin}, or remove "${helper}" from credsStore / credHelpers in the docker config file.`,
            },
          ),
        );
      } else {
        finish(
          new OcigraphError("INTERNAL", `Could not run the credential helper ${bin}: ${e.message}`, {
            cause: e,
          }),
        );
      }
    });
    child.on("close", (code) => {
      if (outLen > MAX_OUTPUT) {
        finish(new OcigraphError("TOO_LARGE", `The credential helper ${bin} wrote more than 1 MiB.`));
        return;
      }
      finish(undefined, {
        code,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
      });
    });
    // the helper may exit before reading stdin; the 'close' handler reports what happened
    child.stdin.on("error", () => undefined);
    child.stdin.end(input);
  });
}

function isNotFound(r: RunResult): boolean {
  return /credentials not found/i.test(r.stdout) || /credentials not found/i.test(r.stderr);
}

/** First line of what a failing helper said, trimmed and without the given secrets. */
function said(r: RunResult, secrets: readonly string[]): string {
  const text = (r.stderr.trim() || r.stdout.trim()).split(/\r?\n/)[0] ?? "";
  const short = text.length > 300 ? `${text.slice(0, 300)}…` : text;
  return short === "" ? `exit code ${String(r.code)}` : redactText(short, secrets);
}

function failed(
  helper: string,
  action: string,
  r: RunResult,
  secrets: readonly string[] = [],
): OcigraphError {
  return new OcigraphError(
    "UNAUTHORIZED",
    `The credential helper docker-credential-${helper} failed to ${action} credentials: ${said(r, secrets)}`,
    { hint: `Run "docker-credential-${helper} ${action}" by hand, or log in to the registry again.` },
  );
}

/**
 * Asks helper `helper` for the credential of `serverUrl` (`host`, or `https://index.docker.io/v1/`
 * for Docker Hub). Resolves `undefined` when the helper has none ("credentials not found").
 * A username of `<token>` means the secret is an identity token; it comes back as `refreshToken`.
 *
 * @throws OcigraphError INVALID_INPUT when the helper is not installed; UNAUTHORIZED when it fails.
 */
export async function helperGet(
  helper: string,
  serverUrl: string,
  opts: CredHelperOptions = {},
): Promise<Credential | undefined> {
  const r = await run(helper, "get", serverUrl, opts);
  if (r.code !== 0) {
    if (isNotFound(r)) return undefined;
    throw failed(helper, "get", r);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(r.stdout);
  } catch {
    // the output may hold a secret, so it is not quoted
    throw new OcigraphError(
      "INVALID_CONTENT",
      `The credential helper docker-credential-${helper} answered something that is not JSON.`,
    );
  }
  const o = typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : {};
  const username = typeof o["Username"] === "string" ? o["Username"] : "";
  const secret = typeof o["Secret"] === "string" ? o["Secret"] : "";
  if (secret === "" && username === "") return undefined;
  if (username === IDENTITY_TOKEN_USERNAME) return secret === "" ? undefined : { refreshToken: secret };
  return { username, password: secret };
}

/**
 * Stores `cred` for `serverUrl` in helper `helper`. A refresh token is stored as username `<token>`;
 * a credential with only an access token cannot be stored in a helper.
 *
 * @throws OcigraphError INVALID_INPUT when the helper is missing or the credential cannot be stored.
 */
export async function helperStore(
  helper: string,
  serverUrl: string,
  cred: Credential,
  opts: CredHelperOptions = {},
): Promise<void> {
  let username: string;
  let secret: string;
  if (cred.refreshToken !== undefined && cred.refreshToken !== "") {
    username = IDENTITY_TOKEN_USERNAME;
    secret = cred.refreshToken;
  } else if (cred.username !== undefined && cred.username !== "") {
    username = cred.username;
    secret = cred.password ?? "";
  } else {
    throw new OcigraphError(
      "INVALID_INPUT",
      `A credential helper can only store a username/password or an identity token.`,
      {
        hint: "Log in with a username and password or token instead of a ready access token.",
      },
    );
  }
  const input = JSON.stringify({ ServerURL: serverUrl, Username: username, Secret: secret });
  const r = await run(helper, "store", input, opts);
  if (r.code !== 0) throw failed(helper, "store", r, [secret]);
}

/** Erases the credential of `serverUrl` from helper `helper`; a credential already absent is fine. */
export async function helperErase(
  helper: string,
  serverUrl: string,
  opts: CredHelperOptions = {},
): Promise<void> {
  const r = await run(helper, "erase", serverUrl, opts);
  if (r.code !== 0 && !isNotFound(r)) throw failed(helper, "erase", r);
}
