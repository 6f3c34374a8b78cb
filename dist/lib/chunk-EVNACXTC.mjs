import { createRequire as __ocigraphRequire } from "node:module"; import { fileURLToPath as __ocigraphPath } from "node:url"; import { dirname as __ocigraphDir } from "node:path"; const require = __ocigraphRequire(import.meta.url); const __filename = __ocigraphPath(import.meta.url); const __dirname = __ocigraphDir(__filename);
import {
  normalizeHost
} from "./chunk-PD6PRVKG.mjs";
import {
  OcigraphError,
  isOcigraphError
} from "./chunk-N65ZBPAW.mjs";

// src/util/small-file.ts
import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { open } from "node:fs/promises";
var MAX_SMALL_FILE_BYTES = 1024 * 1024;
var FLAGS = constants.O_RDONLY | constants.O_NONBLOCK;
function refuse(path, what, why) {
  return new OcigraphError("INVALID_INPUT", `${what} ${path} ${why}`, {
    hint: "give a regular file of at most 1 MiB"
  });
}
function check(stats, path, what) {
  if (!stats.isFile()) throw refuse(path, what, "is not a regular file");
  if (stats.size > MAX_SMALL_FILE_BYTES)
    throw refuse(path, what, `is larger than 1 MiB (${stats.size} bytes)`);
}
async function readSmallFile(path, what) {
  const handle = await open(path, FLAGS);
  try {
    check(await handle.stat(), path, what);
    const buffer = Buffer.alloc(MAX_SMALL_FILE_BYTES + 1);
    let size = 0;
    for (; ; ) {
      const { bytesRead } = await handle.read(buffer, size, buffer.length - size, null);
      if (bytesRead === 0) break;
      size += bytesRead;
      if (size > MAX_SMALL_FILE_BYTES) throw refuse(path, what, "is larger than 1 MiB");
    }
    return buffer.subarray(0, size).toString("utf8");
  } finally {
    await handle.close();
  }
}
function readSmallFileSync(path, what) {
  const fd = openSync(path, FLAGS);
  try {
    check(fstatSync(fd), path, what);
    const buffer = Buffer.alloc(MAX_SMALL_FILE_BYTES + 1);
    let size = 0;
    for (; ; ) {
      const bytesRead = readSync(fd, buffer, size, buffer.length - size, null);
      if (bytesRead === 0) break;
      size += bytesRead;
      if (size > MAX_SMALL_FILE_BYTES) throw refuse(path, what, "is larger than 1 MiB");
    }
    return buffer.subarray(0, size).toString("utf8");
  } finally {
    closeSync(fd);
  }
}

