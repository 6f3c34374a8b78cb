// A small, honest in-memory OCI registry on node:http (or https) that a test can make hostile:
// `override` sees every request first and may answer it any way it likes (lie about a digest,
// serve HTML, loop a Link header, trickle a body forever...). Everything it is asked is recorded,
// so tests can assert what reached it (and, with a second `startRecorder`, what reached another
// host). Like distribution 2.8 it has no referrers API, so clients use the tag-schema fallback.
import { createHash, randomUUID } from "node:crypto";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import https from "node:https";
import type { AddressInfo, Socket } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

/** Return true when the request was answered; false lets the honest registry answer it. */
export type Override = (
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
  registry: HostileRegistry,
) => boolean | Promise<boolean>;

export interface StoredManifest {
  mediaType: string;
  bytes: Buffer;
}

export interface HostileRegistry {
  /** "127.0.0.1:PORT" */
  host: string;
  /** "http(s)://127.0.0.1:PORT" */
  origin: string;
  requests: RecordedRequest[];
  blobs: Map<string, Buffer>;
  /** By digest. */
  manifests: Map<string, StoredManifest>;
  /** tag -> digest (one namespace for all repositories: each test gets its own registry). */
  tags: Map<string, string>;
  override: Override | undefined;
  /** PUTs of manifests under a tag that the registry accepted (the "nothing tagged" check). */
  taggedPuts(): string[];
  close(): Promise<void>;
}

export interface HostileOptions {
  tls?: { key: string; cert: string };
  /** Demand HTTP Basic auth with these credentials on /v2/ (401 + `WWW-Authenticate: Basic`). */
  basicAuth?: { username: string; password: string };
  override?: Override;
}

export const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
export const OCI_INDEX = "application/vnd.oci.image.index.v1+json";

