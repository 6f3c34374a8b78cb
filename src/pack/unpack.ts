import { createHash, type Hash } from "node:crypto";
import { once } from "node:events";
import type { Stats } from "node:fs";
import {
  cp,
  lstat,
  mkdir,
  mkdtemp,
  open,
  readdir,
  realpath,
  rename,
  rm,
  stat,
  symlink,
  utimes,
} from "node:fs/promises";
import * as path from "node:path";
import { Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import * as tar from "tar-stream";
import { parseDigest } from "../oci/digest.js";
import { OcigraphError, isOcigraphError, toOcigraphError } from "../oci/errors.js";
import { EarlyErrors, writeAll } from "./streams.js";
import { checkSymlinkTarget, isPathInside, quoteName, resolveInside } from "./paths.js";
import { removeEmptyDirs } from "./write-file.js";
import { trackTemp } from "../util/temp-paths.js";

export interface UnpackOptions {
  /** `io.deis.oras.content.digest`: the digest of the whole uncompressed tar. */
  expectedUncompressedDigest?: string;
  /** ORAS's `--allow-path-traversal`: entry names may be absolute or climb out of destDir. */
  allowTraversal?: boolean;
  /** Cap on uncompressed bytes (decompression-bomb guard). Default 8 GiB. */
  maxBytes?: number;
  /** Refuse (ALREADY_EXISTS) instead of replacing files that already exist. */
  keepOldFiles?: boolean;
  /**
   * The layer title. When given, every entry must be this name or below it, as ORAS's
   * extractor requires (`ensureBasePath(dir, prefix, name)`), and symlinks must stay below it.
   */
  prefix?: string;
  /**
   * A total shared with other layers of one pull: `take(n)` is called for every uncompressed
   * chunk before it is written and throws TOO_LARGE once the total is passed.
   */
  total?: { take(bytes: number): void };
}

export const DEFAULT_MAX_UNPACK_BYTES = 8 * 1024 * 1024 * 1024;
const STAGING_PREFIX = ".ocigraph-unpack-";
const CASE_INSENSITIVE = process.platform === "darwin" || process.platform === "win32";

/** Hashes and counts the uncompressed tar, failing once it passes the cap. */
class TarTap extends Transform {
  bytes = 0;
  constructor(
    private readonly hash: Hash,
    private readonly maxBytes: number,
    private readonly total?: { take(bytes: number): void },
  ) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    try {
      this.total?.take(chunk.length);
    } catch (err) {
      callback(err as Error);
      return;
    }
    if (this.bytes > this.maxBytes) {
      callback(
        new OcigraphError("TOO_LARGE", `the archive unpacks to more than ${this.maxBytes} bytes`, {
          hint: "raise the unpack size limit if this layer is really that large",
        }),
      );
      return;
    }
    this.hash.update(chunk);
    callback(null, chunk);
  }
}

async function lstatOrNull(p: string): Promise<Stats | null> {
  try {
    return await lstat(p);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return null;
    throw err;
  }
}

interface SymlinkRecord {
  final: string;
  /** Absolute final path the link points at (lexically). */
  target: string;
}

/** Where things live while unpacking: every final path has a staged twin. */
class Staging {
  readonly inRoot: string;
  readonly outRoot: string;
  constructor(
    readonly dir: string,
    readonly base: string,
  ) {
    this.inRoot = path.join(dir, "in");
    this.outRoot = path.join(dir, "out");
  }

  /** The staged twin of a final path: under `in/` mirroring base, or `out/<root>/` (traversal). */
  stagedPath(final: string): string {
    if (isPathInside(this.base, final)) return path.join(this.inRoot, path.relative(this.base, final));
    const root = path.parse(final).root;
    return path.join(this.outRoot, Buffer.from(root, "utf8").toString("hex"), path.relative(root, final));
  }

  /** The staging root a staged path belongs to (`in` or `out/<root>`). */
  rootOf(staged: string): string {
    if (isPathInside(this.inRoot, staged)) return this.inRoot;
    const first = path.relative(this.outRoot, staged).split(path.sep)[0] ?? "";
    return path.join(this.outRoot, first);
  }
}

/**
 * Makes the staged parents of `staged` and refuses when one of them is a symlink (an earlier
 * entry trying to have a later one written through it).
 */
async function ensureStagedParents(staging: Staging, staged: string, entry: string): Promise<void> {
  const root = staging.rootOf(staged);
  const parts = path
    .relative(root, path.dirname(staged))
    .split(path.sep)
    .filter((p) => p !== "");
  let current = root;
  await mkdir(root, { recursive: true });
  for (const part of parts) {
    current = path.join(current, part);
    const info = await lstatOrNull(current);
    if (info === null) {
      await mkdir(current, { mode: 0o755 });
    } else if (info.isSymbolicLink()) {
      throw new OcigraphError(
        "UNSAFE_PATH",
        `refusing entry ${quoteName(entry)}: it would be written through a symlink`,
      );
    } else if (!info.isDirectory()) {
      throw new OcigraphError(
        "INVALID_CONTENT",
        `entry ${quoteName(entry)} lies below a file of the same archive`,
      );
    }
  }
}

