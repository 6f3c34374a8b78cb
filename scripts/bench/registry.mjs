// Registries and raw OCI pushes for the benchmark (plain Node, no project code, so the bench
// measures the built CLI and does not depend on src/ internals).
import { spawn } from "node:child_process";
import { createHash, randomBytes, createCipheriv } from "node:crypto";
import { createReadStream, createWriteStream, existsSync, openSync, closeSync, readFileSync } from "node:fs";
import { mkdir, writeFile, stat } from "node:fs/promises";
import http from "node:http";
import net from "node:net";
import path from "node:path";

export const MT = {
  index: "application/vnd.oci.image.index.v1+json",
  manifest: "application/vnd.oci.image.manifest.v1+json",
  config: "application/vnd.oci.image.config.v1+json",
  layer: "application/vnd.oci.image.layer.v1.tar+gzip",
  empty: "application/vnd.oci.empty.v1+json",
};

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const children = new Set();
/** Kills every registry this process started (on exit, and on Ctrl-C through the bench). */
export function killRegistries() {
  for (const c of children) c.kill("SIGKILL");
}
process.once("exit", killRegistries);

async function waitReady(name, host, child, logFile) {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`${name} exited early:\n${readFileSync(logFile, "utf8").slice(-2000)}`);
    }
    try {
      const res = await fetch(`http://${host}/v2/`, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      if (res.status === 200) return;
    } catch {
      /* not yet */
    }
    await sleep(50);
  }
  throw new Error(`${name} on ${host} did not start`);
}

/** Starts a registry process; `dir` is its own temp dir (storage and log inside). */
async function startProcess(name, bin, argsFor, dir) {
  const host = `127.0.0.1:${await freePort()}`;
  const logFile = path.join(dir, `${name}.log`);
  const fd = openSync(logFile, "a");
  const child = spawn(bin, await argsFor(host), { cwd: dir, stdio: ["ignore", fd, fd] });
  closeSync(fd);
  children.add(child);
  child.once("exit", () => children.delete(child));
  await waitReady(name, host, child, logFile);
  return {
    name,
    host,
    pid: child.pid,
    logFile,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      const t = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(t);
    },
  };
}

/** CNCF distribution 2.8, filesystem storage under dir/storage, no access log. */
export async function startDistribution(dir) {
  await mkdir(path.join(dir, "storage"), { recursive: true });
  const bin = existsSync("/usr/bin/docker-registry") ? "/usr/bin/docker-registry" : "docker-registry";
  const config = path.join(dir, "config.yml");
  return startProcess(
    "distribution",
    bin,
    async (host) => {
      await writeFile(
        config,
        [
          "version: 0.1",
          "log:",
          "  level: error",
          "  accesslog:",
          "    disabled: true",
          "storage:",
          "  filesystem:",
          `    rootdirectory: ${JSON.stringify(path.join(dir, "storage"))}`,
          "  delete:",
          "    enabled: true",
          "  maintenance:",
          "    uploadpurging:",
          "      enabled: false",
          "http:",
          `  addr: ${host}`,
          `  secret: ${randomBytes(16).toString("hex")}`,
          "",
        ].join("\n"),
      );
      return ["serve", config];
    },
    dir,
  );
}

/** refreg (go-containerregistry's registry with the referrers API), blobs under dir/blobs. */
export async function startRefreg(dir, bin) {
  return startProcess(
    "refreg",
    bin,
    async (host) => ["--addr", host, "--dir", path.join(dir, "blobs"), "--quiet"],
    dir,
  );
}