export function sha256(data: Buffer | string): string {
  return `sha256:${createHash("sha256").update(data).digest("hex")}`;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function ociError(res: ServerResponse, status: number, code: string, message: string): void {
  const body = JSON.stringify({ errors: [{ code, message }] });
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

const ROUTE =
  /^\/v2\/(?<name>.+?)\/(?:(?<kind>manifests|blobs)\/(?<ref>[^/?]+)|blobs\/uploads\/(?<upload>[^/?]*)|tags\/list|referrers\/(?<subject>[^/?]+))$/;

/** The honest part: enough of the distribution API for push, attach, discover, pull and copy. */
async function honest(
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
  reg: HostileRegistry,
  uploads: Map<string, Buffer[]>,
): Promise<void> {
  const url = new URL(req.url ?? "/", reg.origin);
  if (url.pathname === "/v2/" || url.pathname === "/v2") {
    res.writeHead(200, { "content-type": "application/json" }).end("{}");
    return;
  }
  const m = ROUTE.exec(url.pathname);
  if (!m?.groups) return ociError(res, 404, "NAME_UNKNOWN", "no such route");
  const { name, kind, ref, upload, subject } = m.groups;
  const method = req.method ?? "GET";
  if (subject !== undefined) {
    // Like distribution 2.8: no referrers route at all (plain-text 404).
    res.writeHead(404, { "content-type": "text/plain" }).end("404 page not found\n");
    return;
  }
  if (url.pathname.endsWith("/tags/list")) {
    const json = JSON.stringify({ name, tags: [...reg.tags.keys()] });
    res.writeHead(200, { "content-type": "application/json" }).end(json);
    return;
  }
  if (upload !== undefined) {
    if (method === "POST") {
      const id = randomUUID();
      uploads.set(id, []);
      res.writeHead(202, { location: `/v2/${name}/blobs/uploads/${id}`, "content-length": 0 }).end();
      return;
    }
    const parts = uploads.get(upload);
    if (!parts) return ociError(res, 404, "BLOB_UPLOAD_UNKNOWN", "no such upload");
    parts.push(body);
    if (method === "PATCH") {
      res.writeHead(202, { location: `/v2/${name}/blobs/uploads/${upload}`, "content-length": 0 }).end();
      return;
    }
    if (method === "PUT") {
      const digest = url.searchParams.get("digest") ?? "";
      const data = Buffer.concat(parts);
      uploads.delete(upload);
      if (sha256(data) !== digest) return ociError(res, 400, "DIGEST_INVALID", "digest mismatch");
      reg.blobs.set(digest, data);
      res.writeHead(201, { location: `/v2/${name}/blobs/${digest}`, "docker-content-digest": digest }).end();
      return;
    }
    if (method === "DELETE") {
      uploads.delete(upload);
      res.writeHead(204).end();
      return;
    }
  }
  if (kind === "blobs" && ref) {
    const data = reg.blobs.get(ref);
    if (!data) return ociError(res, 404, "BLOB_UNKNOWN", "blob unknown");
    res.writeHead(200, {
      "content-type": "application/octet-stream",
      "content-length": data.length,
      "docker-content-digest": ref,
    });
    res.end(method === "HEAD" ? undefined : data);
    return;
  }
  if (kind === "manifests" && ref) {
    if (method === "PUT") {
      const digest = sha256(body);
      if (ref.startsWith("sha256:") && ref !== digest) {
        return ociError(res, 400, "DIGEST_INVALID", "digest mismatch");
      }
      const mediaType = (req.headers["content-type"] ?? OCI_MANIFEST).split(";")[0]!.trim();
      const parsed = JSON.parse(body.toString("utf8")) as {
        layers?: { digest: string }[];
        config?: { digest: string };
        manifests?: { digest: string }[];
      };
      const missingBlob = [...(parsed.layers ?? []), ...(parsed.config ? [parsed.config] : [])].find(
        (d) => !reg.blobs.has(d.digest),
      );
      if (missingBlob)
        return ociError(res, 400, "MANIFEST_BLOB_UNKNOWN", `blob ${missingBlob.digest} unknown`);
      reg.manifests.set(digest, { mediaType, bytes: body });
      if (!ref.startsWith("sha256:")) reg.tags.set(ref, digest);
      res
        .writeHead(201, { location: `/v2/${name}/manifests/${digest}`, "docker-content-digest": digest })
        .end();
      return;
    }
    const digest = ref.startsWith("sha256:") ? ref : reg.tags.get(ref);
    const stored = digest ? reg.manifests.get(digest) : undefined;
    if (!digest || !stored) return ociError(res, 404, "MANIFEST_UNKNOWN", "manifest unknown");
    if (method === "DELETE") {
      reg.manifests.delete(digest);
      for (const [tag, d] of reg.tags) if (d === digest) reg.tags.delete(tag);
      res.writeHead(202).end();
      return;
    }
    res.writeHead(200, {
      "content-type": stored.mediaType,
      "content-length": stored.bytes.length,
      "docker-content-digest": digest,
    });
    res.end(method === "HEAD" ? undefined : stored.bytes);
    return;
  }
  ociError(res, 405, "UNSUPPORTED", `${method} ${url.pathname}`);
}

function listen(server: http.Server | https.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port));
  });
}

/** Closes the server and destroys every open socket (slow-body handlers never end on their own). */
function closer(server: http.Server | https.Server, sockets: Set<Socket>): () => Promise<void> {
  return () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
}

