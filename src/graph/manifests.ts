/**
 * Every manifest of a repository, tagged or not, as `az acr manifest list-metadata` shows them.
 * Where the target has a manifest metadata API (ACR) that is the list, complete; elsewhere the
 * list is what the tags (or an OCI layout's `index.json`) reach through index children and
 * referrers at every depth, since the distribution API has no way to list untagged manifests.
 */
import { isOcigraphError, OcigraphError } from "../oci/errors.js";
import type { ManifestEntry, ManifestListing } from "../oci/graph-results.js";
import { type Descriptor, isIndex, manifestDescriptor } from "../oci/manifest.js";
import { isManifestMediaType } from "../oci/media-types.js";
import { canListRoots, hasManifestMetadata, type ManifestRecord, type Target } from "../oci/target.js";
import { limiter, type Limiter } from "../util/limit.js";

const CREATED = "org.opencontainers.image.created";
const DEFAULT_MAX_MANIFESTS = 10_000;

export type { ManifestEntry, ManifestListing };

export interface ListManifestsOptions {
  /** Keep only manifests of these artifact types (all when empty). */
  artifactTypes?: readonly string[];
  /** Keep only manifests without a tag. */
  untagged?: boolean;
  /** Parallel requests; 0 means the default (8). */
  concurrency?: number;
  /** Most manifests walked before giving up; 0 means the default (10,000). */
  maxManifests?: number;
}

export async function listManifests(
  target: Target,
  options: ListManifestsOptions = {},
): Promise<ManifestListing> {
  const limit = limiter(options.concurrency, 8);
  const api = hasManifestMetadata(target) ? await target.manifestMetadata() : undefined;
  let listing: ManifestListing;
  if (api) {
    const records = await api.list();
    const entries = await Promise.all(records.map((r) => limit(() => fromRecord(target, r))));
    listing = {
      repository: target.name,
      source: "registry",
      complete: true,
      manifests: entries.filter((e): e is ManifestEntry => e !== undefined),
    };
  } else {
    const layout = canListRoots(target);
    listing = {
      repository: target.name,
      source: layout ? "layout" : "graph",
      complete: false,
      note: layout
        ? "an OCI layout lists what index.json and the graph below it reach"
        : `${target.name} has no API that lists untagged manifests: these are what its tags reach through ` +
          "index children and referrers; an untagged manifest nothing reaches cannot be listed here",
      manifests: await walkFromRoots(target, limit, options.maxManifests || DEFAULT_MAX_MANIFESTS),
    };
  }
  const types = options.artifactTypes?.length ? new Set(options.artifactTypes) : undefined;
  listing.manifests = listing.manifests
    .filter((m) => !types || (m.artifactType !== undefined && types.has(m.artifactType)))
    .filter((m) => !options.untagged || m.tags.length === 0);
  if (listing.source !== "registry") listing.manifests.sort(byCreatedThenDigest);
  return listing;
}

/** A metadata record completed from the manifest itself (artifact type, subject). */
async function fromRecord(target: Target, record: ManifestRecord): Promise<ManifestEntry | undefined> {
  const entry: ManifestEntry = {
    digest: record.digest,
    tags: record.tags,
    mediaType: record.mediaType ?? "",
    ...(record.size !== undefined ? { size: record.size } : {}),
    ...(record.createdTime ? { created: record.createdTime } : {}),
    ...(record.lastUpdateTime ? { lastUpdated: record.lastUpdateTime } : {}),
    lock: record.attributes,
  };
  try {
    const { manifest, bytes } = await target.fetchManifest(record.digest);
    const described = manifestDescriptor(manifest, bytes, record.digest);
    entry.mediaType = described.mediaType;
    if (described.artifactType) entry.artifactType = described.artifactType;
    if (manifest.subject) entry.subject = manifest.subject.digest;
  } catch (err) {
    // Deleted since it was listed: gone. Unreadable (a read lock): shown with what is known.
    if (isOcigraphError(err, "NOT_FOUND")) return undefined;
    if (!isOcigraphError(err, "DENIED") && !isOcigraphError(err, "UNAUTHORIZED")) throw err;
  }
  return entry;
}

