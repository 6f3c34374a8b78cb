/**
 * Azure Container Registry's metadata API for manifests, from the public data-plane spec
 * (Azure/azure-rest-api-specs, specification/containerregistry/data-plane/Azure.ContainerRegistry/
 * stable/2021-07-01/containerregistry.json):
 *
 * - `GET /acr/v1/{name}/_manifests` (ContainerRegistry_GetManifests): query `last` (results
 *   "lexically after last"), `n` (max items), `orderby` (`none` | `timedesc` | `timeasc`); answers
 *   `AcrManifests` `{registry, imageName, manifests: ManifestAttributesBase[], link}` with the next
 *   page in the `Link` header (x-ms-pageable nextLinkName `link`).
 * - `GET /acr/v1/{name}/_manifests/{digest}` (ContainerRegistry_GetManifestProperties) and
 *   `PATCH` the same path (ContainerRegistry_UpdateManifestProperties) with a
 *   `ManifestChangeableAttributes` body `{deleteEnabled, writeEnabled, listEnabled, readEnabled}`;
 *   both answer `ManifestAttributes` `{registry, imageName, manifest: ManifestAttributesBase}`.
 * - `ManifestAttributesBase`: `digest`, `imageSize`, `createdTime`, `lastUpdateTime`, `tags`,
 *   `mediaType`, `configMediaType`, `architecture`, `os`, `changeableAttributes`.
 *
 * Token scopes are `repository:<name>:metadata_read` for reads and `metadata_write` for the PATCH
 * (as azure-sdk-for-js's container-registry client asks them). Everything in an answer is checked
 * before use: registry data is untrusted.
 */
import { OcigraphError, isOcigraphError } from "../oci/errors.js";
import { isDigest } from "../oci/digest.js";
import { isValidMediaType } from "../oci/media-types.js";
import { isValidTag } from "../oci/reference.js";
import type { ManifestAttributes, ManifestMetadataApi, ManifestRecord } from "../oci/target.js";
import { repositoryScope } from "../auth/scope.js";
import { headerValue, type RegistryResponse } from "./client.js";
import type { RepositoryContext } from "./context.js";
import { readRegistryErrors, registryError } from "./errors.js";
import { nextLink } from "./link.js";
import { readCapped } from "./body.js";

const API_VERSION = "2021-07-01";
const PAGE_SIZE = 100;
const MAX_PAGES = 1000;
const MAX_BODY_BYTES = 4 * 1024 * 1024;
const TIME = /^[0-9][0-9T:.+\-Z ]{0,63}$/;
const ATTRIBUTE_KEYS = ["deleteEnabled", "writeEnabled", "readEnabled", "listEnabled"] as const;

const readScope = (ctx: RepositoryContext): string[] => [repositoryScope(ctx.repository, ["metadata_read"])];
const writeScope = (ctx: RepositoryContext): string[] => [
  repositoryScope(ctx.repository, ["metadata_read", "metadata_write"]),
];

function basePath(ctx: RepositoryContext): string {
  return `/acr/v1/${ctx.repository}/_manifests`;
}

/** ACR login servers: Azure public cloud, Azure China, Azure US Government. */
const ACR_LOGIN_SERVER = /\.azurecr\.(io|cn|us)(:\d+)?$/i;

export function isAcrLoginServer(host: string): boolean {
  return ACR_LOGIN_SERVER.test(host);
}

/**
 * Asks once whether the registry serves ACR's manifest metadata API: an `AcrManifests` page, or
 * ACR's `NAME_UNKNOWN` for a repository it does not hold. Any other answer (distribution's
 * plain 404, a 400 or 405 for an unknown route) means "no such API". A refused `metadata_read`
 * scope is an error on an ACR login server (the identity lacks a role), and "no such API"
 * elsewhere: a registry that never heard of the scope must not break `delete -r` or `manifests`.
 */
export async function probeAcrMetadata(ctx: RepositoryContext): Promise<ManifestMetadataApi | undefined> {
  const acr = isAcrLoginServer(ctx.client.host);
  let res: RegistryResponse;
  try {
    res = await ctx.client.request({
      method: "GET",
      path: `${basePath(ctx)}?n=1&api-version=${API_VERSION}`,
      scopes: readScope(ctx),
    });
  } catch (err) {
    if (!acr && (isOcigraphError(err, "UNAUTHORIZED") || isOcigraphError(err, "DENIED"))) return undefined;
    throw err;
  }
  if (res.status === 200) {
    const body = await readJson(res, ctx, "listing manifests");
    if (!Array.isArray((body as { manifests?: unknown }).manifests)) return undefined;
    return acrMetadataApi(ctx);
  }
  if (res.status === 401 || res.status === 403) {
    if (acr) throw await failure(res, ctx, "reading manifest metadata");
    await res.body.dump().catch(() => undefined);
    return undefined;
  }
  const errors = await readRegistryErrors(res.body);
  if (res.status === 404 && errors.some((e) => e.code === "NAME_UNKNOWN")) return acrMetadataApi(ctx);
  return undefined;
}

export function acrMetadataApi(ctx: RepositoryContext): ManifestMetadataApi {
  return {
    list: () => listManifests(ctx),
    get: (digest) => manifestRequest(ctx, "GET", digest),
    update: (digest, attributes) => manifestRequest(ctx, "PATCH", digest, attributes),
  };
}

