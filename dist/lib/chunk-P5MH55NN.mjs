import { createRequire as __ocigraphRequire } from "node:module"; import { fileURLToPath as __ocigraphPath } from "node:url"; import { dirname as __ocigraphDir } from "node:path"; const require = __ocigraphRequire(import.meta.url); const __filename = __ocigraphPath(import.meta.url); const __dirname = __ocigraphDir(__filename);
import {
  canListRoots,
  hasManifestMetadata
} from "./chunk-72SBY5LG.mjs";
import {
  isIndex,
  manifestDescriptor
} from "./chunk-GS7PIS4O.mjs";
import {
  limiter
} from "./chunk-JFBLHQF4.mjs";
import {
  isManifestMediaType
} from "./chunk-AEECXJOG.mjs";
import {
  OcigraphError,
  isOcigraphError
} from "./chunk-N65ZBPAW.mjs";

// src/graph/manifests.ts
var CREATED = "org.opencontainers.image.created";
var DEFAULT_MAX_MANIFESTS = 1e4;
async function listManifests(target, options = {}) {
  const limit = limiter(options.concurrency, 8);
  const api = hasManifestMetadata(target) ? await target.manifestMetadata() : void 0;
  let listing;
  if (api) {
    const records = await api.list();
    const entries = await Promise.all(records.map((r) => limit(() => fromRecord(target, r))));
    listing = {
      repository: target.name,
      source: "registry",
      complete: true,
      manifests: entries.filter((e) => e !== void 0)
    };
  } else {
    const layout = canListRoots(target);
    listing = {
      repository: target.name,
      source: layout ? "layout" : "graph",
      complete: false,
      note: layout ? "an OCI layout lists what index.json and the graph below it reach" : `${target.name} has no API that lists untagged manifests: these are what its tags reach through index children and referrers; an untagged manifest nothing reaches cannot be listed here`,
      manifests: await walkFromRoots(target, limit, options.maxManifests || DEFAULT_MAX_MANIFESTS)
    };
  }
  const types = options.artifactTypes?.length ? new Set(options.artifactTypes) : void 0;
  listing.manifests = listing.manifests.filter((m) => !types || m.artifactType !== void 0 && types.has(m.artifactType)).filter((m) => !options.untagged || m.tags.length === 0);
  if (listing.source !== "registry") listing.manifests.sort(byCreatedThenDigest);
  return listing;
}
async function fromRecord(target, record) {
  const entry = {
    digest: record.digest,
    tags: record.tags,
    mediaType: record.mediaType ?? "",
    ...record.size !== void 0 ? { size: record.size } : {},
    ...record.createdTime ? { created: record.createdTime } : {},
    ...record.lastUpdateTime ? { lastUpdated: record.lastUpdateTime } : {},
    lock: record.attributes
  };
  try {
    const { manifest, bytes } = await target.fetchManifest(record.digest);
    const described = manifestDescriptor(manifest, bytes, record.digest);
    entry.mediaType = described.mediaType;
    if (described.artifactType) entry.artifactType = described.artifactType;
    if (manifest.subject) entry.subject = manifest.subject.digest;
  } catch (err) {
    if (isOcigraphError(err, "NOT_FOUND")) return void 0;
    if (!isOcigraphError(err, "DENIED") && !isOcigraphError(err, "UNAUTHORIZED")) throw err;
  }
  return entry;
}
async function walkFromRoots(target, limit, max) {
  const tagsOf = /* @__PURE__ */ new Map();
  let frontier = [];
  const addRoot = (descriptor, tag) => {
    const tags = tagsOf.get(descriptor.digest) ?? /* @__PURE__ */ new Set();
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
  const entries = /* @__PURE__ */ new Map();
  while (frontier.length) {
    const level = [...new Map(frontier.map((d) => [d.digest, d])).values()].filter(
      (d) => !entries.has(d.digest)
    );
    frontier = [];
    if (entries.size + level.length > max) {
      throw new OcigraphError("TOO_LARGE", `${target.name}: more than ${max} manifests reachable`, {
        hint: "list a smaller repository, or use the registry's own listing"
      });
    }
    const found = await Promise.all(level.map((d) => limit(() => visit(target, d))));
    found.forEach((result, i) => {
      const d = level[i];
      if (!result) return;
      entries.set(d.digest, { ...result.entry, tags: [...tagsOf.get(d.digest) ?? []].sort() });
      frontier.push(...result.next);
    });
  }
  return [...entries.values()];
}
async function visit(target, descriptor) {
  let fetched;
  try {
    fetched = await target.fetchManifest(descriptor.digest);
  } catch (err) {
    if (isOcigraphError(err, "NOT_FOUND")) return void 0;
    throw err;
  }
  const { manifest, bytes } = fetched;
  const described = manifestDescriptor(manifest, bytes, descriptor.digest);
  const created = manifest.annotations?.[CREATED];
  const next = isIndex(manifest) ? manifest.manifests.filter((c) => isManifestMediaType(c.mediaType)) : [];
  next.push(...await target.referrers(described));
  return {
    entry: {
      digest: descriptor.digest,
      tags: [],
      mediaType: described.mediaType,
      ...described.artifactType ? { artifactType: described.artifactType } : {},
      ...manifest.subject ? { subject: manifest.subject.digest } : {},
      size: bytes.length,
      ...typeof created === "string" ? { created } : {}
    },
    next
  };
}
async function resolveIfTagged(target, tag) {
  try {
    return await target.resolve(tag);
  } catch (err) {
    if (isOcigraphError(err, "NOT_FOUND")) return void 0;
    throw err;
  }
}
function byCreatedThenDigest(a, b) {
  const ca = a.created ?? "";
  const cb = b.created ?? "";
  if (ca !== cb) return ca < cb ? -1 : 1;
  return a.digest < b.digest ? -1 : a.digest > b.digest ? 1 : 0;
}

export {
  listManifests,
  resolveIfTagged
};
