// The tag-schema fallback index's update protocol: read, merge, write, and confirm for a settle
// window, safely against other processes doing the same (README "Concurrent attaches").
import { setTimeout as sleep } from "node:timers/promises";
import type { Descriptor, ImageIndex } from "../oci/manifest.js";
import { encodeManifest } from "../oci/manifest.js";
import { digestOf } from "../oci/digest.js";
import { OcigraphError, isOcigraphError } from "../oci/errors.js";
import { MANIFEST_ACCEPT, MediaType } from "../oci/media-types.js";
import {
  addReferrers,
  emptyReferrersIndex,
  fallbackTag,
  hasReferrer,
  removeReferrers,
} from "../oci/referrers-index.js";
import { type RepositoryContext, pullScope, unexpected, v2Path } from "./context.js";
import { isPassingFailure } from "./errors.js";
import { isRacyRefusal, putManifest } from "./manifests.js";
import { deleteIndexManifest, readFallbackIndex } from "./referrers.js";

/** Timing of the fallback update protocol; see README "Concurrent attaches". */
export interface FallbackTiming {
  /** A write is only sent while the read it merged is younger than this (ms). */
  staleReadMs: number;
  /** After the last write, the entry must be seen present (or absent) for this long (ms). */
  settleMs: number;
  /**
   * Once another writer has been seen changing the index: the window instead runs from the last
   * such change seen, and is at least this long (ms).
   */
  contendedSettleMs: number;
  /** Pause between confirmation reads (ms, randomised ±50%). */
  pollMs: number;
  /** Gives up after this long (ms). */
  timeoutMs: number;
}

/**
 * Why these numbers. A writer B can drop entry E only with a write based on a read made before E
 * landed (at T). B sends writes only from reads younger than `staleReadMs`, so its stale write is
 * sent before T + staleReadMs and lands one transit later. E's writer therefore confirms E until
 * `staleReadMs` plus a transit margin has passed: the margin is 250 ms, or twice the slowest
 * round trip this writer has seen when that is longer (a loaded machine or registry slows every
 * writer alike). `staleReadMs` only has to exceed one read and a merge, which at 500 ms allows
 * reads over links of ~400 ms RTT; a writer whose reads take longer keeps re-reading (it never
 * writes stale) and fails after `timeoutMs` with a hint.
 *
 * "One transit later" has no hard bound: a process descheduled between its staleness check and
 * its write (20 Node processes and the registry sharing 2 CPUs in CI) sends late. (CI once lost 2
 * of 20 concurrent referrers; the likelier cause, the transport resending a refused index write up
 * to seconds later, is closed in runUpdate: such writes go once, and their age is checked right
 * before the bytes go out.) So a writer that sees another writer change the index (the only sign
 * of others, each of which may hold a stale read) waits until the index has been quiet for
 * `contendedSettleMs`: a stale write would have to land that long after the last change it saw.
 * A writer that sees no change (alone, the common case, or arriving after the others wrote)
 * pays only `settleMs`.
 */
export const DEFAULT_FALLBACK_TIMING: FallbackTiming = {
  staleReadMs: 500,
  settleMs: 750,
  contendedSettleMs: 2_000,
  pollMs: 200,
  timeoutMs: 120_000,
};

export interface FallbackUpdate {
  add?: Descriptor[];
  remove?: ReadonlySet<string>;
}

/**
 * Changes to one subject's index that may grow while they are being written, so that every
 * referrer a process pushes to one subject shares one read-merge-write loop and one settle
 * window (src/registry/fallback-writer.ts).
 */
export interface FallbackBatch {
  /** The changes wanted now: a new object whenever the batch grew. */
  current(): FallbackUpdate;
  /** Called each time a read shows every change of `current()` in place. */
  inPlace?(): void;
  /** Called in the same tick as the check that ends the update: nothing may join after it. */
  close?(): void;
}

/** Shared per-target knowledge: whether `If-Match` is honoured (undefined until probed). */
export interface FallbackState {
  ifMatchHonoured: boolean | undefined;
  /** The registry answered 405 to deleting an emptied index: empty indexes are written instead. */
  deletesRefused?: boolean;
}