/** Maps an entry name to its final path, applying ORAS's prefix rule when a prefix is set. */
function finalPathOf(base: string, scope: string, name: string, opts: UnpackOptions): string {
  if (opts.prefix === undefined) return resolveInside(base, name, opts.allowTraversal === true);
  if (name.length === 0 || name.includes("\0")) return resolveInside(scope, name, false); // throws
  const cleaned = path.posix.normalize(name).replace(/\/+$/, "");
  const prefix = path.posix.normalize(opts.prefix).replace(/\/+$/, "");
  if (cleaned === prefix) return scope;
  if (!cleaned.startsWith(`${prefix}/`)) {
    throw new OcigraphError(
      "UNSAFE_PATH",
      `refusing entry ${quoteName(name)}: it is not below ${quoteName(prefix)}`,
    );
  }
  return resolveInside(scope, cleaned.slice(prefix.length + 1), false);
}

/**
 * Checks one component of a path the unpacked tree will hold: staged twin first (it replaces
 * or merges with what is there), then what already exists. Returns false when neither exists.
 */
async function componentIsSafe(staging: Staging, final: string): Promise<boolean> {
  const staged = await lstatOrNull(staging.stagedPath(final));
  if (staged !== null) return true; // staged symlinks are checked themselves; dirs and files are ours
  const existing = await lstatOrNull(final);
  if (existing === null) return false;
  if (existing.isSymbolicLink()) {
    throw new OcigraphError("UNSAFE_PATH", `refusing to use the existing symlink ${final}`, {
      hint: "remove it or unpack into an empty directory",
    });
  }
  return true;
}

/**
 * A symlink's target, resolved lexically, is inside the scope (checked per entry). Here the
 * components between the scope and the target are checked on disk: none may be a symlink
 * that was there before (the archive's own symlinks are held to the same rules).
 */
async function checkSymlinkRoutes(staging: Staging, scope: string, links: SymlinkRecord[]): Promise<void> {
  for (const link of links) {
    const parts = path
      .relative(scope, link.target)
      .split(path.sep)
      .filter((p) => p !== "");
    let current = scope;
    for (const part of parts) {
      current = path.join(current, part);
      if (!(await componentIsSafe(staging, current))) break;
    }
  }
}

type Mode = "check" | "move";

/**
 * Walks a staged tree against the real one. In "check" mode refuses conflicts (nothing is
 * touched); in "move" mode renames staged files and new directories into place, merging into
 * directories that already exist.
 */
async function place(
  stagedDir: string,
  realDir: string,
  mode: Mode,
  strict: boolean,
  keepOldFiles: boolean,
): Promise<void> {
  for (const name of await readdir(stagedDir)) {
    const s = path.join(stagedDir, name);
    const r = path.join(realDir, name);
    const sInfo = await lstat(s);
    let rInfo = await lstatOrNull(r);
    if (rInfo?.isSymbolicLink() && sInfo.isDirectory()) {
      if (strict) {
        throw new OcigraphError("UNSAFE_PATH", `refusing to unpack through the existing symlink ${r}`, {
          hint: "remove the symlink or unpack into an empty directory",
        });
      }
      rInfo = await stat(r).catch(() => null); // outside destDir with traversal allowed: follow
    }
    if (sInfo.isDirectory()) {
      if (rInfo === null) {
        if (mode === "move") await moveInto(s, r);
      } else if (rInfo.isDirectory()) {
        await place(s, r, mode, strict, keepOldFiles);
      } else {
        throw new OcigraphError("ALREADY_EXISTS", `cannot unpack directory ${r}: a file is in the way`);
      }
      continue;
    }
    if (rInfo !== null) {
      if (rInfo.isDirectory()) {
        throw new OcigraphError("ALREADY_EXISTS", `cannot unpack ${r}: a directory is in the way`);
      }
      if (keepOldFiles) {
        throw new OcigraphError("ALREADY_EXISTS", `${r} already exists`, {
          hint: "remove it, or allow overwriting existing files",
        });
      }
    }
    if (mode === "move") await moveInto(s, r);
  }
}

async function moveInto(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EXDEV") throw err;
    await cp(from, to, { recursive: true, force: true, verbatimSymlinks: true, preserveTimestamps: true });
    await rm(from, { recursive: true, force: true });
  }
}

