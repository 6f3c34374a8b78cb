/**
 * `ocigraph manifests` output: a table for people and JSON with stable keys for scripts. Every
 * key is always present (null when unknown), so `jq` filters never meet a missing field.
 */
import type { ManifestEntry, ManifestListing } from "../oci/graph-results.js";
import type { ManifestAttributes } from "../oci/target.js";

/** One manifest in `--format json`. */
export interface ManifestJson {
  digest: string;
  tags: string[];
  mediaType: string;
  artifactType: string | null;
  subject: string | null;
  size: number | null;
  created: string | null;
  lastUpdated: string | null;
  /** True when deletes (or overwrites) are refused; null where the registry has no lock API. */
  locked: boolean | null;
  /** ACR's `changeableAttributes` as the registry reported them; null where it has none. */
  changeableAttributes: ManifestAttributes | null;
}

export interface ManifestListingJson {
  repository: string;
  source: ManifestListing["source"];
  complete: boolean;
  note: string | null;
  manifests: ManifestJson[];
}

export function manifestsJson(listing: ManifestListing): ManifestListingJson {
  return {
    repository: listing.repository,
    source: listing.source,
    complete: listing.complete,
    note: listing.note ?? null,
    manifests: listing.manifests.map(entryJson),
  };
}

function entryJson(m: ManifestEntry): ManifestJson {
  return {
    digest: m.digest,
    tags: m.tags,
    mediaType: m.mediaType,
    artifactType: m.artifactType ?? null,
    subject: m.subject ?? null,
    size: m.size ?? null,
    created: m.created ?? null,
    lastUpdated: m.lastUpdated ?? null,
    locked: m.lock ? m.lock.writeEnabled === false || m.lock.deleteEnabled === false : null,
    changeableAttributes: m.lock ?? null,
  };
}

/** `locked` (no overwrite, no delete), `no-delete`, `unlocked`, or `n/a` without a lock API. */
export function lockText(lock: ManifestAttributes | undefined): string {
  if (!lock) return "n/a";
  const parts = [
    lock.writeEnabled === false ? "locked" : lock.deleteEnabled === false ? "no-delete" : "unlocked",
    ...(lock.readEnabled === false ? ["no-read"] : []),
    ...(lock.listEnabled === false ? ["no-list"] : []),
  ];
  return parts.join(",");
}

/** A column-aligned table, one manifest per row, with the listing's note last. */
export function renderManifestTable(listing: ManifestListing): string {
  const rows: string[][] = [
    ["DIGEST", "TAGS", "MEDIA TYPE", "ARTIFACT TYPE", "SUBJECT", "SIZE", "CREATED", "LAST UPDATED", "LOCK"],
  ];
  for (const m of listing.manifests) {
    rows.push([
      m.digest,
      m.tags.length ? m.tags.join(",") : "-",
      m.mediaType || "-",
      m.artifactType ?? "-",
      m.subject ? short(m.subject) : "-",
      m.size !== undefined ? String(m.size) : "-",
      m.created ?? "-",
      m.lastUpdated ?? "-",
      lockText(m.lock),
    ]);
  }
  const clean = rows.map((r) => r.map(printable));
  const widths = clean[0]!.map((_, c) => Math.max(...clean.map((r) => r[c]!.length)));
  const lines = clean.map((r) =>
    r
      .map((cell, c) => cell.padEnd(widths[c]!))
      .join("  ")
      .trimEnd(),
  );
  lines.push(`${listing.manifests.length} manifests`);
  if (listing.note) lines.push(`Note: ${printable(listing.note)}`);
  return lines.join("\n");
}

function short(digest: string): string {
  const colon = digest.indexOf(":");
  return digest.length > colon + 13 ? `${digest.slice(0, colon + 13)}…` : digest;
}

/** Registry strings on a terminal: no control characters, bounded length. */
function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  const one = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, "?");
  return one.length > 200 ? `${one.slice(0, 199)}…` : one;
}
