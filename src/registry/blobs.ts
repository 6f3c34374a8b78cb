import type { Readable } from "node:stream";
import type { Descriptor } from "../oci/manifest.js";
import type { BlobContent } from "../oci/target.js";
import { OcigraphError } from "../oci/errors.js";
import { verifiedStream } from "../oci/digest.js";
import { headerValue, type RegistryResponse } from "./client.js";
import { type RepositoryContext, pullScope, pushScope, unexpected, v2Path } from "./context.js";
import { repositoryScope } from "../auth/scope.js";

const UPLOAD_ATTEMPTS = 3;

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
  return verifiedStream(res.body, descriptor.digest, descriptor.size, `${ctx.name}@${descriptor.digest}`);
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

async function startUpload(ctx: RepositoryContext, descriptor: Descriptor): Promise<string> {
  const res = await ctx.client.request({
    method: "POST",
    path: v2Path(ctx, "blobs/uploads/"),
    scopes: pushScope(ctx),
  });
  await res.body.dump().catch(() => undefined);
  if (res.status !== 202) throw await unexpected(res, `${ctx.name}: starting upload of ${descriptor.digest}`);
  const location = headerValue(res.headers, "location");
  if (!location) {
    throw new OcigraphError(
      "INVALID_CONTENT",
      `${ctx.name}: the registry started an upload without a Location`,
    );
  }
  return location;
}

function withDigest(location: string, digest: string, origin: string): string {
  const url = new URL(location, origin);
  url.searchParams.set("digest", digest);
  return url.toString();
}

/**
 * Uploads a blob: POST to open a session, then either one streaming PUT (monolithic) or
 * PATCH chunks and a closing PUT. A failed attempt re-opens the content and starts over.
 */
export async function pushBlob(
  ctx: RepositoryContext,
  descriptor: Descriptor,
  content: BlobContent,
): Promise<void> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= UPLOAD_ATTEMPTS; attempt++) {
    try {
      const location = await startUpload(ctx, descriptor);
      if (ctx.chunkSize > 0 && descriptor.size > ctx.chunkSize) {
        await uploadChunked(ctx, descriptor, content, location);
      } else {
        await uploadMonolithic(ctx, descriptor, content, location);
      }
      return;
    } catch (err) {
      lastError = err;
      if (!isTransient(err)) throw err;
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
    body: async () =>
      verifiedStream(
        await content.open(),
        descriptor.digest,
        descriptor.size,
        `upload of ${descriptor.digest}`,
      ),
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
  const source = verifiedStream(
    await content.open(),
    descriptor.digest,
    descriptor.size,
    `upload of ${descriptor.digest}`,
  );
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
