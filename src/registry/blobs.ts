import type { Readable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import type { Descriptor } from "../oci/manifest.js";
import type { BlobContent } from "../oci/target.js";
import { OcigraphError, isOcigraphError } from "../oci/errors.js";
import { verifiedStream } from "../oci/digest.js";
import { headerValue, type RegistryResponse } from "./client.js";
import { type RepositoryContext, pullScope, pushScope, unexpected, v2Path } from "./context.js";
import { repositoryScope } from "../auth/scope.js";
import { networkError } from "./errors.js";
import { ReclaimingPassThrough, reclaiming } from "../util/reclaim.js";

/**
 * Upload sessions opened (POST) per blob. POST is not retried by the transport and a streamed
 * PUT cannot be replayed, so each attempt is POST+PUT: under 10% injected 5xx, 3 attempts lost
 * about one blob in 150 (network-faults reliability test); 5 attempts with a short pause do not.
 */
const UPLOAD_ATTEMPTS = 5;
const UPLOAD_RETRY_PAUSE_MS = 200;

/** HEAD the blob. https://github.com/opencontainers/distribution-spec/blob/v1.1.1/spec.md#checking-if-content-exists-in-the-registry */
export async function blobExists(ctx: RepositoryContext, descriptor: Descriptor): Promise<boolean> {
  const res = await ctx.client.request({
    method: "HEAD",
    path: v2Path(ctx, `blobs/${descriptor.digest}`),
    scopes: pullScope(ctx),
  });
  await res.body.dump().catch(() => undefined);
  if (res.status === 200) return true;
  if (res.status === 404) return false;
  throw await unexpected(res, `${ctx.name}: checking blob ${descriptor.digest}`);
}

/** GET the blob as a stream verified against its digest and size (redirects followed, auth dropped off-origin). */
export async function fetchBlob(ctx: RepositoryContext, descriptor: Descriptor): Promise<Readable> {
  const res = await ctx.client.request({
    method: "GET",
    path: v2Path(ctx, `blobs/${descriptor.digest}`),
    scopes: pullScope(ctx),
  });
  if (res.status !== 200) {
    throw await unexpected(res, `${ctx.name}: fetching blob ${descriptor.digest}`);
  }
  // A failure while the body streams (reset, stall, retries spent) is the registry's: name the
  // blob and the host, so the writer downstream does not report it as a disk error. The verifier
  // sits behind the relay in a pipeline: piped straight into it, a blob longer than its descriptor
  // failed the verifier before anyone listened and crashed the process. The relay also frees the
  // dead chunks of a long download as it goes (util/reclaim).
  const relay = new ReclaimingPassThrough();
  res.body.once("error", (err) => {
    const net = isOcigraphError(err) ? err : networkError(ctx.client.host, err);
    relay.destroy(
      new OcigraphError("NETWORK", `${ctx.name}@${descriptor.digest}: download interrupted: ${net.message}`, {
        cause: err,
        ...(net.hint ? { hint: net.hint } : {}),
      }),
    );
  });
  relay.once("close", () => res.body.destroy());
  res.body.pipe(relay);
  return verifiedStream(relay, descriptor.digest, descriptor.size, `${ctx.name}@${descriptor.digest}`);
}

/**
 * Tries a cross-repository mount. True when mounted; false when the registry started an
 * upload instead (202), or refused (401/403/404): the caller then streams the blob.
 */
export async function mountBlob(
  ctx: RepositoryContext,
  descriptor: Descriptor,
  from: string,
): Promise<boolean> {
  const res = await ctx.client.request({
    method: "POST",
    path: v2Path(
      ctx,
      `blobs/uploads/?mount=${encodeURIComponent(descriptor.digest)}&from=${encodeURIComponent(from)}`,
    ),
    scopes: [...pushScope(ctx), repositoryScope(from, ["pull"])],
  });
  await res.body.dump().catch(() => undefined);
  if (res.status === 201) return true;
  if (res.status === 202) {
    const location = headerValue(res.headers, "location");
    if (location) await cancelUpload(ctx, location);
    return false;
  }
  return false;
}

async function cancelUpload(ctx: RepositoryContext, location: string): Promise<void> {
  try {
    const res = await ctx.client.request({ method: "DELETE", path: location, scopes: pushScope(ctx) });
    await res.body.dump().catch(() => undefined);
  } catch {
    // Abandoned uploads expire on the registry; failing to cancel one is harmless.
  }
}

/** POSTs the whole blob; undefined when the registry stored it, else the session it opened. */
async function postWhole(
  ctx: RepositoryContext,
  descriptor: Descriptor,
  content: BlobContent,
): Promise<string | undefined> {
  const res = await ctx.client.request({
    method: "POST",
    path: v2Path(ctx, `blobs/uploads/?digest=${encodeURIComponent(descriptor.digest)}`),
    scopes: pushScope(ctx),
    headers: { "content-type": "application/octet-stream", "content-length": String(descriptor.size) },
    body: () => openVerified(content, descriptor),
  });
  if (res.status === 201) {
    ctx.uploads.singlePost = true;
    await res.body.dump().catch(() => undefined);
    return undefined;
  }
  if (res.status === 202) ctx.uploads.singlePost = false;
  return sessionLocation(ctx, res, descriptor);
}

async function startUpload(ctx: RepositoryContext, descriptor: Descriptor): Promise<string> {
  const res = await ctx.client.request({
    method: "POST",
    path: v2Path(ctx, "blobs/uploads/"),
    scopes: pushScope(ctx),
  });
  return sessionLocation(ctx, res, descriptor);
}

/** The Location of the upload session a POST opened. */
async function sessionLocation(
  ctx: RepositoryContext,
  res: RegistryResponse,
  descriptor: Descriptor,
): Promise<string> {
  if (res.status !== 202) throw await unexpected(res, `${ctx.name}: starting upload of ${descriptor.digest}`);
  await res.body.dump().catch(() => undefined);
  const location = headerValue(res.headers, "location");
  if (!location) {
    throw new OcigraphError(
      "INVALID_CONTENT",
      `${ctx.name}: the registry started an upload without a Location`,
    );
  }
  return location;
}

/** The content's bytes, checked against the descriptor unless the source already checks them. */
async function openVerified(content: BlobContent, descriptor: Descriptor): Promise<Readable> {
  const stream = await content.open();
  if (content.verified) return stream;
  return verifiedStream(
    reclaiming(stream),
    descriptor.digest,
    descriptor.size,
    `upload of ${descriptor.digest}`,
  );
}

function withDigest(location: string, digest: string, origin: string): string {
  const url = new URL(location, origin);
  url.searchParams.set("digest", digest);
  return url.toString();
}

/**
 * Blobs up to this size are first offered whole in the POST (distribution-spec "single POST"):
 * a registry that takes it stores the blob in one round trip instead of two; one that does not
 * (distribution 2.8) opens a session as usual, and the few bytes were sent twice. Learnt once
 * per target, so later blobs skip the offer where it is ignored.
 */
const SINGLE_POST_BYTES = 256 * 1024;

/**
 * Uploads a blob: POST to open a session (or, for a small blob, POST it whole), then either one
 * streaming PUT (monolithic) or PATCH chunks and a closing PUT. A failed attempt re-opens the
 * content and starts over.
 */
export async function pushBlob(
  ctx: RepositoryContext,
  descriptor: Descriptor,
  content: BlobContent,
): Promise<void> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= UPLOAD_ATTEMPTS; attempt++) {
    try {
      const chunked = ctx.chunkSize > 0 && descriptor.size > ctx.chunkSize;
      const whole = !chunked && descriptor.size <= SINGLE_POST_BYTES && ctx.uploads.singlePost !== false;
      const location = whole ? await postWhole(ctx, descriptor, content) : await startUpload(ctx, descriptor);
      if (location === undefined) return;
      if (chunked) {
        await uploadChunked(ctx, descriptor, content, location);
      } else {
        await uploadMonolithic(ctx, descriptor, content, location);
      }
      return;
    } catch (err) {
      lastError = err;
      if (!isTransient(err)) throw err;
      if (attempt < UPLOAD_ATTEMPTS) await sleep(UPLOAD_RETRY_PAUSE_MS * attempt);
    }
  }
  throw lastError;
}

