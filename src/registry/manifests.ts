import { setTimeout as sleep } from "node:timers/promises";
import type { Descriptor } from "../oci/manifest.js";
import { MAX_MANIFEST_BYTES, parseManifest } from "../oci/manifest.js";
import { isDigest, verifyBytes, digestOf, parseDigest } from "../oci/digest.js";
import { OcigraphError } from "../oci/errors.js";
import { MANIFEST_ACCEPT } from "../oci/media-types.js";
import type { FetchedManifest } from "../oci/target.js";
import { readCapped } from "./body.js";
import { headerValue } from "./client.js";
import { type RepositoryContext, deleteScope, pullScope, pushScope, unexpected, v2Path } from "./context.js";

function selectorOf(selector: Descriptor | string): string {
  return typeof selector === "string" ? selector : selector.digest;
}

/** HEAD (or GET when HEAD lacks a digest) to turn a tag or digest into a descriptor. */
export async function resolveManifest(ctx: RepositoryContext, selector: string): Promise<Descriptor> {
  const label = `${ctx.name}${isDigest(selector) ? "@" : ":"}${selector}`;
  const res = await ctx.client.request({
    method: "HEAD",
    path: v2Path(ctx, `manifests/${selector}`),
    scopes: pullScope(ctx),
    headers: { accept: MANIFEST_ACCEPT },
  });
  await res.body.dump().catch(() => undefined);
  if (res.status === 404) throw notFound(label, selector);
  if (res.status !== 200) throw await unexpected(res, `${label}: resolving`);
  const digest = headerValue(res.headers, "docker-content-digest");
  const mediaType = headerValue(res.headers, "content-type")?.split(";")[0]?.trim();
  const size = Number(headerValue(res.headers, "content-length"));
  const usable = digest && isDigest(digest) && mediaType && Number.isSafeInteger(size) && size > 0;
  if (!usable || (isDigest(selector) && digest !== selector)) {
    // Some registries omit or misreport headers on HEAD: fetch and compute instead.
    return (await fetchManifest(ctx, selector)).descriptor;
  }
  return { mediaType, digest, size };
}

function notFound(label: string, selector: string): OcigraphError {
  return new OcigraphError("NOT_FOUND", `${label}: manifest not found`, {
    hint: isDigest(selector)
      ? "check the digest and the repository"
      : "check the tag with: ocigraph tags <repository>",
  });
}

/** GETs a manifest, verifies its digest (the one asked for, or the registry's for a tag) and parses it. */
export async function fetchManifest(
  ctx: RepositoryContext,
  selector: Descriptor | string,
): Promise<FetchedManifest & { etag: string | undefined }> {
  const ref = selectorOf(selector);
  const label = `${ctx.name}${isDigest(ref) ? "@" : ":"}${ref}`;
  const res = await ctx.client.request({
    method: "GET",
    path: v2Path(ctx, `manifests/${ref}`),
    scopes: pullScope(ctx),
    headers: { accept: MANIFEST_ACCEPT },
  });
  if (res.status === 404) {
    await res.body.dump().catch(() => undefined);
    throw notFound(label, ref);
  }
  if (res.status !== 200) throw await unexpected(res, `${label}: fetching manifest`);
  const bytes = await readCapped(res, MAX_MANIFEST_BYTES, label, "manifest");
  const contentType = headerValue(res.headers, "content-type")?.split(";")[0]?.trim();
  let digest: string;
  if (typeof selector !== "string") {
    verifyBytes(bytes, selector.digest, selector.size, label);
    digest = selector.digest;
  } else if (isDigest(ref)) {
    verifyBytes(bytes, ref, undefined, label);
    digest = ref;
  } else {
    const served = headerValue(res.headers, "docker-content-digest");
    const algorithm = served && isDigest(served) ? parseDigest(served).algorithm : "sha256";
    digest = digestOf(bytes, algorithm);
    if (served && served !== digest) {
      throw new OcigraphError(
        "DIGEST_MISMATCH",
        `${label}: registry said ${served} but the content is ${digest}`,
      );
    }
  }
  const manifest = parseManifest(bytes, contentType, label);
  const mediaType =
    manifest.mediaType ??
    (typeof selector !== "string" ? selector.mediaType : undefined) ??
    contentType ??
    "";
  if (!mediaType) throw new OcigraphError("INVALID_CONTENT", `${label}: manifest has no media type`);
  const descriptor: Descriptor =
    typeof selector !== "string" ? selector : { mediaType, digest, size: bytes.length };
  return { descriptor, bytes, manifest, etag: headerValue(res.headers, "etag") };
}

