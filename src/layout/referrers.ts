import { OcigraphError } from "../oci/errors.js";
import {
  type Descriptor,
  type ImageIndex,
  isIndex,
  manifestDescriptor,
  parseManifest,
} from "../oci/manifest.js";
import { isManifestMediaType, MediaType } from "../oci/media-types.js";
import { addReferrers, emptyReferrersIndex, fallbackTag, removeReferrers } from "../oci/referrers-index.js";

/**
 * How referrers are recorded in an OCI image layout, by the tools that write layouts:
 *
 * - oras lists each referrer manifest (it carries a `subject`) in `index.json`;
 * - regctl tags a referrers index `sha256-<subject hex>` in `index.json` (the distribution spec's
 *   tag schema), whose entries may be the only trace of a referrer, and may name subjects (the
 *   platform manifests of an index) that `index.json` does not list.
 *
 * A reader that walks every manifest reachable from `index.json` (index children included) and
 * keeps those whose own `subject` is the one asked about finds both, each once, and never trusts
 * a listing: a tag-schema entry whose manifest names another subject is not a referrer. ocigraph
 * writes both records, so oras and regctl (in its default mode) each find what it attached.
 */

export const REF_NAME = "org.opencontainers.image.ref.name";

/** Manifests read per scan of one layout at most: a layout is local, but may be hostile. */
export const MAX_LAYOUT_NODES = 100_000;

export interface LayoutGraph {
  /** Referrers by subject digest, in the order first reached, each once. */
  referrers: Map<string, Descriptor[]>;
}

/** Reads manifest bytes by digest; undefined when the blob is missing. */
export type ReadManifest = (digest: string) => Promise<Buffer | undefined>;

/**
 * Walks every manifest reachable from `index.json` once (a visited set, a node cap) and maps
 * each subject to the manifests that name it. Blobs that are missing or not manifests are skipped.
 */
export async function scanLayout(index: ImageIndex, read: ReadManifest, label: string): Promise<LayoutGraph> {
  const referrers = new Map<string, Descriptor[]>();
  const visited = new Set<string>();
  const queue: Descriptor[] = index.manifests.filter((d) => isManifestMediaType(d.mediaType));
  while (queue.length) {
    const entry = queue.shift() as Descriptor;
    if (visited.has(entry.digest)) continue;
    visited.add(entry.digest);
    if (visited.size > MAX_LAYOUT_NODES) {
      throw new OcigraphError(
        "TOO_LARGE",
        `${label}: more than ${MAX_LAYOUT_NODES} manifests reachable from index.json`,
      );
    }
    const bytes = await read(entry.digest);
    if (!bytes) continue;
    let manifest;
    try {
      manifest = parseManifest(bytes, entry.mediaType, `${label}@${entry.digest}`);
    } catch {
      continue; // not a manifest we can read: no referrer there
    }
    if (manifest.subject && manifest.subject.digest !== entry.digest) {
      const list = referrers.get(manifest.subject.digest) ?? [];
      list.push(manifestDescriptor(manifest, bytes, entry.digest));
      referrers.set(manifest.subject.digest, list);
    }
    if (isIndex(manifest)) {
      for (const child of manifest.manifests) if (isManifestMediaType(child.mediaType)) queue.push(child);
    }
  }
  return { referrers };
}

/** The `index.json` entry tagged `tag`, if any. */
export function taggedEntry(index: ImageIndex, tag: string): Descriptor | undefined {
  return index.manifests.find((d) => d.annotations?.[REF_NAME] === tag);
}

/**
 * The tag-schema index `sha256-<subject hex>` after adding or removing referrers: the new index
 * (undefined when it would be empty, or when the tag holds something that is not a referrers
 * index, such as the subject itself, which is left alone).
 */
export function nextFallbackIndex(
  subject: string,
  current: { descriptor: Descriptor; bytes: Buffer } | undefined,
  change: { add?: Descriptor; remove?: string },
  label: string,
): { tag: string; index: ImageIndex | undefined; untouched: boolean } {
  const tag = fallbackTag(subject);
  let base = emptyReferrersIndex();
  if (current) {
    let parsed;
    try {
      parsed = parseManifest(current.bytes, current.descriptor.mediaType, `${label}:${tag}`);
    } catch {
      return { tag, index: undefined, untouched: true };
    }
    if (current.descriptor.digest === subject || !isIndex(parsed) || parsed.subject) {
      return { tag, index: undefined, untouched: true };
    }
    base = { schemaVersion: 2, mediaType: MediaType.ImageIndex, manifests: parsed.manifests };
  }
  let next = base;
  if (change.add) next = addReferrers(next, [referrerEntry(change.add)]);
  if (change.remove) next = removeReferrers(next, new Set([change.remove]));
  return { tag, index: next.manifests.length ? next : undefined, untouched: false };
}

/** A referrers-index entry: the descriptor without layout tags. */
function referrerEntry(d: Descriptor): Descriptor {
  const { annotations, ...rest } = d;
  const kept = Object.fromEntries(Object.entries(annotations ?? {}).filter(([k]) => k !== REF_NAME));
  return Object.keys(kept).length ? { ...rest, annotations: kept } : rest;
}