function satisfied(index: ImageIndex | undefined, update: FallbackUpdate): boolean {
  const current = index ?? emptyReferrersIndex();
  const added = (update.add ?? []).every((d) => hasReferrer(current, d.digest));
  const removed = [...(update.remove ?? [])].every((digest) => !hasReferrer(current, digest));
  return added && removed;
}

/**
 * Updates the tag-schema index of `subject` so that it holds `add` and not `remove`, safely
 * against other processes doing the same at the same moment.
 *
 * Where the registry honours `If-Match` (probed once with a bogus ETag) each write is a
 * compare-and-swap and one read-back proves the result. Where it does not (distribution 2.8),
 * every ocigraph writer (1) only writes merges of reads younger than `staleReadMs`, and (2)
 * after its last write keeps reading until its change has been in place for `settleMs`,
 * re-merging whenever another writer's stale write removed it. Because no ocigraph writer acts
 * on a read older than `staleReadMs` < `settleMs`, a change that has held for `settleMs` is in
 * every index any ocigraph writer can still write. A writer that has seen another's change waits
 * for a quiet index instead (`contendedSettleMs`; see {@link DEFAULT_FALLBACK_TIMING}).
 *
 * `update` may be a {@link FallbackBatch} that grows while this runs: the window then restarts
 * from the first read showing the grown batch in place, so every change in it holds for
 * `settleMs` (one window for all, not one per change).
 *
 * `onInPlace` is called each time a read shows the change in place, the first time well before
 * the settle window ends: callers may go on with work that does not depend on it.
 */
export async function updateFallbackIndex(
  ctx: RepositoryContext,
  subject: string,
  update: FallbackUpdate | FallbackBatch,
  state: FallbackState,
  timing: FallbackTiming = DEFAULT_FALLBACK_TIMING,
  onInPlace?: () => void,
): Promise<void> {
  const batch: FallbackBatch =
    "current" in update ? update : { current: () => update, ...(onInPlace ? { inPlace: onInPlace } : {}) };
  try {
    await runUpdate(ctx, subject, batch, state, timing);
  } finally {
    batch.close?.(); // on failure too: a later change starts a new update
  }
}