export async function startHostileRegistry(options: HostileOptions = {}): Promise<HostileRegistry> {
  const uploads = new Map<string, Buffer[]>();
  const sockets = new Set<Socket>();
  // eslint-disable-next-line prefer-const
  let reg: HostileRegistry;
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    reg.requests.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers });
    void (async () => {
      const body = await readBody(req);
      if (options.basicAuth) {
        const { username, password } = options.basicAuth;
        const expected = `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
        if (req.headers.authorization !== expected) {
          res.writeHead(401, {
            "www-authenticate": 'Basic realm="hostile"',
            "content-type": "application/json",
          });
          res.end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}');
          return;
        }
      }
      if (reg.override && (await reg.override(req, res, body, reg))) return;
      await honest(req, res, body, reg, uploads);
    })().catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(err));
      else res.destroy();
    });
  };
  const server = options.tls ? https.createServer(options.tls, handler) : http.createServer(handler);
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.once("close", () => sockets.delete(s));
  });
  const port = await listen(server);
  const host = `127.0.0.1:${port}`;
  reg = {
    host,
    origin: `${options.tls ? "https" : "http"}://${host}`,
    requests: [],
    blobs: new Map(),
    manifests: new Map(),
    tags: new Map(),
    override: options.override,
    taggedPuts: () =>
      reg.requests
        .filter((r) => r.method === "PUT" && /\/manifests\/(?!sha256:)[^/]+$/.test(r.url))
        .map((r) => r.url),
    close: closer(server, sockets),
  };
  return reg;
}

/** Another host: records what reaches it and answers with `respond` (default 404). */
export interface Recorder {
  host: string;
  origin: string;
  requests: (RecordedRequest & { body: Buffer })[];
  close(): Promise<void>;
}

export async function startRecorder(
  respond: (req: IncomingMessage, res: ServerResponse, body: Buffer) => void = (_q, res) =>
    void res.writeHead(404).end(),
): Promise<Recorder> {
  const sockets = new Set<Socket>();
  const requests: Recorder["requests"] = [];
  const server = http.createServer((req, res) => {
    void readBody(req).then((body) => {
      requests.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      respond(req, res, body);
    });
  });
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.once("close", () => sockets.delete(s));
  });
  const port = await listen(server);
  const host = `127.0.0.1:${port}`;
  return { host, origin: `http://${host}`, requests, close: closer(server, sockets) };
}

/** A throw-away CA-less self-signed certificate for 127.0.0.1 (openssl, installed by scripts/peers/install.sh). */
export function selfSignedCert(): { key: string; cert: string; certFile: string } {
  const dir = mkdtempSync(path.join(tmpdir(), "ocigraph-hostile-tls-"));
  const keyFile = path.join(dir, "key.pem");
  const certFile = path.join(dir, "cert.pem");
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-keyout",
      keyFile,
      "-out",
      certFile,
      "-days",
      "1",
      "-subj",
      "/CN=127.0.0.1",
      "-addext",
      "subjectAltName=IP:127.0.0.1",
    ],
    { stdio: "ignore" },
  );
  return { key: readFileSync(keyFile, "utf8"), cert: readFileSync(certFile, "utf8"), certFile };
}

/** Seeds an artifact straight into the store: blobs, an OCI manifest, optional tag. */
export function seedArtifact(
  reg: HostileRegistry,
  layers: { data: Buffer; title?: string; mediaType?: string }[],
  options: { tag?: string; subject?: { digest: string; size: number; mediaType: string } } = {},
): { digest: string; bytes: Buffer; layerDigests: string[] } {
  const empty = Buffer.from("{}");
  reg.blobs.set(sha256(empty), empty);
  const layerDescriptors = layers.map((l) => {
    const digest = sha256(l.data);
    reg.blobs.set(digest, l.data);
    return {
      mediaType: l.mediaType ?? "application/octet-stream",
      digest,
      size: l.data.length,
      ...(l.title ? { annotations: { "org.opencontainers.image.title": l.title } } : {}),
    };
  });
  const manifest = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    artifactType: "application/vnd.test.hostile",
    config: { mediaType: "application/vnd.oci.empty.v1+json", digest: sha256(empty), size: 2 },
    layers: layerDescriptors,
    ...(options.subject ? { subject: options.subject } : {}),
  };
  const bytes = Buffer.from(JSON.stringify(manifest));
  const digest = sha256(bytes);
  reg.manifests.set(digest, { mediaType: OCI_MANIFEST, bytes });
  if (options.tag) reg.tags.set(options.tag, digest);
  return { digest, bytes, layerDigests: layerDescriptors.map((d) => d.digest) };
}
