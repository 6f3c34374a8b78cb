import { Transform, type Readable, type TransformCallback } from "node:stream";
import type { Descriptor } from "../oci/manifest.js";

/** How a transfer ended: sent, or not needed. */
export type TransferOutcome = "done" | "exists" | "mounted";

/**
 * Receives progress of blob transfers, for bars on a terminal or plain lines in CI logs.
 * All methods are optional; graph code calls them, front ends decide how to show them.
 */
export interface TransferProgress {
  begin?(descriptor: Descriptor, label: string): void;
  advance?(descriptor: Descriptor, bytes: number): void;
  end?(descriptor: Descriptor, outcome: TransferOutcome): void;
}

class Counter extends Transform {
  constructor(private readonly onBytes: (n: number) => void) {
    super();
  }
  override _transform(chunk: Buffer, _e: BufferEncoding, cb: TransformCallback): void {
    this.onBytes(chunk.length);
    cb(null, chunk);
  }
}

/** `stream`, reporting the bytes that pass to `progress`; errors travel through. */
export function counted(
  stream: Readable,
  descriptor: Descriptor,
  progress: TransferProgress | undefined,
): Readable {
  if (!progress?.advance) return stream;
  const counter = new Counter((n) => progress.advance?.(descriptor, n));
  stream.on("error", (err) => counter.destroy(err));
  return stream.pipe(counter);
}

/** The name to show for a blob: its title, else its media type. */
export function labelOf(descriptor: Descriptor): string {
  return descriptor.annotations?.["org.opencontainers.image.title"] ?? descriptor.mediaType;
}