async function runUpdate(
  ctx: RepositoryContext,
  subject: string,
  batch: FallbackBatch,
  state: FallbackState,
  timing: FallbackTiming,
): Promise<void> {
  const tag = fallbackTag(subject);
  const started = Date.now();
  let settledSince: number | undefined;
  let confirming: FallbackUpdate | undefined;
  let slowest = 0; // the longest round trip this update has seen (ms)
  let lastDigest: string | undefined | null = null; // the index as last read or written (null: not yet)
  const ours = new Set<string>(); // revisions sent since the last read (a refused one may land)
  let foreignChangeAt: number | undefined; // when a read last showed another writer's change
  // Entries whose manifests are gone (deleted by someone who did not update the index):
  // distribution refuses an index listing them, so they are pruned.
  const gone = new Set<string>();
  let failedWrites = 0; // consecutive writes refused for a passing reason
  let refusedAgainst: string | undefined; // the index a compare-and-swap just lost against
  let refusedUnchanged = 0; // consecutive 412s though the index had not changed
  // Thrown (and caught below) when a write would go out built on a read older than staleReadMs.
  const stale = new OcigraphError(
    "CONFLICT",
    `${ctx.name}:${tag}: index write not sent: its read is too old`,
  );
  for (;;) {
    if (Date.now() - started > timing.timeoutMs) throw unsettled(ctx, tag, timing, slowest);
    const readAt = Date.now();
    const current = await readFallbackIndex(ctx, subject);
    slowest = Math.max(slowest, Date.now() - readAt);
    if (lastDigest !== null && current?.digest !== lastDigest && !ours.has(current?.digest ?? ""))
      foreignChangeAt = readAt;
    lastDigest = current?.digest;
    ours.clear(); // an older revision of ours seen later was put back by someone else
    if (refusedAgainst !== undefined) {
      // 412s though nobody changed the index (more than once: another writer may have changed it
      // and a third changed it back): the registry's ETags are not what we send. Switching to
      // unconditional writes would endanger writers that trust If-Match, so this stops instead.
      refusedUnchanged = refusedAgainst === (current?.digest ?? "") ? refusedUnchanged + 1 : 0;
      if (refusedUnchanged >= MAX_REFUSED_UNCHANGED) throw conditionNeverMet(ctx, tag);
    }
    refusedAgainst = undefined;
    const update = batch.current();
    if (update !== confirming) {
      settledSince = undefined; // the batch grew: its new changes need a whole window too
      confirming = update;
    }
    if (satisfied(current?.index, update)) {
      batch.inPlace?.();
      if (state.ifMatchHonoured === true) return batch.close?.();
      settledSince ??= readAt;
      const left =
        foreignChangeAt === undefined
          ? settledSince + settleWindow(timing, slowest) - Date.now()
          : Math.max(settledSince, foreignChangeAt) + contendedWindow(timing, slowest) - Date.now();
      if (left <= 0) return batch.close?.();
      // Polls catch another writer's stale write early; the last one starts as the window ends,
      // not up to a poll later.
      await sleep(Math.min(timing.pollMs * (0.5 + Math.random()), left));
      continue;
    }
    settledSince = undefined;
    let next = addReferrers(current?.index ?? emptyReferrersIndex(), update.add ?? []);
    if (update.remove?.size) next = removeReferrers(next, update.remove);
    if (gone.size) next = removeReferrers(next, gone);
    const bytes = encodeManifest(next);
    const descriptor = { mediaType: MediaType.ImageIndex, digest: digestOf(bytes), size: bytes.length };
    const empty = next.manifests.length === 0;
    ours.add(descriptor.digest);
    if (empty) ours.add(""); // a refused DELETE may have been done
    const sentAt = Date.now();
    try {
      const write = { descriptor, bytes, empty };
      const outcome = await writeIndex(ctx, tag, current, write, state, () => {
        if (Date.now() - readAt > timing.staleReadMs) throw stale;
      });
      slowest = Math.max(slowest, Date.now() - sentAt);
      failedWrites = 0;
      if (outcome === "reread") continue;
      if (outcome === "conflict") {
        refusedAgainst = current?.digest ?? "";
        // Another writer won the compare-and-swap: re-read, after a pause that spreads the losers.
        await sleep(timing.pollMs * Math.random());
        continue;
      }
      lastDigest = outcome === "deleted" ? undefined : descriptor.digest;
    } catch (err) {
      if (err === stale) {
        await sleep(timing.pollMs * Math.random()); // not back to back against a slow registry
        continue;
      }
      // Never sent again as it is: after a backoff it would be a stale merge. Re-read instead.
      if (!isOcigraphError(err) || !(isPassingFailure(err) || isRacyRefusal(err))) throw err;
      if (++failedWrites > MAX_FAILED_WRITES) throw err;
      if (err.hasRegistryCode("MANIFEST_BLOB_UNKNOWN")) await findGone(ctx, next, update, gone);
      await sleep(Math.min(timing.pollMs * 2 ** failedWrites, 2_000) * (0.5 + Math.random()));
    }
  }
}

/**
 * Writes the new index, or deletes the index when the new one is empty and the registry allows
 * it. "conflict": a compare-and-swap lost to another writer; "reread": the registry refused the
 * delete. Nothing was written in either case.
 */
async function writeIndex(
  ctx: RepositoryContext,
  tag: string,
  current: { digest: string; etag: string | undefined } | undefined,
  { descriptor, bytes, empty }: { descriptor: Descriptor; bytes: Buffer; empty: boolean },
  state: FallbackState,
  beforeSend: () => void,
): Promise<"written" | "deleted" | "conflict" | "reread"> {
  if (current && empty && !state.deletesRefused) {
    if (await deleteIndexManifest(ctx, current.digest)) return "deleted";
    // Refused: an empty index says the same. Written from a fresh read: the DELETE took one round
    // trip of the read's age already.
    state.deletesRefused = true;
    return "reread";
  }
  if (state.ifMatchHonoured === undefined) {
    const probe = await putManifest(ctx, descriptor, bytes, tag, {
      headers: { "if-match": `"ocigraph-probe-${Date.now()}"` },
      once: true,
      beforeSend,
    });
    state.ifMatchHonoured = probe.status === 412;
    if (!state.ifMatchHonoured) return "written"; // the ignored condition let the probe write
  }
  const condition = current?.etag ?? (current ? `"${current.digest}"` : undefined);
  const headers: Record<string, string> = state.ifMatchHonoured
    ? condition
      ? { "if-match": condition }
      : { "if-none-match": "*" }
    : {};
  const put = await putManifest(ctx, descriptor, bytes, tag, { headers, once: true, beforeSend });
  return put.status === 412 ? "conflict" : "written";
}

