import type { FileHandle } from "node:fs/promises";

/**
 * Holds on to an error the source emits before anyone consumes it (a stream piped into a
 * `VerifyingStream` can fail while we are still creating directories), so that it is neither
 * an unhandled 'error' event nor lost.
 */
export class EarlyErrors {
  error: unknown = undefined;
  private readonly listener = (err: unknown): void => {
    if (this.error === undefined) this.error = err;
  };

  constructor(private readonly source: NodeJS.ReadableStream) {
    source.on("error", this.listener);
  }

  /** Stops listening; returns the first error seen, if any. */
  release(): unknown {
    this.source.removeListener("error", this.listener);
    return this.error;
  }

  /** Destroys the source (when it can be) so that an unread HTTP body frees its connection. */
  abandon(): void {
    const s = this.source as NodeJS.ReadableStream & { destroy?: (err?: Error) => void; destroyed?: boolean };
    if (typeof s.destroy === "function" && s.destroyed !== true) s.destroy();
  }
}

/** Writes the whole chunk (a single write may take only part of it). */
export async function writeAll(handle: FileHandle, chunk: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < chunk.length) {
    const { bytesWritten } = await handle.write(chunk, offset, chunk.length - offset);
    if (bytesWritten <= 0) throw new Error("write made no progress");
    offset += bytesWritten;
  }
}