/** Every page of `GET /acr/v1/{name}/_manifests`, oldest first, following `Link` on this origin. */
async function listManifests(ctx: RepositoryContext): Promise<ManifestRecord[]> {
  const records = new Map<string, ManifestRecord>();
  const seen = new Set<string>();
  let path: string | undefined = `${basePath(ctx)}?n=${PAGE_SIZE}&orderby=timeasc&api-version=${API_VERSION}`;
  for (let page = 0; path; page++) {
    if (page >= MAX_PAGES) {
      throw new OcigraphError("INVALID_CONTENT", `${ctx.name}: manifest listing has over ${MAX_PAGES} pages`);
    }
    const url = new URL(path, ctx.client.origin);
    if (url.origin !== ctx.client.origin) {
      throw new OcigraphError("INVALID_CONTENT", `${ctx.name}: manifest listing points to another host`);
    }
    if (seen.has(url.toString()))
      throw new OcigraphError("INVALID_CONTENT", `${ctx.name}: manifest listing loops`);
    seen.add(url.toString());
    const res = await ctx.client.request({ method: "GET", path: url.toString(), scopes: readScope(ctx) });
    if (res.status === 404) {
      await res.body.dump().catch(() => undefined);
      throw new OcigraphError("NOT_FOUND", `${ctx.name}: repository not found`);
    }
    if (res.status !== 200) throw await failure(res, ctx, "listing manifests");
    const body = (await readJson(res, ctx, "listing manifests")) as { manifests?: unknown; link?: unknown };
    if (!Array.isArray(body.manifests)) {
      throw new OcigraphError("INVALID_CONTENT", `${ctx.name}: the manifest listing has no manifests array`);
    }
    for (const item of body.manifests) {
      const record = parseRecord(item);
      if (record) records.set(record.digest, record);
    }
    path =
      nextLink(headerValue(res.headers, "link")) ?? (typeof body.link === "string" ? body.link : undefined);
  }
  return [...records.values()];
}

async function manifestRequest(
  ctx: RepositoryContext,
  method: "GET" | "PATCH",
  digest: string,
  attributes?: ManifestAttributes,
): Promise<ManifestRecord> {
  if (!isDigest(digest)) throw new OcigraphError("INVALID_INPUT", `"${digest}" is not a digest`);
  const what = method === "GET" ? "reading manifest attributes" : "updating manifest attributes";
  const res = await ctx.client.request({
    method,
    path: `${basePath(ctx)}/${digest}?api-version=${API_VERSION}`,
    scopes: method === "GET" ? readScope(ctx) : writeScope(ctx),
    ...(attributes
      ? {
          headers: { "content-type": "application/json" },
          body: Buffer.from(JSON.stringify(pickAttributes(attributes))),
        }
      : {}),
  });
  if (res.status === 404) {
    await res.body.dump().catch(() => undefined);
    throw new OcigraphError("NOT_FOUND", `${ctx.name}@${digest}: manifest not found`);
  }
  if (res.status !== 200) throw await failure(res, ctx, `${digest}: ${what}`);
  const body = (await readJson(res, ctx, what)) as { manifest?: unknown };
  const record = parseRecord(body.manifest ?? body);
  if (!record || record.digest !== digest) {
    throw new OcigraphError(
      "INVALID_CONTENT",
      `${ctx.name}@${digest}: the registry described another manifest`,
    );
  }
  return record;
}

function pickAttributes(attributes: ManifestAttributes): ManifestAttributes {
  const out: ManifestAttributes = {};
  for (const key of ATTRIBUTE_KEYS) if (typeof attributes[key] === "boolean") out[key] = attributes[key];
  return out;
}

/** One `ManifestAttributesBase`, checked; undefined when it has no usable digest. */
export function parseRecord(value: unknown): ManifestRecord | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.digest !== "string" || !isDigest(v.digest)) return undefined;
  const tags = Array.isArray(v.tags)
    ? v.tags.filter((t): t is string => typeof t === "string" && isValidTag(t))
    : [];
  const attributes: ManifestAttributes = {};
  const given = v.changeableAttributes;
  if (typeof given === "object" && given !== null) {
    for (const key of ATTRIBUTE_KEYS) {
      const flag = (given as Record<string, unknown>)[key];
      if (typeof flag === "boolean") attributes[key] = flag;
    }
  }
  const time = (t: unknown): string | undefined => (typeof t === "string" && TIME.test(t) ? t : undefined);
  const createdTime = time(v.createdTime);
  const lastUpdateTime = time(v.lastUpdateTime);
  return {
    digest: v.digest,
    tags: [...new Set(tags)].sort(),
    ...(typeof v.mediaType === "string" && isValidMediaType(v.mediaType) ? { mediaType: v.mediaType } : {}),
    ...(Number.isSafeInteger(v.imageSize) && (v.imageSize as number) >= 0
      ? { size: v.imageSize as number }
      : {}),
    ...(createdTime ? { createdTime } : {}),
    ...(lastUpdateTime ? { lastUpdateTime } : {}),
    attributes,
  };
}

/** The answer as JSON, read through the one capped reader (4 MiB, checked while it streams). */
async function readJson(res: RegistryResponse, ctx: RepositoryContext, what: string): Promise<unknown> {
  const bytes = await readCapped(res, MAX_BODY_BYTES, `${ctx.name}: ${what}`, "the answer");
  try {
    return JSON.parse(bytes.toString("utf8")) as unknown;
  } catch {
    throw new OcigraphError("INVALID_CONTENT", `${ctx.name}: ${what}: the answer is not JSON`);
  }
}

async function failure(res: RegistryResponse, ctx: RepositoryContext, what: string): Promise<OcigraphError> {
  const errors = await readRegistryErrors(res.body);
  const hint =
    res.status === 401 || res.status === 403
      ? "the identity needs metadata read (and, to lock, metadata write) on the repository, e.g. AcrPull / AcrPush"
      : undefined;
  return registryError(`${ctx.name}: ${what}`, res.status, errors, hint);
}