function isTransient(err: unknown): boolean {
  const e = err as { code?: unknown; status?: unknown };
  if (e.code === "NETWORK") return true;
  return e.code === "REGISTRY" && typeof e.status === "number" && (e.status >= 500 || e.status === 429);
}

async function uploadMonolithic(
  ctx: RepositoryContext,
  descriptor: Descriptor,
  content: BlobContent,
  location: string,
): Promise<void> {
  const res = await ctx.client.request({
    method: "PUT",
    path: withDigest(location, descriptor.digest, ctx.client.origin),
    scopes: pushScope(ctx),
    headers: { "content-type": "application/octet-stream", "content-length": String(descriptor.size) },
    body: () => openVerified(content, descriptor),
  });
  await finishUpload(ctx, res, descriptor);
}

async function finishUpload(
  ctx: RepositoryContext,
  res: RegistryResponse,
  descriptor: Descriptor,
): Promise<void> {
  if (res.status !== 201) throw await unexpected(res, `${ctx.name}: uploading blob ${descriptor.digest}`);
  await res.body.dump().catch(() => undefined);
}

async function uploadChunked(
  ctx: RepositoryContext,
  descriptor: Descriptor,
  content: BlobContent,
  firstLocation: string,
): Promise<void> {
  let location = firstLocation;
  let offset = 0;
  const source = await openVerified(content, descriptor);
  try {
    for await (const chunk of rechunk(source, ctx.chunkSize)) {
      const res = await ctx.client.request({
        method: "PATCH",
        path: new URL(location, ctx.client.origin).toString(),
        scopes: pushScope(ctx),
        headers: {
          "content-type": "application/octet-stream",
          "content-length": String(chunk.length),
          "content-range": `${offset}-${offset + chunk.length - 1}`,
        },
        body: chunk,
      });
      await res.body.dump().catch(() => undefined);
      if (res.status !== 202)
        throw await unexpected(res, `${ctx.name}: uploading a chunk of ${descriptor.digest}`);
      offset += chunk.length;
      location = headerValue(res.headers, "location") ?? location;
    }
  } finally {
    source.destroy();
  }
  const res = await ctx.client.request({
    method: "PUT",
    path: withDigest(location, descriptor.digest, ctx.client.origin),
    scopes: pushScope(ctx),
    headers: { "content-length": "0" },
    body: Buffer.alloc(0),
  });
  await finishUpload(ctx, res, descriptor);
}

/** Re-slices a stream into buffers of exactly `size` bytes (the last may be shorter). */
async function* rechunk(source: Readable, size: number): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let pendingLength = 0;
  for await (const piece of source) {
    let buf = piece as Buffer;
    while (pendingLength + buf.length >= size) {
      const take = size - pendingLength;
      pending.push(buf.subarray(0, take));
      yield Buffer.concat(pending);
      buf = buf.subarray(take);
      pending = [];
      pendingLength = 0;
    }
    if (buf.length) {
      pending.push(buf);
      pendingLength += buf.length;
    }
  }
  if (pendingLength) yield Buffer.concat(pending);
}
