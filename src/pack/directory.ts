import { createHash, randomBytes, type Hash } from "node:crypto";
import { constants as fsConstants, createWriteStream } from "node:fs";
import { lstat, mkdir, open, readdir, readlink, rm, stat } from "node:fs/promises";
import * as path from "node:path";
import { Readable, Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip, constants as zlibConstants } from "node:zlib";
import * as tar from "tar-stream";
import { OcigraphError, isOcigraphError } from "../oci/errors.js";
import { checkSymlinkTarget, cleanLayerName, quoteName } from "./paths.js";

export interface PackedDirectory {
  /** The temporary `.tar.gz` file; the caller owns it (upload it, then delete it). */
  path: string;
  /** sha256 of the compressed bytes: the layer digest. */
  digest: string;
  /** Size of the compressed bytes: the layer size. */
  size: number;
  /** sha256 of the uncompressed tar: the `io.deis.oras.content.digest` annotation. */
  uncompressedDigest: string;
}

/** Every entry's mtime: the Unix epoch, so that packing is reproducible. */
const EPOCH = new Date(0);
/** gzip header byte 9 ("OS"): 255 = unknown, as Go's compress/gzip writes it, on every platform. */
const GZIP_OS_UNKNOWN = 0xff;
const GZIP_OS_OFFSET = 9;

/** Counts and hashes what flows through. */
class HashTap extends Transform {
  bytes = 0;
  constructor(private readonly hash: Hash) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    this.hash.update(chunk);
    callback(null, chunk);
  }
}

/**
 * Rewrites the gzip header's OS byte, which zlib sets from the platform it was built for
 * (3 on Unix, 10 or 11 on Windows): the same tree must give the same digest everywhere.
 * zlib already writes MTIME = 0 and no file name.
 */
class GzipHeaderNormaliser extends Transform {
  private offset = 0;
  override _transform(chunk: Buffer, _enc: BufferEncoding, callback: TransformCallback): void {
    const at = GZIP_OS_OFFSET - this.offset;
    if (at >= 0 && at < chunk.length) {
      const copy = Buffer.from(chunk);
      copy[at] = GZIP_OS_UNKNOWN;
      chunk = copy;
    }
    this.offset += chunk.length;
    callback(null, chunk);
  }
}

/** Byte-wise name order, as Go's `filepath.Walk` (which ORAS uses) sorts directory entries. */
function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

/** 0755 for anything executable by someone, else 0644: umask and owner quirks do not leak in. */
function fileMode(mode: number): number {
  return (mode & 0o111) !== 0 ? 0o755 : 0o644;
}

type EntryHeader = Partial<tar.Header> & Pick<tar.Header, "name">;

/** Writes one entry and resolves once tar-stream has taken all of it. */
async function addEntry(pack: tar.Pack, header: EntryHeader, file?: string): Promise<void> {
  // O_NOFOLLOW: a file swapped for a symlink after lstat is not followed out of the tree.
  const handle =
    file === undefined ? undefined : await open(file, fsConstants.O_RDONLY | (fsConstants.O_NOFOLLOW ?? 0));
  await new Promise<void>((resolve, reject) => {
    let source: Readable | undefined;
    const sink = pack.entry(header, (err) => {
      if (err) {
        if (source === undefined) void handle?.close();
        else source.destroy();
        reject(err);
      } else {
        resolve();
      }
    });
    if (handle !== undefined) {
      source = handle.createReadStream();
      source.on("error", (err) => sink.destroy(err));
      source.pipe(sink);
    }
  });
}

interface WalkContext {
  pack: tar.Pack;
  /** The cleaned layer name: every entry's prefix. */
  prefix: string;
}

/**
 * Depth-first, each directory's entries in byte order: the order `filepath.Walk` gives ORAS,
 * made independent of readdir's order.
 */
async function walk(ctx: WalkContext, absDir: string, relDir: string): Promise<void> {
  const names = (await readdir(absDir)).sort(byteOrder);
  for (const name of names) {
    const abs = path.join(absDir, name);
    const rel = relDir === "" ? name : `${relDir}/${name}`;
    const entryName = `${ctx.prefix}/${rel}`;
    const info = await lstat(abs);
    if (info.isDirectory()) {
      await addEntry(ctx.pack, { name: entryName, type: "directory", mode: 0o755, ...FIXED });
      await walk(ctx, abs, rel);
    } else if (info.isFile()) {
      // Hard links are stored as separate regular files, as ORAS does.
      await addEntry(
        ctx.pack,
        { name: entryName, type: "file", mode: fileMode(info.mode), size: info.size, ...FIXED },
        abs,
      );
    } else if (info.isSymbolicLink()) {
      const target = await readlink(abs);
      try {
        checkSymlinkTarget(rel, target);
      } catch (err) {
        const reason = isOcigraphError(err) ? err.message : String(err);
        throw new OcigraphError("INVALID_INPUT", `cannot pack symlink ${abs}: ${reason}`, {
          hint: "neither oras pull nor ocigraph would unpack a link leaving the directory; replace it with a copy or a relative link inside it",
          cause: err,
        });
      }
      await addEntry(ctx.pack, { name: entryName, type: "symlink", linkname: target, mode: 0o777, ...FIXED });
    } else {
      throw new OcigraphError(
        "INVALID_INPUT",
        `cannot pack ${abs}: sockets, FIFOs and device files are not supported`,
        {
          hint: "remove it from the directory (it could not be unpacked safely anyway)",
        },
      );
    }
  }
}