// src/auth/redact.ts
var REDACTED = "***";
var SECRET_PARAMS = /* @__PURE__ */ new Set([
  "sig",
  "signature",
  "token",
  "code",
  "key",
  "apikey",
  "api_key",
  "password",
  "passwd",
  "pwd",
  "secret",
  "auth",
  "credential",
  "policy",
  // Azure SAS
  "se",
  "sp",
  "sv",
  "sr",
  "st",
  "ss",
  "srt",
  "spr",
  "skoid",
  "sktid",
  "sks",
  "skv",
  "ske",
  "skt",
  // CloudFront
  "key-pair-id"
]);
function isSecretParam(name) {
  const n = name.toLowerCase();
  return SECRET_PARAMS.has(n) || n.startsWith("x-amz-") || n.startsWith("x-goog-") || n.startsWith("x-ms-") || /token|secret|passw|signature|credential/.test(n);
}
function redactUrl(url) {
  let u;
  try {
    u = new URL(url);
  } catch {
    const cut = url.search(/[?#]/);
    const base = cut === -1 ? url : url.slice(0, cut);
    return base.replace(/\/\/[^/?#]*@/, "//") + (cut === -1 ? "" : "?\u2026");
  }
  u.username = "";
  u.password = "";
  u.hash = "";
  let secret = false;
  for (const name of u.searchParams.keys()) {
    if (isSecretParam(name)) {
      secret = true;
      break;
    }
  }
  if (!secret) return u.toString();
  u.search = "";
  return `${u.toString()}?\u2026`;
}
function redactText(text, secrets) {
  const ordered = secrets.filter((s) => s !== "").sort((a, b) => b.length - a.length);
  let out = text;
  for (const s of ordered) out = out.split(s).join(REDACTED);
  return out;
}
function oneLine(text) {
  let out = "";
  for (const ch of text) {
    const c = ch.charCodeAt(0);
    out += c < 32 || c === 127 ? " " : ch;
  }
  return out.trim();
}
function credentialSecrets(cred) {
  const out = [];
  for (const v of [cred.password, cred.refreshToken, cred.accessToken]) if (v) out.push(v);
  if (cred.password) {
    const pair = `${cred.username ?? ""}:${cred.password}`;
    out.push(pair, Buffer.from(pair, "utf8").toString("base64"));
  }
  return out.filter((s) => s.length >= 4);
}
var SecretSet = class {
  values = /* @__PURE__ */ new Set();
  add(...secrets) {
    for (const s of secrets) if (s.length >= 4) this.values.add(s);
  }
  redact(text) {
    return this.values.size ? redactText(text, [...this.values]) : text;
  }
};

// src/auth/docker-config.ts
import { randomBytes } from "node:crypto";
import { chmod, mkdir, realpath, rename, rm, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join } from "node:path";

// src/auth/cred-helper.ts
import { spawn } from "node:child_process";
var IDENTITY_TOKEN_USERNAME = "<token>";
var MAX_OUTPUT = 1024 * 1024;
var DEFAULT_TIMEOUT_MS = 6e4;
var NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
function binary(helper) {
  if (!NAME.test(helper)) {
    throw new OcigraphError("INVALID_INPUT", `"${helper}" is not a valid docker credential helper name.`, {
      hint: "Fix credsStore / credHelpers in the docker config file: a name like desktop, pass or ecr-login."
    });
  }
  return `docker-credential-${helper}`;
}
function run(helper, action, input, opts) {
  const bin = binary(helper);
  return new Promise((resolve, reject) => {
    const child = spawn(bin, [action], {
      env: opts.env ?? process.env,
      stdio: ["pipe", "pipe", "pipe"],
      windowsHide: true
    });
    const out = [];
    const err = [];
    let outLen = 0;
    let errLen = 0;
    let settled = false;
    const finish = (e, r) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (e !== void 0) reject(e);
      else if (r !== void 0) resolve(r);
    };
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      finish(
        new OcigraphError(
          "UNAUTHORIZED",
          `The credential helper ${bin} did not answer "${action}" in time.`,
          {
            hint: `Run "${bin} ${action}" by hand to see what it waits for.`
          }
        )
      );
    }, opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    child.stdout.on("data", (b) => {
      outLen += b.length;
      if (outLen <= MAX_OUTPUT) out.push(b);
    });
    child.stderr.on("data", (b) => {
      errLen += b.length;
      if (errLen <= MAX_OUTPUT) err.push(b);
    });
    child.on("error", (e) => {
      if (e.code === "ENOENT") {
        finish(
          new OcigraphError(
            "INVALID_INPUT",
            `The docker credential helper ${bin} is not installed (not found on PATH).`,
            {
              hint: `Install ${bin}, or remove "${helper}" from credsStore / credHelpers in the docker config file.`
            }
          )
        );
      } else {
        finish(
          new OcigraphError("INTERNAL", `Could not run the credential helper ${bin}: ${e.message}`, {
            cause: e
          })
        );
      }
    });
    child.on("close", (code) => {
      if (outLen > MAX_OUTPUT) {
        finish(new OcigraphError("TOO_LARGE", `The credential helper ${bin} wrote more than 1 MiB.`));
        return;
      }
      finish(void 0, {
        code,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8")
      });
    });
    child.stdin.on("error", () => void 0);
    child.stdin.end(input);
  });
}
function isNotFound(r) {
  return /credentials not found/i.test(r.stdout) || /credentials not found/i.test(r.stderr);
}
function said(r, secrets) {
  const text = (r.stderr.trim() || r.stdout.trim()).split(/\r?\n/)[0] ?? "";
  const short = text.length > 300 ? `${text.slice(0, 300)}\u2026` : text;
  return short === "" ? `exit code ${String(r.code)}` : redactText(short, secrets);
}
function failed(helper, action, r, secrets = []) {
  return new OcigraphError(
    "UNAUTHORIZED",
    `The credential helper docker-credential-${helper} failed to ${action} credentials: ${said(r, secrets)}`,
    { hint: `Run "docker-credential-${helper} ${action}" by hand, or log in to the registry again.` }
  );
}
async function helperGet(helper, serverUrl, opts = {}) {
  const r = await run(helper, "get", serverUrl, opts);
  if (r.code !== 0) {
    if (isNotFound(r)) return void 0;
    throw failed(helper, "get", r);
  }
  let parsed;
  try {
    parsed = JSON.parse(r.stdout);
  } catch {
    throw new OcigraphError(
      "INVALID_CONTENT",
      `The credential helper docker-credential-${helper} answered something that is not JSON.`
    );
  }
  const o = typeof parsed === "object" && parsed !== null ? parsed : {};
  const username = typeof o["Username"] === "string" ? o["Username"] : "";
  const secret = typeof o["Secret"] === "string" ? o["Secret"] : "";
  if (secret === "" && username === "") return void 0;
  if (username === IDENTITY_TOKEN_USERNAME) return secret === "" ? void 0 : { refreshToken: secret };
  return { username, password: secret };
}
async function helperStore(helper, serverUrl, cred, opts = {}) {
  let username;
  let secret;
  if (cred.refreshToken !== void 0 && cred.refreshToken !== "") {
    username = IDENTITY_TOKEN_USERNAME;
    secret = cred.refreshToken;
  } else if (cred.username !== void 0 && cred.username !== "") {
    username = cred.username;
    secret = cred.password ?? "";
  } else {
    throw new OcigraphError(
      "INVALID_INPUT",
      `A credential helper can only store a username/password or an identity token.`,
      {
        hint: "Log in with a username and password or token instead of a ready access token."
      }
    );
  }
  const input = JSON.stringify({ ServerURL: serverUrl, Username: username, Secret: secret });
  const r = await run(helper, "store", input, opts);
  if (r.code !== 0) throw failed(helper, "store", r, [secret]);
}
async function helperErase(helper, serverUrl, opts = {}) {
  const r = await run(helper, "erase", serverUrl, opts);
  if (r.code !== 0 && !isNotFound(r)) throw failed(helper, "erase", r);
}

// src/auth/docker-config.ts
var DOCKER_HUB_SERVER_URL = "https://index.docker.io/v1/";
function dockerConfigPath(explicit, env = process.env) {
  if (explicit !== void 0 && explicit !== "") return explicit;
  const dir = env["DOCKER_CONFIG"];
  if (dir !== void 0 && dir !== "") return join(dir, "config.json");
  return join(homedir(), ".docker", "config.json");
}
function serverUrlFor(host) {
  return normalizeHost(host) === "docker.io" ? DOCKER_HUB_SERVER_URL : host.toLowerCase();
}
async function load(path) {
  let text;
  try {
    text = await readSmallFile(path, "the docker config file");
  } catch (err) {
    if (err.code === "ENOENT") return void 0;
    if (isOcigraphError(err)) throw err;
    throw new OcigraphError("INVALID_INPUT", `Cannot read the docker config file ${path}.`, { cause: err });
  }
  if (text.trim() === "") return {};
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new OcigraphError("INVALID_INPUT", `The docker config file ${path} is not valid JSON.`, {
      hint: "Fix or remove the file, or point --registry-config at another one."
    });
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new OcigraphError("INVALID_INPUT", `The docker config file ${path} does not hold a JSON object.`, {
      hint: "Fix or remove the file, or point --registry-config at another one."
    });
  }
  return parsed;
}
function objectField(config, name, path) {
  const v = config[name];
  if (v === void 0 || v === null) return {};
  if (typeof v !== "object" || Array.isArray(v)) {
    throw new OcigraphError("INVALID_INPUT", `"${name}" in the docker config file ${path} is not an object.`);
  }
  return v;
}
function matchingKeys(record, host) {
  const want = normalizeHost(host);
  const keys = Object.keys(record).filter((k) => normalizeHost(k) === want);
  return keys.sort((a, b) => Number(b === host) - Number(a === host));
}
function helperFor(config, host, path) {
  const helpers = objectField(config, "credHelpers", path);
  for (const key of matchingKeys(helpers, host)) {
    const name = helpers[key];
    if (typeof name === "string" && name !== "") return name;
  }
  const store = config["credsStore"];
  return typeof store === "string" && store !== "" ? store : void 0;
}
function str(entry, name) {
  const v = entry[name];
  return typeof v === "string" && v !== "" ? v : void 0;
}
function fromEntry(entry, key, path) {
  if (typeof entry !== "object" || entry === null) return void 0;
  const e = entry;
  const cred = {};
  const auth = str(e, "auth");
  if (auth !== void 0) {
    const decoded = Buffer.from(auth, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (!/^[A-Za-z0-9+/=\s]+$/.test(auth) || colon === -1) {
      throw new OcigraphError(
        "INVALID_INPUT",
        `The "auth" of "${key}" in the docker config file ${path} is not base64 of user:password.`,
        {
          hint: "Log in to that registry again."
        }
      );
    }
    cred.username = decoded.slice(0, colon);
    cred.password = decoded.slice(colon + 1);
  }
  const username = str(e, "username");
  const password = str(e, "password");
  if (username !== void 0) cred.username = username;
  if (password !== void 0) cred.password = password;
  const identity = str(e, "identitytoken");
  if (identity !== void 0) cred.refreshToken = identity;
  const registryToken = str(e, "registrytoken");
  if (registryToken !== void 0) cred.accessToken = registryToken;
  return Object.values(cred).some((v) => v !== void 0 && v !== "") ? cred : void 0;
}
async function readDockerCredential(host, opts = {}) {
  const path = dockerConfigPath(opts.path, opts.env);
  const config = await load(path);
  if (config === void 0) return void 0;
  const auths = objectField(config, "auths", path);
  const keys = matchingKeys(auths, host);
  const helper = helperFor(config, host, path);
  if (helper !== void 0) {
    const urls = [.../* @__PURE__ */ new Set([serverUrlFor(host), ...keys])];
    for (const url of urls) {
      const cred = await helperGet(helper, url, opts);
      if (cred !== void 0) return cred;
    }
  }
  for (const key of keys) {
    const cred = fromEntry(auths[key], key, path);
    if (cred !== void 0) return cred;
  }
  return void 0;
}
function dockerConfigProvider(opts = {}) {
  return (host) => readDockerCredential(host, opts);
}
async function save(path, config) {
  let target = path;
  try {
    target = await realpath(path);
  } catch {
    await mkdir(dirname(path), { recursive: true, mode: 448 });
  }
  const tmp = `${target}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    await writeFile(tmp, `${JSON.stringify(config, null, "	")}
`, { mode: 384, flag: "wx" });
    await chmod(tmp, 384);
    await rename(tmp, target);
  } catch (err) {
    await rm(tmp, { force: true });
    throw new OcigraphError("DENIED", `Cannot write the docker config file ${path}.`, { cause: err });
  }
}
async function storeCredential(configPath, host, cred, opts = {}) {
  const config = await load(configPath) ?? {};
  const auths = objectField(config, "auths", configPath);
  const key = serverUrlFor(host);
  const helper = helperFor(config, host, configPath);
  const entry = {};
  if (helper !== void 0) {
    await helperStore(helper, key, cred, opts);
  } else {
    if (cred.username !== void 0 || cred.password !== void 0) {
      entry["auth"] = Buffer.from(`${cred.username ?? ""}:${cred.password ?? ""}`, "utf8").toString("base64");
    }
    if (cred.refreshToken !== void 0) entry["identitytoken"] = cred.refreshToken;
    if (cred.accessToken !== void 0) entry["registrytoken"] = cred.accessToken;
  }
  for (const k of matchingKeys(auths, host)) delete auths[k];
  auths[key] = entry;
  config["auths"] = auths;
  await save(configPath, config);
}
async function removeCredential(configPath, host, opts = {}) {
  const config = await load(configPath);
  if (config === void 0) return;
  const auths = objectField(config, "auths", configPath);
  const keys = matchingKeys(auths, host);
  const helper = helperFor(config, host, configPath);
  if (helper !== void 0) {
    for (const url of /* @__PURE__ */ new Set([serverUrlFor(host), ...keys])) await helperErase(helper, url, opts);
  }
  if (keys.length === 0) return;
  for (const k of keys) delete auths[k];
  config["auths"] = auths;
  await save(configPath, config);
}

export {
  readSmallFile,
  readSmallFileSync,
  redactUrl,
  redactText,
  oneLine,
  credentialSecrets,
  SecretSet,
  dockerConfigPath,
  dockerConfigProvider,
  storeCredential,
  removeCredential
};