/** Bytes the process has read/written through syscalls (sockets and files), from /proc/<pid>/io. */
export function procIo(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/io`, "utf8");
    const get = (k) => Number(new RegExp(`^${k}: (\\d+)$`, "m").exec(text)?.[1] ?? NaN);
    return { rchar: get("rchar"), wchar: get("wchar") };
  } catch {
    return { rchar: NaN, wchar: NaN };
  }
}

// ---------- raw HTTP ----------

function request(method, url, { headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent: keepAlive }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () =>
        resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on("error", reject);
    });
    req.on("error", reject);
    if (body === undefined) req.end();
    else if (Buffer.isBuffer(body) || typeof body === "string") req.end(body);
    else body.pipe(req);
  });
}
const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 16 });

export function sha256(buf) {
  return "sha256:" + createHash("sha256").update(buf).digest("hex");
}

/** Pushes a blob (POST + monolithic PUT). `data` is a Buffer or { file, size, digest }. */
export async function pushBlob(host, repo, data, mediaType) {
  const digest = Buffer.isBuffer(data) ? sha256(data) : data.digest;
  const size = Buffer.isBuffer(data) ? data.length : data.size;
  const head = await request("HEAD", `http://${host}/v2/${repo}/blobs/${digest}`);
  if (head.status !== 200) {
    const post = await request("POST", `http://${host}/v2/${repo}/blobs/uploads/`);
    if (post.status !== 202) throw new Error(`POST upload ${host}/${repo}: ${post.status} ${post.body}`);
    const loc = new URL(post.headers.location, `http://${host}`);
    loc.searchParams.set("digest", digest);
    const put = await request("PUT", loc.toString(), {
      headers: { "content-type": "application/octet-stream", "content-length": String(size) },
      body: Buffer.isBuffer(data) ? data : createReadStream(data.file),
    });
    if (put.status !== 201) throw new Error(`PUT blob ${host}/${repo}: ${put.status} ${put.body}`);
  }
  return { mediaType, digest, size };
}

export async function pushManifest(host, repo, obj, ref) {
  const bytes = Buffer.from(JSON.stringify(obj));
  const digest = sha256(bytes);
  const res = await request("PUT", `http://${host}/v2/${repo}/manifests/${ref ?? digest}`, {
    headers: { "content-type": obj.mediaType },
    body: bytes,
  });
  if (res.status !== 201) throw new Error(`PUT manifest ${host}/${repo}:${ref}: ${res.status} ${res.body}`);
  return { mediaType: obj.mediaType, digest, size: bytes.length };
}

/** True when the manifest exists (HEAD with OCI Accept). */
export async function manifestExists(host, repo, digest) {
  const res = await request("HEAD", `http://${host}/v2/${repo}/manifests/${digest}`, {
    headers: { accept: `${MT.manifest}, ${MT.index}` },
  });
  return res.status === 200;
}

/** Starts an upload session and returns its Location (absolute URL, digest query not yet set). */
export async function startUpload(host, repo) {
  const post = await request("POST", `http://${host}/v2/${repo}/blobs/uploads/`);
  if (post.status !== 202) throw new Error(`POST upload: ${post.status}`);
  return new URL(post.headers.location, `http://${host}`).toString();
}

// ---------- test content ----------

/**
 * Writes `size` pseudo-random (incompressible) bytes to `file` with an AES-CTR keystream
 * (fast, unlike randomBytes) and returns { file, size, digest }.
 */
export async function randomFile(file, size) {
  const cipher = createCipheriv("aes-128-ctr", randomBytes(16), randomBytes(16));
  const hash = createHash("sha256");
  const out = createWriteStream(file);
  const zero = Buffer.alloc(4 << 20);
  let left = size;
  while (left > 0) {
    const n = Math.min(left, zero.length);
    const chunk = cipher.update(n === zero.length ? zero : zero.subarray(0, n));
    hash.update(chunk);
    if (!out.write(chunk)) await new Promise((r) => out.once("drain", r));
    left -= n;
  }
  await new Promise((resolve, reject) => out.end((err) => (err ? reject(err) : resolve())));
  const st = await stat(file);
  if (st.size !== size) throw new Error(`randomFile ${file}: wrote ${st.size}`);
  return { file, size, digest: "sha256:" + hash.digest("hex") };
}

const EMPTY = Buffer.from("{}");