/**
 * After the registry refused an index for listing a manifest it does not have: adds to `gone`
 * each listed entry whose manifest answers 404. This update's own additions are never pruned:
 * one of them missing means it was deleted while this run was indexing it, which is an error.
 */
async function findGone(
  ctx: RepositoryContext,
  next: ImageIndex,
  update: FallbackUpdate,
  gone: Set<string>,
): Promise<void> {
  const adding = new Set((update.add ?? []).map((d) => d.digest));
  for (const entry of next.manifests) {
    if (await manifestExists(ctx, entry.digest)) continue;
    if (adding.has(entry.digest)) {
      throw new OcigraphError(
        "NOT_FOUND",
        `${ctx.name}@${entry.digest}: the referrer being indexed is no longer in the registry`,
        { hint: "something deleted it while this run was indexing it; run again" },
      );
    }
    gone.add(entry.digest);
  }
}

const MAX_REFUSED_UNCHANGED = 3;

function conditionNeverMet(ctx: RepositoryContext, tag: string): OcigraphError {
  return new OcigraphError(
    "UNSUPPORTED",
    `${ctx.name}:${tag}: the registry refuses every conditional write (412) though the index has not changed`,
    { hint: "its ETags are not the manifest digest; report this registry to the ocigraph maintainers" },
  );
}

/** The timeout error: slow reads, or too many writers. */
function unsettled(
  ctx: RepositoryContext,
  tag: string,
  timing: FallbackTiming,
  slowest: number,
): OcigraphError {
  const slowReads = slowest > timing.staleReadMs;
  return new OcigraphError(
    "CONFLICT",
    `${ctx.name}:${tag}: could not settle the referrers index in time` +
      (slowReads
        ? ` (reads took up to ${slowest} ms, over the ${timing.staleReadMs} ms a write may build on)`
        : ""),
    {
      hint: slowReads
        ? "the registry or the link to it is too slow for the tag-schema fallback; run nearer to it or later"
        : "too many writers at once; run again",
    },
  );
}

/**
 * The settle window, never shorter than `settleMs`. Its margin over `staleReadMs` covers the time
 * a stale write takes to land after its writer checked the bound; when this writer's own round
 * trips are slow (an overloaded registry or machine: the concurrency test lost 1 referrer of 20
 * once with 2-4x slower rounds), other writers' are too, so the window grows to cover two of them.
 */
function settleWindow(timing: FallbackTiming, slowest: number): number {
  return Math.max(timing.settleMs, timing.staleReadMs + 2 * slowest);
}

/** The window once other writers are known to be active; see {@link DEFAULT_FALLBACK_TIMING}. */
function contendedWindow(timing: FallbackTiming, slowest: number): number {
  return Math.max(timing.contendedSettleMs, settleWindow(timing, slowest));
}

/**
 * Consecutive refused index writes tolerated. More than the transport's 4 retries of a request:
 * each attempt here re-reads first, so patience costs nothing in safety.
 */
const MAX_FAILED_WRITES = 6;

/**
 * Whether the manifest `digest` exists. Only a 404 says it is gone: an entry pruned on a passing
 * error (a 500 under load) would be another writer's referrer, lost for good.
 */
async function manifestExists(ctx: RepositoryContext, digest: string): Promise<boolean> {
  const res = await ctx.client.request({
    method: "HEAD",
    path: v2Path(ctx, `manifests/${digest}`),
    scopes: pullScope(ctx),
    // Without it distribution answers 404 for every OCI manifest: each would look gone.
    headers: { accept: MANIFEST_ACCEPT },
  });
  if (res.status === 200 || res.status === 404) {
    await res.body.dump().catch(() => undefined);
    return res.status === 200;
  }
  throw await unexpected(res, `${ctx.name}@${digest}: checking a referrers index entry`);
}
