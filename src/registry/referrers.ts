// Reading referrers: the referrers API's listing, and the tag-schema fallback index (read and
// delete; its update protocol is in fallback-update.ts).
import type { Descriptor, ImageIndex } from "../oci/manifest.js";
import { MAX_MANIFEST_BYTES, isIndex, parseManifest } from "../oci/manifest.js";
import { OcigraphError, isOcigraphError } from "../oci/errors.js";
import { MediaType } from "../oci/media-types.js";
import { fallbackTag } from "../oci/referrers-index.js";
import { readCapped } from "./body.js";
import { headerValue } from "./client.js";
import { type RepositoryContext, deleteScope, pullScope, unexpected, v2Path } from "./context.js";
import { fetchManifestIfExists } from "./manifests.js";
import { nextLink } from "./link.js";
import { readRegistryErrors } from "./errors.js";

const MAX_PAGES = 100;

export type ApiAnswer =
  | {
      supported: true;
      referrers: Descriptor[];
      /** The registry applied the artifactType filter itself (`OCI-Filters-Applied`). */
      filtered: boolean;
    }
  | { supported: false };

/**
 * GET /v2/<name>/referrers/<digest>, all pages, at most `limit` descriptors in total
 * (TOO_LARGE beyond). `supported: false` when the registry has no
 * such route (404 without NAME_UNKNOWN), so the caller uses the tag-schema fallback.
 * https://github.com/opencontainers/distribution-spec/blob/v1.1.1/spec.md#listing-referrers
 */
export async function listReferrersApi(
  ctx: RepositoryContext,
  subject: string,
  artifactTypes: readonly string[] | undefined,
  limit = Number.POSITIVE_INFINITY,
): Promise<ApiAnswer> {
  const referrers: Descriptor[] = [];
  const seen = new Set<string>();
  const single = artifactTypes?.length === 1 ? artifactTypes[0] : undefined;
  let path: string | undefined =
    v2Path(ctx, `referrers/${subject}`) + (single ? `?artifactType=${encodeURIComponent(single)}` : "");
  let filtered = true;
  for (let page = 0; path; page++) {
    const url = new URL(path, ctx.client.origin);
    if (url.origin !== ctx.client.origin) {
      throw new OcigraphError(
        "INVALID_CONTENT",
        `${ctx.name}: referrers page points to another host (${url.host})`,
      );
    }
    if (seen.has(url.toString()) || page >= MAX_PAGES) {
      throw new OcigraphError("INVALID_CONTENT", `${ctx.name}: referrers pagination loops or never ends`);
    }
    seen.add(url.toString());
    const res = await ctx.client.request({ method: "GET", path: url.toString(), scopes: pullScope(ctx) });
    if (res.status === 404 && page === 0) {
      const errors = await readRegistryErrors(res.body);
      if (errors.some((e) => e.code === "NAME_UNKNOWN"))
        return { supported: true, referrers: [], filtered: true };
      return { supported: false };
    }
    if (res.status !== 200) throw await unexpected(res, `${ctx.name}: listing referrers of ${subject}`);
    const contentType = headerValue(res.headers, "content-type")?.split(";")[0]?.trim();
    const text = await readCapped(
      res,
      MAX_MANIFEST_BYTES,
      `${ctx.name}: referrers of ${subject}`,
      "referrers page",
    );
    let index;
    try {
      index = parseManifest(text, contentType, `${ctx.name}: referrers of ${subject}`);
    } catch (err) {
      if (page === 0 && contentType !== MediaType.ImageIndex) {
        throw new OcigraphError(
          "INVALID_CONTENT",
          `${ctx.name}: the referrers endpoint answered ${contentType ?? "something"} that is not an OCI index`,
          { cause: err, hint: "the registry or a proxy in front of it is misconfigured" },
        );
      }
      throw err;
    }
    if (!isIndex(index)) {
      throw new OcigraphError(
        "INVALID_CONTENT",
        `${ctx.name}: the referrers endpoint did not answer an index`,
      );
    }
    referrers.push(...index.manifests);
    // A total, not a per-page bound: pages of 20,000 descriptors each would otherwise each
    // cost a manifest fetch downstream.
    if (referrers.length > limit) {
      throw new OcigraphError(
        "TOO_LARGE",
        `${ctx.name}: the referrers of ${subject} exceed the limit of ${limit} (${referrers.length} listed after ${page + 1} page(s))`,
        { hint: "raise --max-nodes (input max-nodes) if this graph is really that large" },
      );
    }
    if (!headerValue(res.headers, "oci-filters-applied")?.includes("artifactType")) filtered = false;
    path = nextLink(headerValue(res.headers, "link"));
  }
  return { supported: true, referrers, filtered: filtered && single !== undefined };
}

/** Reads the fallback index of `subject`; undefined when the tag does not exist. */
export async function readFallbackIndex(
  ctx: RepositoryContext,
  subject: string,
): Promise<{ index: ImageIndex; digest: string; etag: string | undefined } | undefined> {
  const tag = fallbackTag(subject);
  const fetched = await fetchManifestIfExists(ctx, tag);
  if (!fetched) return undefined;
  if (fetched.descriptor.digest === subject) {
    throw new OcigraphError(
      "INVALID_CONTENT",
      `${ctx.name}:${tag} resolves to the subject itself, not to a referrers index`,
      { hint: "this registry maps digest-like tags to manifests; it cannot hold tag-schema referrers" },
    );
  }
  if (
    !isIndex(fetched.manifest) ||
    (fetched.manifest.mediaType ?? fetched.descriptor.mediaType) !== MediaType.ImageIndex
  ) {
    throw new OcigraphError(
      "INVALID_CONTENT",
      `${ctx.name}:${tag} is not an OCI image index, so it is not a referrers index`,
      {
        hint: "someone else uses this tag; ocigraph will not overwrite it",
      },
    );
  }
  return { index: fetched.manifest, digest: fetched.descriptor.digest, etag: fetched.etag };
}

/** Deletes the fallback index of `subject`, if there is one. */
export async function deleteFallbackIndex(ctx: RepositoryContext, subject: string): Promise<void> {
  // Deleting one revision can leave the tag on a newer one that a straggling update (another
  // writer's, or a slow one of ours) wrote meanwhile: read again until the tag is gone.
  for (let attempt = 0; attempt < 3; attempt++) {
    let current;
    try {
      current = await readFallbackIndex(ctx, subject);
    } catch (err) {
      if (isOcigraphError(err, "INVALID_CONTENT")) return; // not ours to delete
      throw err;
    }
    if (!current) return;
    if (!(await deleteIndexManifest(ctx, current.digest))) {
      throw new OcigraphError(
        "UNSUPPORTED",
        `${ctx.name}: cannot delete the referrers index ${current.digest}: the registry refuses deletes`,
        { hint: "for distribution: storage.delete.enabled" },
      );
    }
  }
}

/**
 * Deletes one revision of a fallback index by digest: true when it is gone (a 404 included),
 * false when the registry refuses deletes (405); other failures throw.
 */
export async function deleteIndexManifest(ctx: RepositoryContext, digest: string): Promise<boolean> {
  const res = await ctx.client.request({
    method: "DELETE",
    path: v2Path(ctx, `manifests/${digest}`),
    scopes: [...deleteScope(ctx), ...pullScope(ctx)],
  });
  if (res.status < 300 || res.status === 404 || res.status === 405) {
    await res.body.dump().catch(() => undefined);
    return res.status !== 405;
  }
  throw await unexpected(res, `${ctx.name}@${digest}: deleting the emptied referrers index`);
}