/** Pushes an image manifest (config + layers, each a Buffer or a random file) and tags it. */
export async function pushImage(host, repo, tag, layers, platform = { os: "linux", architecture: "amd64" }) {
  const layerDescs = [];
  for (const l of layers) layerDescs.push(await pushBlob(host, repo, l, MT.layer));
  const config = Buffer.from(
    JSON.stringify({
      ...platform,
      rootfs: { type: "layers", diff_ids: [] },
      nonce: randomBytes(4).toString("hex"),
    }),
  );
  const configDesc = await pushBlob(host, repo, config, MT.config);
  const manifest = { schemaVersion: 2, mediaType: MT.manifest, config: configDesc, layers: layerDescs };
  const desc = await pushManifest(host, repo, manifest, tag);
  return { ...desc, platform, layers: layerDescs, config: configDesc };
}

/** Pushes a multi-arch index of images (one per platform, `layersPerPlatform` files each) and tags it. */
export async function pushMultiArch(host, repo, tag, layersPerPlatform, platforms) {
  const manifests = [];
  for (let i = 0; i < platforms.length; i++) {
    const [os, architecture] = platforms[i].split("/");
    const img = await pushImage(host, repo, undefined, layersPerPlatform[i], { os, architecture });
    manifests.push(img);
  }
  const index = {
    schemaVersion: 2,
    mediaType: MT.index,
    manifests: manifests.map(({ mediaType, digest, size, platform }) => ({
      mediaType,
      digest,
      size,
      platform,
    })),
  };
  const desc = await pushManifest(host, repo, index, tag);
  return { ...desc, platforms: manifests };
}

/**
 * Pushes a referrer artifact of `artifactType` with one small layer (`payload` bytes) for
 * `subject`. Returns its descriptor as a referrers listing would show it.
 */
export async function pushReferrer(host, repo, subject, artifactType, payload, created) {
  // config.mediaType = artifactType (with `{}` as content), and the artifactType field too:
  // refreg derives a listing's artifactType from config.mediaType only (zot reads both), and a
  // listing that says "empty" would make clients fetch every manifest to learn its type.
  const configDesc = await pushBlob(host, repo, EMPTY, artifactType);
  const layer = await pushBlob(host, repo, payload, "application/octet-stream");
  const annotations = { "org.opencontainers.image.created": created };
  const manifest = {
    schemaVersion: 2,
    mediaType: MT.manifest,
    artifactType,
    config: configDesc,
    layers: [layer],
    subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
    annotations,
  };
  const desc = await pushManifest(host, repo, manifest);
  return { ...desc, artifactType, annotations };
}

/** Writes the tag-schema fallback index `sha256-<hex>` for `subject` (registries with no referrers API). */
export async function pushFallbackIndex(host, repo, subject, referrers) {
  if (!referrers.length) return;
  const index = { schemaVersion: 2, mediaType: MT.index, manifests: referrers };
  await pushManifest(host, repo, index, subject.digest.replace(":", "-"));
}

/**
 * Builds a referrers tree below `subject`: fanout[0] children of the subject, fanout[1] below each
 * of those, and so on. With `fallback`, also writes the tag-schema index per subject. Returns all
 * referrer descriptors (level order).
 */
export async function pushReferrerTree(host, repo, subject, fanout, { fallback, payloadSize = 512, types }) {
  const all = [];
  let level = [subject];
  let n = 0;
  const base = Date.UTC(2025, 0, 1);
  for (let depth = 0; depth < fanout.length; depth++) {
    const next = [];
    // Subjects of one level are independent: push their referrers a few at a time.
    const queue = [...level];
    const worker = async () => {
      for (let s = queue.shift(); s; s = queue.shift()) {
        const mine = [];
        for (let i = 0; i < fanout[depth]; i++) {
          const type = types[(depth + i) % types.length];
          const created = new Date(base + n++ * 1000).toISOString();
          mine.push(await pushReferrer(host, repo, s, type, randomBytes(payloadSize), created));
        }
        if (fallback) await pushFallbackIndex(host, repo, s, mine);
        next.push(...mine);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    all.push(...next);
    level = next;
  }
  return all;
}