const FIXED = { mtime: EPOCH, uid: 0, gid: 0 } as const;

/**
 * Packs a directory into a temporary `.tar.gz` in `tmpDir`, laid out as ORAS lays out a
 * directory layer so that `oras pull` unpacks it, but reproducibly: the same tree gives the
 * same digests on every run (idempotent re-attach depends on it).
 *
 * Layout, as oras-go `content/file` `tarDirectory` writes it: every entry is named
 * `<name>/<relative path>` with `/` separators, the first entry is the directory itself
 * (`<name>`, no trailing slash), uid/gid 0 and no user/group names. Order is
 * `filepath.Walk`'s: depth first, each directory's entries in byte order.
 *
 * Made reproducible (ORAS keeps these unless told otherwise): mtime 0 on every entry, mode
 * 0755 for directories and for files with any exec bit, 0644 for other files, 0777 for
 * symlinks, gzip header MTIME 0 and OS byte 255. The gzip stream itself comes from the zlib
 * bundled with Node, so the compressed digest is stable for a given Node build; the
 * uncompressed digest depends only on the tree.
 *
 * Symlinks are stored as symlink entries with their target unchanged, as ORAS does, but only
 * when the target stays inside the directory (relative, no `..` after a normal segment):
 * neither ORAS nor ocigraph would unpack a link leading out, so packing one is refused
 * (INVALID_INPUT). Hard links become separate regular files (as ORAS). Sockets, FIFOs and
 * devices are refused. A symlink passed as `dir` itself is followed.
 *
 * `name` is the layer title and must already be clean (see `cleanLayerName`).
 */
export async function packDirectory(dir: string, tmpDir: string, name: string): Promise<PackedDirectory> {
  if (name.length === 0 || name.includes("\0")) {
    throw new OcigraphError("INVALID_INPUT", `layer name ${quoteName(name)} is empty or holds a NUL byte`);
  }
  const prefix = cleanLayerName(name);
  if (prefix !== name || prefix === "." || prefix === "/") {
    throw new OcigraphError("INVALID_INPUT", `layer name ${quoteName(name)} is not a clean path`, {
      hint: prefix === "." || prefix === "/" ? "name the directory layer" : `use ${quoteName(prefix)}`,
    });
  }
  let root;
  try {
    root = await stat(dir);
  } catch (err) {
    throw new OcigraphError("NOT_FOUND", `cannot read directory ${dir}`, { cause: err });
  }
  if (!root.isDirectory()) throw new OcigraphError("INVALID_INPUT", `${dir} is not a directory`);

  await mkdir(tmpDir, { recursive: true });
  const out = path.join(tmpDir, `ocigraph-dir-${randomBytes(8).toString("hex")}.tar.gz`);
  const tarHash = createHash("sha256");
  const gzHash = createHash("sha256");
  const tarTap = new HashTap(tarHash);
  const gzTap = new HashTap(gzHash);
  const pack = tar.pack();

  const feeding = (async () => {
    await addEntry(pack, { name: prefix, type: "directory", mode: 0o755, ...FIXED });
    await walk({ pack, prefix }, dir, "");
    pack.finalize();
  })();
  feeding.catch((err: unknown) => pack.destroy(err instanceof Error ? err : new Error(String(err))));

  try {
    await Promise.all([
      feeding,
      pipeline(
        Readable.from(pack as AsyncIterable<Buffer>, { objectMode: false }),
        tarTap,
        createGzip({ level: zlibConstants.Z_DEFAULT_COMPRESSION }),
        new GzipHeaderNormaliser(),
        gzTap,
        createWriteStream(out, { flags: "wx", mode: 0o600 }),
      ),
    ]);
  } catch (err) {
    pack.destroy();
    await rm(out, { force: true });
    if (isOcigraphError(err)) throw err;
    const message = err instanceof Error ? err.message : String(err);
    if (message === "Size mismatch") {
      throw new OcigraphError("INVALID_INPUT", `a file in ${dir} changed size while it was being packed`, {
        hint: "pack the directory when nothing is writing to it",
        cause: err,
      });
    }
    throw new OcigraphError("INTERNAL", `failed to pack ${dir}: ${message}`, { cause: err });
  }

  return {
    path: out,
    digest: `sha256:${gzHash.digest("hex")}`,
    size: gzTap.bytes,
    uncompressedDigest: `sha256:${tarHash.digest("hex")}`,
  };
}