/**
 * Unpacks a gzip-compressed tar (an ORAS directory layer) into `destDir`, safely:
 *
 * - every entry name goes through `resolveInside` (no absolute names or `..` escapes unless
 *   `allowTraversal`); with `prefix`, every entry must lie below it (ORAS's rule);
 * - hard links, devices and FIFOs are refused; symlinks only when their target stays inside
 *   (see `checkSymlinkTarget`) and no existing symlink lies on the way; nothing is ever written
 *   through a symlink, whether the archive made it or it was already on disk;
 * - duplicate entry names are refused (compared case-insensitively on macOS and Windows);
 * - at most `maxBytes` uncompressed bytes (default 8 GiB), else TOO_LARGE;
 * - the uncompressed digest is verified when given (DIGEST_MISMATCH), as is the compressed
 *   digest if `source` is a verifying stream.
 *
 * Atomicity: the archive is unpacked into a hidden staging directory inside `destDir` (same
 * file system as the targets, even when `destDir` is a mount point or its parent is
 * read-only), checked, then moved into place; a failure before the move leaves `destDir` as
 * it was. With `keepOldFiles`, an existing file at a target is ALREADY_EXISTS before anything
 * is written. Files get the entry's permission bits (no setuid/setgid/sticky) and mtime.
 *
 * Returns the final paths written, in archive order.
 */
export async function unpackTarGzip(
  source: NodeJS.ReadableStream,
  destDir: string,
  opts: UnpackOptions = {},
): Promise<string[]> {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_UNPACK_BYTES;
  const expected =
    opts.expectedUncompressedDigest === undefined ? undefined : parseDigest(opts.expectedUncompressedDigest);
  const keepOldFiles = opts.keepOldFiles === true;

  const requested = path.resolve(destDir);
  const early = new EarlyErrors(source);
  let created: string | undefined;
  let staging: Staging | undefined;
  let untrack = (): void => undefined;
  let moved = false;
  try {
    try {
      created = await mkdir(requested, { recursive: true });
    } catch (err) {
      throw new OcigraphError("INVALID_INPUT", `cannot create the output directory ${requested}`, {
        cause: err,
      });
    }
    const base = await realpath(requested);
    const scope =
      opts.prefix === undefined ? base : resolveInside(base, opts.prefix, opts.allowTraversal === true);
    staging = new Staging(await mkdtemp(path.join(base, STAGING_PREFIX)), base);
    untrack = trackTemp(staging.dir);
    const stage = staging;

    const hash = createHash(expected?.algorithm ?? "sha256");
    const tap = new TarTap(hash, maxBytes, opts.total);
    const extract = tar.extract();
    const abort = new AbortController();
    const seen = new Set<string>();
    const links: SymlinkRecord[] = [];
    const written: string[] = [];

    const feeding = pipeline(
      source,
      createGunzip(),
      tap,
      async function (chunks: AsyncIterable<Buffer>) {
        try {
          for await (const chunk of chunks) {
            if (!extract.write(chunk)) await once(extract, "drain", { signal: abort.signal });
          }
          extract.end(undefined);
        } catch (err) {
          extract.destroy(err instanceof Error ? err : new Error(String(err)));
          throw err;
        }
      },
      { signal: abort.signal },
    );

    const consuming = (async () => {
      for await (const entry of extract) {
        await unpackEntry(entry, stage, base, scope, opts, keepOldFiles, seen, links, written);
      }
    })();

    const [fed, consumed] = await Promise.allSettled([
      feeding,
      consuming.catch((err: unknown) => {
        abort.abort();
        throw err;
      }),
    ]);
    // The root cause: a digest or size error from the source or the cap beats the extract
    // error it provoked; an entry refusal beats the abort it provoked.
    const first = early.release();
    if (isOcigraphError(first)) throw first;
    if (fed.status === "rejected" && isOcigraphError(fed.reason)) throw fed.reason;
    if (consumed.status === "rejected") throw consumed.reason;
    if (fed.status === "rejected") throw fed.reason;

    if (expected !== undefined) {
      const actual = hash.digest("hex");
      if (actual !== expected.encoded) {
        throw new OcigraphError(
          "DIGEST_MISMATCH",
          `the unpacked archive does not match ${opts.expectedUncompressedDigest} (got ${expected.algorithm}:${actual})`,
          { hint: "the layer's io.deis.oras.content.digest annotation does not describe its content" },
        );
      }
    }

    await checkSymlinkRoutes(stage, scope, links);
    const roots = await stagedRoots(stage);
    for (const [stagedRoot, realRoot, strict] of roots) {
      await place(stagedRoot, realRoot, "check", strict, keepOldFiles);
    }
    moved = true;
    for (const [stagedRoot, realRoot, strict] of roots) {
      await place(stagedRoot, realRoot, "move", strict, keepOldFiles);
    }
    return written;
  } catch (err) {
    early.release();
    early.abandon();
    if (isOcigraphError(err)) throw err;
    const e = toOcigraphError(err);
    if (e.code === "INTERNAL" || e.code === "NOT_FOUND") {
      throw new OcigraphError(
        moved ? "INTERNAL" : "INVALID_CONTENT",
        `cannot unpack into ${requested}: ${e.message}`,
        {
          cause: err,
        },
      );
    }
    throw e;
  } finally {
    if (staging !== undefined) await rm(staging.dir, { recursive: true, force: true });
    untrack();
    if (created !== undefined && !moved) await removeEmptyDirs(requested, created);
  }
}

