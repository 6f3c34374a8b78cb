import { PassThrough, pipeline, type Readable, type TransformCallback } from "node:stream";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/**
 * Bytes streamed between two forced young-generation collections. Every socket or file read hands
 * JS a fresh 64 KiB buffer, and V8 frees dead ones only when it collects. A blob transfer makes few
 * JS objects per chunk, so V8 collects rarely (about every 30 MiB, or when 64 MiB of buffers are
 * outstanding): a 1 GiB registry-to-registry copy held 35 to 55 MiB of dead chunks. Collecting every
 * 4 MiB holds the pile to about 4 MiB (that copy's peak RSS: 103 -> 72 MiB) and costs no CPU overall:
 * about 0.1 s for 256 collections, won back because the chunks malloc hands out again are still in
 * the CPU cache (bench/ANALYSIS.md).
 */
export const RECLAIM_EVERY_BYTES = 4 * 1024 * 1024;

type Collect = (options: { type: "minor" | "major" }) => void;

let collect: Collect | null | undefined;
let sinceLast = 0;

/**
 * V8's `gc` function: the global one when node runs with `--expose-gc`, else fetched once from a
 * fresh context made while the flag is set; the flag is cleared again at once, so no other context
 * gains a `gc` global. Null where that fails.
 */
function collector(): Collect | null {
  if (collect !== undefined) return collect;
  const exposed: unknown = (globalThis as { gc?: unknown }).gc;
  if (typeof exposed === "function") return (collect = exposed as Collect);
  try {
    setFlagsFromString("--expose-gc");
    const gc: unknown = runInNewContext("gc");
    collect = typeof gc === "function" ? (gc as Collect) : null;
  } catch {
    collect = null;
  } finally {
    setFlagsFromString("--no-expose-gc");
  }
  return collect;
}

/**
 * Counts `bytes` just streamed (all transfers of the process together) and runs a young-generation
 * collection every {@link RECLAIM_EVERY_BYTES}. Small transfers never trigger one.
 */
export function noteStreamed(bytes: number): void {
  sinceLast += bytes;
  if (sinceLast < RECLAIM_EVERY_BYTES) return;
  sinceLast = 0;
  collector()?.({ type: "minor" });
}

/** A PassThrough that passes every chunk to {@link noteStreamed}. */
export class ReclaimingPassThrough extends PassThrough {
  override _transform(chunk: Buffer, _enc: BufferEncoding, callback: TransformCallback): void {
    noteStreamed(chunk.length);
    callback(null, chunk);
  }
}

/**
 * `source` through a {@link ReclaimingPassThrough}, for bytes read into the process (files, upload
 * bodies); errors and early closes travel both ways as with `pipeline`.
 */
export function reclaiming(source: Readable): Readable {
  return pipeline(source, new ReclaimingPassThrough(), () => undefined);
}