export interface ManifestPushOutcome {
  /** The registry answered `OCI-Subject`: it indexes this referrer itself. */
  subjectIndexed: boolean;
}

/**
 * Distribution stores a repository's blob links as plain files rewritten in place, so while
 * another process mounts or uploads the same blob a manifest PUT can briefly see it as unknown
 * (MANIFEST_BLOB_UNKNOWN, DIGEST_INVALID). Such answers are retried a few times.
 */
const RACY_REFUSALS = ["MANIFEST_BLOB_UNKNOWN", "DIGEST_INVALID", "BLOB_UNKNOWN"];
const RACY_RETRY_DELAYS_MS = [100, 300, 900];

/** One of distribution's brief "unknown" answers while another process rewrites a link. */
export function isRacyRefusal(err: OcigraphError): boolean {
  return RACY_REFUSALS.some((code) => err.hasRegistryCode(code));
}

export interface PutManifestOptions {
  headers?: Record<string, string>;
  /** Send once: no retry of any kind (see `RegistryRequest.once`). */
  once?: boolean;
  /** See `RegistryRequest.beforeSend`. */
  beforeSend?: () => void;
}

/** PUTs manifest bytes under `reference` (a digest or a tag). */
export async function putManifest(
  ctx: RepositoryContext,
  descriptor: Descriptor,
  bytes: Buffer,
  reference: string,
  { headers = {}, once = false, beforeSend }: PutManifestOptions = {},
): Promise<ManifestPushOutcome & { status: number }> {
  const label = `${ctx.name}${isDigest(reference) ? "@" : ":"}${reference}`;
  for (let attempt = 0; ; attempt++) {
    const res = await ctx.client.request({
      method: "PUT",
      path: v2Path(ctx, `manifests/${reference}`),
      scopes: pushScope(ctx),
      headers: { "content-type": descriptor.mediaType, ...headers },
      body: bytes,
      once,
      ...(beforeSend ? { beforeSend } : {}),
    });
    if (res.status === 412) {
      await res.body.dump().catch(() => undefined);
      return { subjectIndexed: false, status: 412 };
    }
    if (res.status !== 201 && res.status !== 200) {
      const error = await unexpected(
        res,
        `${label}: pushing manifest`,
        res.status === 400
          ? "the registry refused the manifest: it may lack a blob it lists, or not accept this media type"
          : undefined,
      );
      const delay = once ? undefined : RACY_RETRY_DELAYS_MS[attempt];
      if (delay === undefined || !isRacyRefusal(error)) throw error;
      await sleep(delay);
      continue;
    }
    await res.body.dump().catch(() => undefined);
    const served = headerValue(res.headers, "docker-content-digest");
    if (served && isDigest(served) && served !== descriptor.digest && isDigest(reference)) {
      throw new OcigraphError(
        "DIGEST_MISMATCH",
        `${label}: registry stored ${served}, expected ${descriptor.digest}`,
      );
    }
    return { subjectIndexed: headerValue(res.headers, "oci-subject") !== undefined, status: res.status };
  }
}

/** DELETE a manifest by digest. NOT_FOUND when already gone; UNSUPPORTED when the registry refuses deletes. */
export async function deleteManifest(ctx: RepositoryContext, descriptor: Descriptor): Promise<void> {
  const label = `${ctx.name}@${descriptor.digest}`;
  const res = await ctx.client.request({
    method: "DELETE",
    path: v2Path(ctx, `manifests/${descriptor.digest}`),
    scopes: deleteScope(ctx),
  });
  if (res.status === 202 || res.status === 200 || res.status === 204) {
    await res.body.dump().catch(() => undefined);
    return;
  }
  if (res.status === 404) {
    await res.body.dump().catch(() => undefined);
    throw notFound(label, descriptor.digest);
  }
  throw await unexpected(
    res,
    `${label}: deleting manifest`,
    res.status === 405
      ? "this registry does not allow deletes (for distribution: storage.delete.enabled)"
      : undefined,
  );
}

/** Fetches by tag with the ETag, for conditional updates; undefined when the tag does not exist. */
export async function fetchManifestIfExists(
  ctx: RepositoryContext,
  tag: string,
): Promise<(FetchedManifest & { etag: string | undefined }) | undefined> {
  try {
    return await fetchManifest(ctx, tag);
  } catch (err) {
    if ((err as { code?: string }).code === "NOT_FOUND") return undefined;
    throw err;
  }
}
