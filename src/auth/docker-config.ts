/**
 * Credentials from docker's `config.json`: `auths` entries, `credHelpers` and `credsStore`.
 * https://docs.docker.com/reference/cli/docker/login/#credential-stores
 */
import { randomBytes } from "node:crypto";
import { chmod, mkdir, realpath, rename, rm, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { OcigraphError, isOcigraphError } from "../oci/errors.js";
import { normalizeHost } from "../oci/host.js";
import { readSmallFile } from "../util/small-file.js";
import type { Credential, CredentialProvider } from "./credential.js";
import { helperErase, helperGet, helperStore, type CredHelperOptions } from "./cred-helper.js";

/** Where and how to read the docker config. */
export interface DockerConfigOptions extends CredHelperOptions {
  /** An explicit config file (the CLI's `--registry-config`); default: see {@link dockerConfigPath}. */
  path?: string;
}

/** The key docker uses for Docker Hub in `auths` and in credential helpers. */
export const DOCKER_HUB_SERVER_URL = "https://index.docker.io/v1/";

type Json = Record<string, unknown>;

/**
 * The config file to use: `explicit` when given, else `$DOCKER_CONFIG/config.json`, else
 * `~/.docker/config.json`. Reads `env` at call time (default `process.env`).
 */
export function dockerConfigPath(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (explicit !== undefined && explicit !== "") return explicit;
  const dir = env["DOCKER_CONFIG"];
  if (dir !== undefined && dir !== "") return join(dir, "config.json");
  return join(homedir(), ".docker", "config.json");
}

/** The key to write for `host`: docker's Hub URL for Docker Hub, else the host itself. */
function serverUrlFor(host: string): string {
  return normalizeHost(host) === "docker.io" ? DOCKER_HUB_SERVER_URL : host.toLowerCase();
}

async function load(path: string): Promise<Json | undefined> {
  let text: string;
  try {
    text = await readSmallFile(path, "the docker config file");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    if (isOcigraphError(err)) throw err;
    throw new OcigraphError("INVALID_INPUT", `Cannot read the docker config file ${path}.`, { cause: err });
  }
  if (text.trim() === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the input, which may hold a secret: say only where the file is
    throw new OcigraphError("INVALID_INPUT", `The docker config file ${path} is not valid JSON.`, {
      hint: "Fix or remove the file, or point --registry-config at another one.",
    });
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new OcigraphError("INVALID_INPUT", `The docker config file ${path} does not hold a JSON object.`, {
      hint: "Fix or remove the file, or point --registry-config at another one.",
    });
  }
  return parsed as Json;
}

function objectField(config: Json, name: string, path: string): Json {
  const v = config[name];
  if (v === undefined || v === null) return {};
  if (typeof v !== "object" || Array.isArray(v)) {
    throw new OcigraphError("INVALID_INPUT", `"${name}" in the docker config file ${path} is not an object.`);
  }
  return v as Json;
}

/** Keys of `record` naming `host`, the exact spelling first. */
function matchingKeys(record: Json, host: string): string[] {
  const want = normalizeHost(host);
  const keys = Object.keys(record).filter((k) => normalizeHost(k) === want);
  return keys.sort((a, b) => Number(b === host) - Number(a === host));
}

function helperFor(config: Json, host: string, path: string): string | undefined {
  const helpers = objectField(config, "credHelpers", path);
  for (const key of matchingKeys(helpers, host)) {
    const name = helpers[key];
    if (typeof name === "string" && name !== "") return name;
  }
  const store = config["credsStore"];
  return typeof store === "string" && store !== "" ? store : undefined;
}

function str(entry: Json, name: string): string | undefined {
  const v = entry[name];
  return typeof v === "string" && v !== "" ? v : undefined;
}

function fromEntry(entry: unknown, key: string, path: string): Credential | undefined {
  if (typeof entry !== "object" || entry === null) return undefined;
  const e = entry as Json;
  const cred: Credential = {};
  const auth = str(e, "auth");
  if (auth !== undefined) {
    const decoded = Buffer.from(auth, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (!/^[A-Za-z0-9+/=\s]+$/.test(auth) || colon === -1) {
      throw new OcigraphError(
        "INVALID_INPUT",
        `The "auth" of "${key}" in the docker config file ${path} is not base64 of user:password.`,
        {
          hint: "Log in to that registry again.",
        },
      );
    }
    cred.username = decoded.slice(0, colon);
    cred.password = decoded.slice(colon + 1);
  }
  const username = str(e, "username");
  const password = str(e, "password");
  if (username !== undefined) cred.username = username;
  if (password !== undefined) cred.password = password;
  const identity = str(e, "identitytoken");
  if (identity !== undefined) cred.refreshToken = identity;
  const registryToken = str(e, "registrytoken");
  if (registryToken !== undefined) cred.accessToken = registryToken;
  return Object.values(cred).some((v) => v !== undefined && v !== "") ? cred : undefined;
}

/**
 * The credential the docker config holds for registry `host` (`host[:port]`), or `undefined`.
 * A credential helper (`credHelpers[host]`, else `credsStore`) is asked first; when it has nothing,
 * the `auths` entry is used. A missing config file is not an error.
 *
 * @throws OcigraphError INVALID_INPUT for a malformed config file or a helper that is not installed.
 */
export async function readDockerCredential(
  host: string,
  opts: DockerConfigOptions = {},
): Promise<Credential | undefined> {
  const path = dockerConfigPath(opts.path, opts.env);
  const config = await load(path);
  if (config === undefined) return undefined;
  const auths = objectField(config, "auths", path);
  const keys = matchingKeys(auths, host);
  const helper = helperFor(config, host, path);
  if (helper !== undefined) {
    const urls = [...new Set([serverUrlFor(host), ...keys])];
    for (const url of urls) {
      const cred = await helperGet(helper, url, opts);
      if (cred !== undefined) return cred;
    }
  }
  for (const key of keys) {
    const cred = fromEntry(auths[key], key, path);
    if (cred !== undefined) return cred;
  }
  return undefined;
}

/** A {@link CredentialProvider} over the docker config; reads the file on every call. */
export function dockerConfigProvider(opts: DockerConfigOptions = {}): CredentialProvider {
  return (host) => readDockerCredential(host, opts);
}

async function save(path: string, config: Json): Promise<void> {
  let target = path;
  try {
    target = await realpath(path); // keep a symlinked config a symlink
  } catch {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  }
  const tmp = `${target}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    await writeFile(tmp, `${JSON.stringify(config, null, "\t")}\n`, { mode: 0o600, flag: "wx" });
    await chmod(tmp, 0o600); // in case the umask narrowed or widened it
    await rename(tmp, target);
  } catch (err) {
    await rm(tmp, { force: true });
    throw new OcigraphError("DENIED", `Cannot write the docker config file ${path}.`, { cause: err });
  }
}

/**
 * Saves `cred` for `host` in the config file at `configPath`, keeping everything else in it. When a
 * credential helper is configured for the host, the secret goes to the helper and `auths` gets an
 * empty entry (as docker does); otherwise `auths` holds it (`auth`, `identitytoken`, `registrytoken`).
 * The file is replaced atomically and left with mode 0600.
 */
export async function storeCredential(
  configPath: string,
  host: string,
  cred: Credential,
  opts: CredHelperOptions = {},
): Promise<void> {
  const config = (await load(configPath)) ?? {};
  const auths = objectField(config, "auths", configPath);
  const key = serverUrlFor(host);
  const helper = helperFor(config, host, configPath);
  const entry: Json = {};
  if (helper !== undefined) {
    await helperStore(helper, key, cred, opts);
  } else {
    if (cred.username !== undefined || cred.password !== undefined) {
      entry["auth"] = Buffer.from(`${cred.username ?? ""}:${cred.password ?? ""}`, "utf8").toString("base64");
    }
    if (cred.refreshToken !== undefined) entry["identitytoken"] = cred.refreshToken;
    if (cred.accessToken !== undefined) entry["registrytoken"] = cred.accessToken;
  }
  for (const k of matchingKeys(auths, host)) delete auths[k];
  auths[key] = entry;
  config["auths"] = auths;
  await save(configPath, config);
}

/**
 * Forgets the credential for `host`: erases it from the configured helper and drops every `auths`
 * key naming the host (`host`, `https://host`, ...). Nothing to remove is not an error.
 */
export async function removeCredential(
  configPath: string,
  host: string,
  opts: CredHelperOptions = {},
): Promise<void> {
  const config = await load(configPath);
  if (config === undefined) return;
  const auths = objectField(config, "auths", configPath);
  const keys = matchingKeys(auths, host);
  const helper = helperFor(config, host, configPath);
  if (helper !== undefined) {
    for (const url of new Set([serverUrlFor(host), ...keys])) await helperErase(helper, url, opts);
  }
  if (keys.length === 0) return;
  for (const k of keys) delete auths[k];
  config["auths"] = auths;
  await save(configPath, config);
}