/** Breadth-first from the tags (or `index.json`), through index children and referrers. */
async function walkFromRoots(target: Target, limit: Limiter, max: number): Promise<ManifestEntry[]> {
  const tagsOf = new Map<string, Set<string>>();
  let frontier: Descriptor[] = [];
  const addRoot = (descriptor: Descriptor, tag?: string): void => {
    const tags = tagsOf.get(descriptor.digest) ?? new Set<string>();
    if (tag) tags.add(tag);
    tagsOf.set(descriptor.digest, tags);
    frontier.push(descriptor);
  };
  if (canListRoots(target)) {
    for (const root of await target.listRoots()) {
      if (isManifestMediaType(root.descriptor.mediaType)) addRoot(root.descriptor, root.tag);
    }
  } else {
    const tags = await target.listTags();
    const resolved = await Promise.all(tags.map((tag) => limit(() => resolveIfTagged(target, tag))));
    tags.forEach((tag, i) => {
      const d = resolved[i];
      if (d) addRoot(d, tag);
    });
  }
  const entries = new Map<string, ManifestEntry>();
  while (frontier.length) {
    const level = [...new Map(frontier.map((d) => [d.digest, d])).values()].filter(
      (d) => !entries.has(d.digest),
    );
    frontier = [];
    if (entries.size + level.length > max) {
      throw new OcigraphError("TOO_LARGE", `${target.name}: more than ${max} manifests reachable`, {
        hint: "list a smaller repository, or use the registry's own listing",
      });
    }
    const found = await Promise.all(level.map((d) => limit(() => visit(target, d))));
    found.forEach((result, i) => {
      const d = level[i] as Descriptor;
      if (!result) return;
      entries.set(d.digest, { ...result.entry, tags: [...(tagsOf.get(d.digest) ?? [])].sort() });
      frontier.push(...result.next);
    });
  }
  return [...entries.values()];
}

async function visit(
  target: Target,
  descriptor: Descriptor,
): Promise<{ entry: ManifestEntry; next: Descriptor[] } | undefined> {
  let fetched;
  try {
    fetched = await target.fetchManifest(descriptor.digest);
  } catch (err) {
    if (isOcigraphError(err, "NOT_FOUND")) return undefined;
    throw err;
  }
  const { manifest, bytes } = fetched;
  const described = manifestDescriptor(manifest, bytes, descriptor.digest);
  const created = manifest.annotations?.[CREATED];
  const next: Descriptor[] = isIndex(manifest)
    ? manifest.manifests.filter((c) => isManifestMediaType(c.mediaType))
    : [];
  next.push(...(await target.referrers(described)));
  return {
    entry: {
      digest: descriptor.digest,
      tags: [],
      mediaType: described.mediaType,
      ...(described.artifactType ? { artifactType: described.artifactType } : {}),
      ...(manifest.subject ? { subject: manifest.subject.digest } : {}),
      size: bytes.length,
      ...(typeof created === "string" ? { created } : {}),
    },
    next,
  };
}

/** The manifest `tag` points at; undefined when no such tag exists (NOT_FOUND). */
export async function resolveIfTagged(target: Target, tag: string): Promise<Descriptor | undefined> {
  try {
    return await target.resolve(tag);
  } catch (err) {
    if (isOcigraphError(err, "NOT_FOUND")) return undefined;
    throw err;
  }
}

function byCreatedThenDigest(a: ManifestEntry, b: ManifestEntry): number {
  const ca = a.created ?? "";
  const cb = b.created ?? "";
  if (ca !== cb) return ca < cb ? -1 : 1;
  return a.digest < b.digest ? -1 : a.digest > b.digest ? 1 : 0;
}
