/**
 * Reading the small files a user names (`--ca-file`, `--annotation-file`, `--registry-config`,
 * token and certificate files): only regular files of at most 1 MiB. `/dev/zero` would grow
 * without end and a FIFO would hang the run; both are refused before a byte is read. The file is
 * opened non-blocking (a FIFO's open returns at once) and checked on the open descriptor.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { open } from "node:fs/promises";
import { OcigraphError } from "../oci/errors.js";

/** Largest file read this way. */
export const MAX_SMALL_FILE_BYTES = 1024 * 1024;

const FLAGS = constants.O_RDONLY | constants.O_NONBLOCK;

function refuse(path: string, what: string, why: string): OcigraphError {
  return new OcigraphError("INVALID_INPUT", `${what} ${path} ${why}`, {
    hint: "give a regular file of at most 1 MiB",
  });
}

function check(stats: { isFile(): boolean; size: number }, path: string, what: string): void {
  if (!stats.isFile()) throw refuse(path, what, "is not a regular file");
  if (stats.size > MAX_SMALL_FILE_BYTES)
    throw refuse(path, what, `is larger than 1 MiB (${stats.size} bytes)`);
}

/** Reads `path` as UTF-8 text. ENOENT and EACCES come through as they are (the caller words them). */
export async function readSmallFile(path: string, what: string): Promise<string> {
  const handle = await open(path, FLAGS);
  try {
    check(await handle.stat(), path, what);
    const buffer = Buffer.alloc(MAX_SMALL_FILE_BYTES + 1);
    let size = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, size, buffer.length - size, null);
      if (bytesRead === 0) break;
      size += bytesRead;
      if (size > MAX_SMALL_FILE_BYTES) throw refuse(path, what, "is larger than 1 MiB");
    }
    return buffer.subarray(0, size).toString("utf8");
  } finally {
    await handle.close();
  }
}

/** {@link readSmallFile}, synchronously (for option parsing that cannot wait). */
export function readSmallFileSync(path: string, what: string): string {
  const fd = openSync(path, FLAGS);
  try {
    check(fstatSync(fd), path, what);
    const buffer = Buffer.alloc(MAX_SMALL_FILE_BYTES + 1);
    let size = 0;
    for (;;) {
      const bytesRead = readSync(fd, buffer, size, buffer.length - size, null);
      if (bytesRead === 0) break;
      size += bytesRead;
      if (size > MAX_SMALL_FILE_BYTES) throw refuse(path, what, "is larger than 1 MiB");
    }
    return buffer.subarray(0, size).toString("utf8");
  } finally {
    closeSync(fd);
  }
}