async function stagedRoots(staging: Staging): Promise<Array<[string, string, boolean]>> {
  const roots: Array<[string, string, boolean]> = [];
  if ((await lstatOrNull(staging.inRoot)) !== null) roots.push([staging.inRoot, staging.base, true]);
  if ((await lstatOrNull(staging.outRoot)) !== null) {
    for (const key of await readdir(staging.outRoot)) {
      roots.push([path.join(staging.outRoot, key), Buffer.from(key, "hex").toString("utf8"), false]);
    }
  }
  return roots;
}

/** One archive entry as tar-stream yields it: header plus a readable body. */
type TarEntry = { header: tar.Header } & AsyncIterable<unknown>;

async function drain(entry: TarEntry): Promise<void> {
  for await (const chunk of entry) void chunk;
}

async function unpackEntry(
  entry: TarEntry,
  staging: Staging,
  base: string,
  scope: string,
  opts: UnpackOptions,
  keepOldFiles: boolean,
  seen: Set<string>,
  links: SymlinkRecord[],
  written: string[],
): Promise<void> {
  const header = entry.header;
  const name = header.name;
  const shown = quoteName(name);
  const type = header.type ?? "file";

  switch (type) {
    case "file":
    case "contiguous-file":
    case "directory":
    case "symlink":
      break;
    case "link":
      throw new OcigraphError(
        "UNSAFE_PATH",
        `refusing hard link ${shown} -> ${quoteName(header.linkname ?? "")}`,
        {
          hint: "hard links are not unpacked; store a copy of the file instead",
        },
      );
    case "character-device":
    case "block-device":
    case "fifo":
      throw new OcigraphError("UNSAFE_PATH", `refusing ${type} entry ${shown}`);
    default:
      throw new OcigraphError("INVALID_CONTENT", `unsupported tar entry type ${type} for ${shown}`);
  }

  const final = finalPathOf(base, scope, name, opts);
  if (isPathInside(staging.dir, final)) {
    throw new OcigraphError("UNSAFE_PATH", `refusing entry ${shown}: it names ocigraph's staging directory`);
  }
  const key = CASE_INSENSITIVE ? final.toLowerCase() : final;
  if (seen.has(key)) throw new OcigraphError("INVALID_CONTENT", `duplicate entry ${shown} in the archive`);
  seen.add(key);

  if (type === "directory") {
    await drain(entry);
    if (final === base) return;
    const staged = staging.stagedPath(final);
    await ensureStagedParents(staging, staged, name);
    const info = await lstatOrNull(staged);
    if (info === null) await mkdir(staged, { mode: ((header.mode ?? 0o755) & 0o777) | 0o700 });
    else if (!info.isDirectory())
      throw new OcigraphError("INVALID_CONTENT", `entry ${shown} is both a file and a directory`);
    written.push(final);
    return;
  }

  if (final === base || final === scope) {
    throw new OcigraphError("UNSAFE_PATH", `refusing entry ${shown}: it would replace the output directory`);
  }
  if (keepOldFiles && (await lstatOrNull(final)) !== null) {
    throw new OcigraphError("ALREADY_EXISTS", `${final} already exists (entry ${shown})`, {
      hint: "remove it, or allow overwriting existing files",
    });
  }
  const staged = staging.stagedPath(final);
  await ensureStagedParents(staging, staged, name);

  if (type === "symlink") {
    await drain(entry);
    if (!isPathInside(scope, final)) {
      throw new OcigraphError("UNSAFE_PATH", `refusing symlink ${shown}: it lies outside ${scope}`);
    }
    const linkname = header.linkname ?? "";
    const rel = path.relative(scope, final).split(path.sep).join("/");
    const target = checkSymlinkTarget(rel, linkname);
    links.push({ final, target: path.join(scope, ...target.split("/")) });
    await symlink(linkname, staged);
    written.push(final);
    return;
  }

  const handle = await open(staged, "wx", (header.mode ?? 0o644) & 0o777);
  try {
    for await (const chunk of entry as AsyncIterable<Buffer>) await writeAll(handle, chunk);
  } finally {
    await handle.close();
  }
  const mtime = header.mtime;
  if (mtime instanceof Date && !Number.isNaN(mtime.getTime())) await utimes(staged, mtime, mtime);
  written.push(final);
}
