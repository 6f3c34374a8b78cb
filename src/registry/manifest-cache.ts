import type { FetchedManifest } from "../oci/target.js";

/** Bytes of manifests kept at most; beyond it, manifests are fetched again when asked. */
export const MANIFEST_CACHE_BYTES = 64 * 1024 * 1024;

/**
 * Manifests fetched by digest during one command (they never change), so that checking a
 * referrer's subject and then copying it costs one GET, not two. Bounded by bytes, since a
 * hostile registry could serve thousands of 4 MiB manifests.
 */
export class ManifestCache {
  private readonly entries = new Map<string, Promise<FetchedManifest>>();
  private bytes = 0;

  constructor(private readonly maxBytes = MANIFEST_CACHE_BYTES) {}

  /** Remembers a manifest this command pushed (its bytes already verified against `digest`). */
  remember(digest: string, manifest: FetchedManifest): void {
    if (this.entries.has(digest)) return;
    void this.get(digest, () => Promise.resolve(manifest));
  }

  /** The cached manifest of `digest`, or `fetch()` (remembered while it fits). */
  get(digest: string, fetch: () => Promise<FetchedManifest>): Promise<FetchedManifest> {
    const hit = this.entries.get(digest);
    if (hit) return hit;
    const pending = fetch();
    this.entries.set(digest, pending);
    pending.then(
      (fetched) => {
        this.bytes += fetched.bytes.length;
        if (this.bytes > this.maxBytes) {
          this.entries.delete(digest);
          this.bytes -= fetched.bytes.length;
        }
      },
      () => this.entries.delete(digest),
    );
    return pending;
  }
}
