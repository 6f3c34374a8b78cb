/**
 * Referrer listings started one level ahead of a walk. While the entries of one listing are
 * checked (each manifest fetched to see that its own subject is right, src/registry/referrer-check.ts),
 * the listing of each entry's own referrers is already on the wire, so a walk pays one round trip
 * per level instead of two.
 *
 * A prefetched listing is an unverified claim like any other: it is used only when the walk asks
 * for the referrers of that entry, which it does only after the entry passed its check, and its
 * own entries are then checked as usual. Speculation never reaches past one level below what is
 * verified, so a forged entry costs at most one listing that nobody reads.
 */
import type { Descriptor } from "../oci/manifest.js";
import { limiter, type Limiter } from "../util/limit.js";

/** Listings in flight at once (the connection pool has 32 per origin; checks share it). */
export const PREFETCH_CONCURRENCY = 16;
/** Listings started per command at most; past it, walks list on demand as before. */
const MAX_STARTED = 10_000;
/** Descriptors held in listings nobody has read yet; past it, results are dropped. */
const MAX_HELD = 20_000;

/** Lists `digest`'s referrers as the registry claims them; undefined when it cannot say. */
export type RawLister = (
  digest: string,
  artifactTypes: readonly string[] | undefined,
  limit: number,
) => Promise<Descriptor[] | undefined>;

interface Entry {
  listing: Promise<Descriptor[] | undefined>;
  size: number;
}

export class ListingPrefetch {
  private entries = new Map<string, Entry>();
  private started = new Set<string>();
  private held = 0;
  private readonly limit: Limiter;

  constructor(
    private readonly list: RawLister,
    concurrency = PREFETCH_CONCURRENCY,
  ) {
    this.limit = limiter(concurrency, PREFETCH_CONCURRENCY);
  }

  /**
   * Starts listing the referrers of each of `digests` (each once per command). Failures are
   * never reported from here: whoever later asks lists again and sees the error itself.
   */
  start(digests: readonly string[], artifactTypes: readonly string[] | undefined, limit: number): void {
    const entries = this.entries;
    for (const digest of digests) {
      const key = keyOf(digest, artifactTypes);
      if (this.started.has(key) || this.started.size >= MAX_STARTED) continue;
      this.started.add(key);
      const entry: Entry = { listing: Promise.resolve(undefined), size: 0 };
      entry.listing = this.limit(() => this.list(digest, artifactTypes, limit)).then(
        (listed) => {
          // Dropped meanwhile (a write cleared the cache, or a reader took it).
          if (this.entries !== entries || entries.get(key) !== entry) return listed;
          if (listed && this.held + listed.length > MAX_HELD) {
            entries.delete(key);
            return undefined;
          }
          entry.size = listed?.length ?? 0;
          this.held += entry.size;
          return listed;
        },
        () => undefined,
      );
      entries.set(key, entry);
    }
  }

  /**
   * The prefetched listing of `digest`, once (a second ask lists again); undefined when none was
   * started, it failed, or it was dropped.
   */
  async take(
    digest: string,
    artifactTypes: readonly string[] | undefined,
  ): Promise<Descriptor[] | undefined> {
    const key = keyOf(digest, artifactTypes);
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    const entries = this.entries;
    const listed = await entry.listing;
    if (this.entries !== entries || entries.get(key) !== entry) return undefined;
    entries.delete(key);
    this.held -= entry.size;
    return listed;
  }

  /** Forgets every listing: a write through this target may have changed what they hold. */
  clear(): void {
    this.entries = new Map();
    this.started = new Set();
    this.held = 0;
  }
}

function keyOf(digest: string, artifactTypes: readonly string[] | undefined): string {
  return artifactTypes?.length ? `${digest} ${artifactTypes.join(",")}` : digest;
}
