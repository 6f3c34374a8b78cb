import type { Descriptor } from "../oci/manifest.js";
import type { RepositoryContext } from "./context.js";
import {
  type FallbackBatch,
  type FallbackState,
  type FallbackTiming,
  type FallbackUpdate,
  updateFallbackIndex,
} from "./fallback-update.js";

/** Observes fallback updates (tests, traces): one call per update of one subject's index. */
export type FallbackObserver = (event: {
  subject: string;
  /** Changes written in this update (several pushes batched into one). */
  changes: number;
  started: number;
  ended: number;
}) => void;

/** What a caller of {@link FallbackWriter.add} waits on. */
export interface PendingChange {
  /** Resolves when a read first shows the change in the index. */
  inPlace: Promise<void>;
  /** Resolves when the change has held for the whole settle window (the update is safe). */
  settled: Promise<void>;
}

interface Batch {
  subject: string;
  adds: Map<string, Descriptor>;
  removes: Set<string>;
  update: FallbackUpdate;
  waiting: (() => void)[];
  settled: Promise<void>;
}

/**
 * The write side of the tag-schema fallback for one repository: every change a process makes
 * to one subject's index while an update of it is running joins that update, so N referrers
 * pushed to one subject cost one read-merge-write loop and one settle window, not N racing each
 * other. Updates of different subjects run side by side (their windows overlap).
 *
 * Until its update settles, a change is also known here ({@link overlay}): a listing this
 * process makes meanwhile shows its own referrers even if another writer's stale write has
 * just removed them from the index (the update puts them back).
 */
export class FallbackWriter {
  private readonly open = new Map<string, Batch>();
  private readonly unsettled = new Set<Batch>();

  constructor(
    private readonly ctx: RepositoryContext,
    private readonly state: FallbackState,
    private readonly timing: FallbackTiming,
    private readonly observe?: FallbackObserver,
  ) {}

  /** Adds `entry` to the index of `subject`. */
  add(subject: string, entry: Descriptor): PendingChange {
    return this.change(subject, (b) => {
      b.removes.delete(entry.digest);
      b.adds.set(entry.digest, entry);
    });
  }

  /** Removes `digest` from the index of `subject`; resolves once that has settled. */
  remove(subject: string, digest: string): Promise<void> {
    return this.change(subject, (b) => {
      b.adds.delete(digest);
      b.removes.add(digest);
    }).settled;
  }

  /** `listed` (an index's entries for `subject`) with this process's unsettled changes applied. */
  overlay(subject: string, listed: readonly Descriptor[]): Descriptor[] {
    let result = [...listed];
    for (const batch of this.unsettled) {
      if (batch.subject !== subject) continue;
      result = result.filter((d) => !batch.removes.has(d.digest));
      const have = new Set(result.map((d) => d.digest));
      for (const [digest, entry] of batch.adds) if (!have.has(digest)) result.push(entry);
    }
    return result;
  }

  private change(subject: string, apply: (batch: Batch) => void): PendingChange {
    let batch = this.open.get(subject);
    if (!batch) batch = this.start(subject);
    apply(batch);
    // A new object: the running update sees the batch grew and restarts its window.
    batch.update = { add: [...batch.adds.values()], remove: new Set(batch.removes) };
    const inPlace = new Promise<void>((resolve) => (batch as Batch).waiting.push(resolve));
    return { inPlace: Promise.race([inPlace, batch.settled]), settled: batch.settled };
  }

  private start(subject: string): Batch {
    const batch: Batch = {
      subject,
      adds: new Map(),
      removes: new Set(),
      update: {},
      waiting: [],
      settled: Promise.resolve(),
    };
    const source: FallbackBatch = {
      current: () => batch.update,
      inPlace: () => {
        for (const resolve of batch.waiting.splice(0)) resolve();
      },
      close: () => {
        if (this.open.get(subject) === batch) this.open.delete(subject);
      },
    };
    this.open.set(subject, batch);
    this.unsettled.add(batch);
    const started = Date.now();
    // Started on the next tick so that pushes made in the same tick join before the first read.
    batch.settled = Promise.resolve()
      .then(() => updateFallbackIndex(this.ctx, subject, source, this.state, this.timing))
      .finally(() => {
        this.unsettled.delete(batch);
        this.observe?.({
          subject,
          changes: batch.adds.size + batch.removes.size,
          started,
          ended: Date.now(),
        });
      });
    batch.settled.catch(() => undefined); // awaited by every caller; never an unhandled rejection
    return batch;
  }
}
