import { parseDigest, type Digest } from "./digest.js";
import type { Descriptor, ImageIndex } from "./manifest.js";
import { MediaType } from "./media-types.js";

/**
 * The referrers tag schema: `<alg>-<ref>` naming an image index of referrers.
 * https://github.com/opencontainers/distribution-spec/blob/v1.1.1/spec.md#referrers-tag-schema
 */
export function fallbackTag(subject: Digest): string {
  const { algorithm, encoded } = parseDigest(subject);
  return `${algorithm.slice(0, 32)}-${encoded.slice(0, 64)}`;
}

export function emptyReferrersIndex(): ImageIndex {
  return { schemaVersion: 2, mediaType: MediaType.ImageIndex, manifests: [] };
}

/** Adds (or replaces, by digest) entries, keeping the order of what was there. */
export function addReferrers(index: ImageIndex, added: readonly Descriptor[]): ImageIndex {
  const byDigest = new Map(index.manifests.map((d) => [d.digest, d]));
  for (const d of added) byDigest.set(d.digest, d);
  return { ...index, manifests: [...byDigest.values()] };
}

export function removeReferrers(index: ImageIndex, removed: ReadonlySet<Digest>): ImageIndex {
  return { ...index, manifests: index.manifests.filter((d) => !removed.has(d.digest)) };
}

export function hasReferrer(index: ImageIndex, digest: Digest): boolean {
  return index.manifests.some((d) => d.digest === digest);
}

/** Keeps referrers whose artifactType is one of `types` (all when empty). */
export function filterByArtifactType(
  referrers: Descriptor[],
  types: readonly string[] | undefined,
): Descriptor[] {
  if (!types || types.length === 0) return referrers;
  return referrers.filter((d) => d.artifactType !== undefined && types.includes(d.artifactType));
}
