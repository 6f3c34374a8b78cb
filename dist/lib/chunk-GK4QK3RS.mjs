import { createRequire as __ocigraphRequire } from "node:module"; import { fileURLToPath as __ocigraphPath } from "node:url"; import { dirname as __ocigraphDir } from "node:path"; const require = __ocigraphRequire(import.meta.url); const __filename = __ocigraphPath(import.meta.url); const __dirname = __ocigraphDir(__filename);
import {
  parseDigest
} from "./chunk-GS7PIS4O.mjs";
import {
  MediaType
} from "./chunk-AEECXJOG.mjs";

// src/oci/referrers-index.ts
function fallbackTag(subject) {
  const { algorithm, encoded } = parseDigest(subject);
  return `${algorithm.slice(0, 32)}-${encoded.slice(0, 64)}`;
}
function emptyReferrersIndex() {
  return { schemaVersion: 2, mediaType: MediaType.ImageIndex, manifests: [] };
}
function addReferrers(index, added) {
  const byDigest = new Map(index.manifests.map((d) => [d.digest, d]));
  for (const d of added) byDigest.set(d.digest, d);
  return { ...index, manifests: [...byDigest.values()] };
}
function removeReferrers(index, removed) {
  return { ...index, manifests: index.manifests.filter((d) => !removed.has(d.digest)) };
}
function hasReferrer(index, digest) {
  return index.manifests.some((d) => d.digest === digest);
}
function filterByArtifactType(referrers, types) {
  if (!types || types.length === 0) return referrers;
  return referrers.filter((d) => d.artifactType !== void 0 && types.includes(d.artifactType));
}

export {
  fallbackTag,
  emptyReferrersIndex,
  addReferrers,
  removeReferrers,
  hasReferrer,
  filterByArtifactType
};
