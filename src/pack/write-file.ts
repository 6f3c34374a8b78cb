import { randomBytes } from "node:crypto";
import { link, lstat, mkdir, open, rename, rm, rmdir, unlink } from "node:fs/promises";
import * as path from "node:path";
import { OcigraphError, isOcigraphError, toOcigraphError } from "../oci/errors.js";
import { EarlyErrors, writeAll } from "./streams.js";
import { trackTemp } from "../util/temp-paths.js";

export interface WriteFileOptions {
  /** Refuse (ALREADY_EXISTS) instead of replacing a file that already exists at `dest`. */
  keepOldFiles?: boolean;
}

async function exists(p: string): Promise<boolean> {
  try {
    await lstat(p);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw err;
  }
}

function alreadyExists(dest: string): OcigraphError {
  return new OcigraphError("ALREADY_EXISTS", `${dest} already exists`, {
    hint: "remove it, or allow overwriting existing files",
  });
}

/** Best effort: make the rename itself durable (not supported on Windows, ignored there). */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Directories cannot be opened or synced on some platforms; the data itself is synced.
  }
}

/**
 * Streams `source` to `dest` without ever leaving a partial file there: the bytes go to a
 * hidden temporary file in the same directory, are fsynced, and the file is renamed over
 * `dest` only once the source ended cleanly. On any error, including one the source raises
 * at its end (a `VerifyingStream` finding a digest mismatch), the temporary file is removed
 * and `dest` is untouched. Missing parent directories are created (and removed again on
 * failure). An existing symlink at `dest` is replaced, never written through.
 *
 * With `keepOldFiles`, an existing `dest` is ALREADY_EXISTS before anything is read, and the
 * final step is a hard link (which refuses to replace) where the file system supports it, so
 * a file appearing meanwhile is not clobbered either.
 */
export async function writeFileAtomically(
  dest: string,
  source: NodeJS.ReadableStream,
  opts: WriteFileOptions = {},
): Promise<void> {
  const target = path.resolve(dest);
  const dir = path.dirname(target);
  const early = new EarlyErrors(source);
  let created: string | undefined;
  try {
    if (opts.keepOldFiles && (await exists(target))) throw alreadyExists(target);
    created = await mkdir(dir, { recursive: true });
  } catch (err) {
    early.release();
    early.abandon();
    throw err;
  }
  const tmp = path.join(dir, `.${path.basename(target)}.${randomBytes(6).toString("hex")}.ocigraph-tmp`);
  let committed = false;
  const untrack = trackTemp(tmp);
  try {
    const handle = await open(tmp, "wx", 0o666);
    try {
      if (early.error !== undefined) throw early.error;
      for await (const chunk of source) {
        await writeAll(handle, typeof chunk === "string" ? Buffer.from(chunk) : chunk);
      }
      await handle.sync();
    } finally {
      await handle.close();
    }

    if (opts.keepOldFiles) {
      try {
        await link(tmp, target);
        committed = true;
        await unlink(tmp).catch(() => undefined);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === "EEXIST") throw alreadyExists(target);
        if (committed) throw err;
        // No hard links here (FAT, some network shares): check, then rename.
        if (await exists(target)) throw alreadyExists(target);
        await rename(tmp, target);
        committed = true;
      }
    } else {
      await rename(tmp, target);
      committed = true;
    }
    await syncDirectory(dir);
    early.release();
  } catch (caught) {
    const first = early.release();
    early.abandon();
    const err = first !== undefined && !isOcigraphError(caught) ? first : caught;
    if (!committed) {
      await rm(tmp, { force: true });
      if (created !== undefined) await removeEmptyDirs(dir, created);
    }
    if (isOcigraphError(err)) throw err;
    const e = toOcigraphError(err);
    throw new OcigraphError(e.code, `cannot write ${target}: ${e.message}`, { cause: err });
  } finally {
    untrack();
  }
}

/** Removes `dir` and its parents up to `created` (what mkdir -p made), if they are empty. */
export async function removeEmptyDirs(dir: string, created: string): Promise<void> {
  let current = dir;
  for (;;) {
    try {
      await rmdir(current);
    } catch {
      return;
    }
    if (current === created || path.dirname(current) === current) return;
    current = path.dirname(current);
  }
}
