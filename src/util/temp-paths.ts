import { rmSync } from "node:fs";

/**
 * Temporary files and folders the running command has made and not yet renamed or removed
 * (`*.ocigraph-tmp`, layout `*.tmp`, attach and unpack folders). An interrupt removes them all
 * before the process exits (./interrupt.ts), so nothing is left behind.
 */
const live = new Set<string>();

/** Records `path` as temporary; call the returned function once it is renamed or removed. */
export function trackTemp(path: string): () => void {
  live.add(path);
  return () => void live.delete(path);
}

/** Removes every temporary path still recorded (synchronously: the process is about to exit). */
export function removeTemps(): number {
  let removed = 0;
  for (const path of live) {
    try {
      rmSync(path, { recursive: true, force: true });
      removed++;
    } catch {
      // best effort: one path that cannot go must not keep the others
    }
  }
  live.clear();
  return removed;
}
