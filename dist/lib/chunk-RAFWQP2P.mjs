import { createRequire as __ocigraphRequire } from "node:module"; import { fileURLToPath as __ocigraphPath } from "node:url"; import { dirname as __ocigraphDir } from "node:path"; const require = __ocigraphRequire(import.meta.url); const __filename = __ocigraphPath(import.meta.url); const __dirname = __ocigraphDir(__filename);
import {
  checkSymlinkTarget,
  isPathInside,
  quoteName,
  require_tar_stream,
  resolveInside
} from "./chunk-CYUGFN4P.mjs";
import {
  trackTemp
} from "./chunk-3Y45UJD2.mjs";
import {
  counted
} from "./chunk-YI4NXUB6.mjs";
import {
  isIndex,
  parseDigest
} from "./chunk-GS7PIS4O.mjs";
import {
  limiter
} from "./chunk-JFBLHQF4.mjs";
import {
  Annotation,
  MediaType
} from "./chunk-AEECXJOG.mjs";
import {
  OcigraphError,
  isOcigraphError,
  toOcigraphError
} from "./chunk-N65ZBPAW.mjs";
import {
  __toESM
} from "./chunk-3475OBJL.mjs";

// src/graph/pull.ts
import { access, mkdir as mkdir3 } from "node:fs/promises";
import { dirname as dirname3, resolve as resolve3 } from "node:path";

// src/pack/unpack.ts
var tar = __toESM(require_tar_stream());
import { createHash } from "node:crypto";
import { once } from "node:events";
import {
  cp,
  lstat as lstat2,
  mkdir as mkdir2,
  mkdtemp,
  open as open2,
  readdir,
  realpath,
  rename as rename2,
  rm as rm2,
  stat,
  symlink,
  utimes
} from "node:fs/promises";
import * as path2 from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";

// src/pack/streams.ts
var EarlyErrors = class {
  constructor(source) {
    this.source = source;
    source.on("error", this.listener);
  }
  source;
  error = void 0;
  listener = (err) => {
    if (this.error === void 0) this.error = err;
  };
  /** Stops listening; returns the first error seen, if any. */
  release() {
    this.source.removeListener("error", this.listener);
    return this.error;
  }
  /** Destroys the source (when it can be) so that an unread HTTP body frees its connection. */
  abandon() {
    const s = this.source;
    if (typeof s.destroy === "function" && s.destroyed !== true) s.destroy();
  }
};
async function writeAll(handle, chunk) {
  let offset = 0;
  while (offset < chunk.length) {
    const { bytesWritten } = await handle.write(chunk, offset, chunk.length - offset);
    if (bytesWritten <= 0) throw new Error("write made no progress");
    offset += bytesWritten;
  }
}

// src/pack/write-file.ts
import { randomBytes } from "node:crypto";
import { link, lstat, mkdir, open, rename, rm, rmdir, unlink } from "node:fs/promises";
import * as path from "node:path";
async function exists(p) {
  try {
    await lstat(p);
    return true;
  } catch (err) {
    if (err.code === "ENOENT") return false;
    throw err;
  }
}
function alreadyExists(dest) {
  return new OcigraphError("ALREADY_EXISTS", `${dest} already exists`, {
    hint: "remove it, or allow overwriting existing files"
  });
}
async function syncDirectory(dir) {
  try {
    const handle = await open(dir, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
  }
}
async function writeFileAtomically(dest, source, opts = {}) {
  const target = path.resolve(dest);
  const dir = path.dirname(target);
  const early = new EarlyErrors(source);
  let created;
  try {
    if (opts.keepOldFiles && await exists(target)) throw alreadyExists(target);
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
    const handle = await open(tmp, "wx", 438);
    try {
      if (early.error !== void 0) throw early.error;
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
        await unlink(tmp).catch(() => void 0);
      } catch (err) {
        const code = err.code;
        if (code === "EEXIST") throw alreadyExists(target);
        if (committed) throw err;
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
    const err = first !== void 0 && !isOcigraphError(caught) ? first : caught;
    if (!committed) {
      await rm(tmp, { force: true });
      if (created !== void 0) await removeEmptyDirs(dir, created);
    }
    if (isOcigraphError(err)) throw err;
    const e = toOcigraphError(err);
    throw new OcigraphError(e.code, `cannot write ${target}: ${e.message}`, { cause: err });
  } finally {
    untrack();
  }
}
async function removeEmptyDirs(dir, created) {
  let current = dir;
  for (; ; ) {
    try {
      await rmdir(current);
    } catch {
      return;
    }
    if (current === created || path.dirname(current) === current) return;
    current = path.dirname(current);
  }
}

// src/pack/unpack.ts
var DEFAULT_MAX_UNPACK_BYTES = 8 * 1024 * 1024 * 1024;
var STAGING_PREFIX = ".ocigraph-unpack-";
var CASE_INSENSITIVE = process.platform === "darwin" || process.platform === "win32";
var TarTap = class extends Transform {
  constructor(hash, maxBytes, total) {
    super();
    this.hash = hash;
    this.maxBytes = maxBytes;
    this.total = total;
  }
  hash;
  maxBytes;
  total;
  bytes = 0;
  _transform(chunk, _enc, callback) {
    this.bytes += chunk.length;
    try {
      this.total?.take(chunk.length);
    } catch (err) {
      callback(err);
      return;
    }
    if (this.bytes > this.maxBytes) {
      callback(
        new OcigraphError("TOO_LARGE", `the archive unpacks to more than ${this.maxBytes} bytes`, {
          hint: "raise the unpack size limit if this layer is really that large"
        })
      );
      return;
    }
    this.hash.update(chunk);
    callback(null, chunk);
  }
};
async function lstatOrNull(p) {
  try {
    return await lstat2(p);
  } catch (err) {
    const code = err.code;
    if (code === "ENOENT" || code === "ENOTDIR") return null;
    throw err;
  }
}
var Staging = class {
  constructor(dir, base) {
    this.dir = dir;
    this.base = base;
    this.inRoot = path2.join(dir, "in");
    this.outRoot = path2.join(dir, "out");
  }
  dir;
  base;
  inRoot;
  outRoot;
  /** The staged twin of a final path: under `in/` mirroring base, or `out/<root>/` (traversal). */
  stagedPath(final) {
    if (isPathInside(this.base, final)) return path2.join(this.inRoot, path2.relative(this.base, final));
    const root = path2.parse(final).root;
    return path2.join(this.outRoot, Buffer.from(root, "utf8").toString("hex"), path2.relative(root, final));
  }
  /** The staging root a staged path belongs to (`in` or `out/<root>`). */
  rootOf(staged) {
    if (isPathInside(this.inRoot, staged)) return this.inRoot;
    const first = path2.relative(this.outRoot, staged).split(path2.sep)[0] ?? "";
    return path2.join(this.outRoot, first);
  }
};
async function ensureStagedParents(staging, staged, entry) {
  const root = staging.rootOf(staged);
  const parts = path2.relative(root, path2.dirname(staged)).split(path2.sep).filter((p) => p !== "");
  let current = root;
  await mkdir2(root, { recursive: true });
  for (const part of parts) {
    current = path2.join(current, part);
    const info = await lstatOrNull(current);
    if (info === null) {
      await mkdir2(current, { mode: 493 });
    } else if (info.isSymbolicLink()) {
      throw new OcigraphError(
        "UNSAFE_PATH",
        `refusing entry ${quoteName(entry)}: it would be written through a symlink`
      );
    } else if (!info.isDirectory()) {
      throw new OcigraphError(
        "INVALID_CONTENT",
        `entry ${quoteName(entry)} lies below a file of the same archive`
      );
    }
  }
}
function finalPathOf(base, scope, name, opts) {
  if (opts.prefix === void 0) return resolveInside(base, name, opts.allowTraversal === true);
  if (name.length === 0 || name.includes("\0")) return resolveInside(scope, name, false);
  const cleaned = path2.posix.normalize(name).replace(/\/+$/, "");
  const prefix = path2.posix.normalize(opts.prefix).replace(/\/+$/, "");
  if (cleaned === prefix) return scope;
  if (!cleaned.startsWith(`${prefix}/`)) {
    throw new OcigraphError(
      "UNSAFE_PATH",
      `refusing entry ${quoteName(name)}: it is not below ${quoteName(prefix)}`
    );
  }
  return resolveInside(scope, cleaned.slice(prefix.length + 1), false);
}
async function componentIsSafe(staging, final) {
  const staged = await lstatOrNull(staging.stagedPath(final));
  if (staged !== null) return true;
  const existing = await lstatOrNull(final);
  if (existing === null) return false;
  if (existing.isSymbolicLink()) {
    throw new OcigraphError("UNSAFE_PATH", `refusing to use the existing symlink ${final}`, {
      hint: "remove it or unpack into an empty directory"
    });
  }
  return true;
}
async function checkSymlinkRoutes(staging, scope, links) {
  for (const link2 of links) {
    const parts = path2.relative(scope, link2.target).split(path2.sep).filter((p) => p !== "");
    let current = scope;
    for (const part of parts) {
      current = path2.join(current, part);
      if (!await componentIsSafe(staging, current)) break;
    }
  }
}
async function place(stagedDir, realDir, mode, strict, keepOldFiles) {
  for (const name of await readdir(stagedDir)) {
    const s = path2.join(stagedDir, name);
    const r = path2.join(realDir, name);
    const sInfo = await lstat2(s);
    let rInfo = await lstatOrNull(r);
    if (rInfo?.isSymbolicLink() && sInfo.isDirectory()) {
      if (strict) {
        throw new OcigraphError("UNSAFE_PATH", `refusing to unpack through the existing symlink ${r}`, {
          hint: "remove the symlink or unpack into an empty directory"
        });
      }
      rInfo = await stat(r).catch(() => null);
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
          hint: "remove it, or allow overwriting existing files"
        });
      }
    }
    if (mode === "move") await moveInto(s, r);
  }
}
async function moveInto(from, to) {
  try {
    await rename2(from, to);
  } catch (err) {
    if (err.code !== "EXDEV") throw err;
    await cp(from, to, { recursive: true, force: true, verbatimSymlinks: true, preserveTimestamps: true });
    await rm2(from, { recursive: true, force: true });
  }
}
async function unpackTarGzip(source, destDir, opts = {}) {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_UNPACK_BYTES;
  const expected = opts.expectedUncompressedDigest === void 0 ? void 0 : parseDigest(opts.expectedUncompressedDigest);
  const keepOldFiles = opts.keepOldFiles === true;
  const requested = path2.resolve(destDir);
  const early = new EarlyErrors(source);
  let created;
  let staging;
  let untrack = () => void 0;
  let moved = false;
  try {
    try {
      created = await mkdir2(requested, { recursive: true });
    } catch (err) {
      throw new OcigraphError("INVALID_INPUT", `cannot create the output directory ${requested}`, {
        cause: err
      });
    }
    const base = await realpath(requested);
    const scope = opts.prefix === void 0 ? base : resolveInside(base, opts.prefix, opts.allowTraversal === true);
    staging = new Staging(await mkdtemp(path2.join(base, STAGING_PREFIX)), base);
    untrack = trackTemp(staging.dir);
    const stage = staging;
    const hash = createHash(expected?.algorithm ?? "sha256");
    const tap = new TarTap(hash, maxBytes, opts.total);
    const extract2 = tar.extract();
    const abort = new AbortController();
    const seen = /* @__PURE__ */ new Set();
    const links = [];
    const written = [];
    const feeding = pipeline(
      source,
      createGunzip(),
      tap,
      async function(chunks) {
        try {
          for await (const chunk of chunks) {
            if (!extract2.write(chunk)) await once(extract2, "drain", { signal: abort.signal });
          }
          extract2.end(void 0);
        } catch (err) {
          extract2.destroy(err instanceof Error ? err : new Error(String(err)));
          throw err;
        }
      },
      { signal: abort.signal }
    );
    const consuming = (async () => {
      for await (const entry of extract2) {
        await unpackEntry(entry, stage, base, scope, opts, keepOldFiles, seen, links, written);
      }
    })();
    const [fed, consumed] = await Promise.allSettled([
      feeding,
      consuming.catch((err) => {
        abort.abort();
        throw err;
      })
    ]);
    const first = early.release();
    if (isOcigraphError(first)) throw first;
    if (fed.status === "rejected" && isOcigraphError(fed.reason)) throw fed.reason;
    if (consumed.status === "rejected") throw consumed.reason;
    if (fed.status === "rejected") throw fed.reason;
    if (expected !== void 0) {
      const actual = hash.digest("hex");
      if (actual !== expected.encoded) {
        throw new OcigraphError(
          "DIGEST_MISMATCH",
          `the unpacked archive does not match ${opts.expectedUncompressedDigest} (got ${expected.algorithm}:${actual})`,
          { hint: "the layer's io.deis.oras.content.digest annotation does not describe its content" }
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
          cause: err
        }
      );
    }
    throw e;
  } finally {
    if (staging !== void 0) await rm2(staging.dir, { recursive: true, force: true });
    untrack();
    if (created !== void 0 && !moved) await removeEmptyDirs(requested, created);
  }
}
async function stagedRoots(staging) {
  const roots = [];
  if (await lstatOrNull(staging.inRoot) !== null) roots.push([staging.inRoot, staging.base, true]);
  if (await lstatOrNull(staging.outRoot) !== null) {
    for (const key of await readdir(staging.outRoot)) {
      roots.push([path2.join(staging.outRoot, key), Buffer.from(key, "hex").toString("utf8"), false]);
    }
  }
  return roots;
}
async function drain(entry) {
  for await (const chunk of entry) void chunk;
}
async function unpackEntry(entry, staging, base, scope, opts, keepOldFiles, seen, links, written) {
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
          hint: "hard links are not unpacked; store a copy of the file instead"
        }
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
    const staged2 = staging.stagedPath(final);
    await ensureStagedParents(staging, staged2, name);
    const info = await lstatOrNull(staged2);
    if (info === null) await mkdir2(staged2, { mode: (header.mode ?? 493) & 511 | 448 });
    else if (!info.isDirectory())
      throw new OcigraphError("INVALID_CONTENT", `entry ${shown} is both a file and a directory`);
    written.push(final);
    return;
  }
  if (final === base || final === scope) {
    throw new OcigraphError("UNSAFE_PATH", `refusing entry ${shown}: it would replace the output directory`);
  }
  if (keepOldFiles && await lstatOrNull(final) !== null) {
    throw new OcigraphError("ALREADY_EXISTS", `${final} already exists (entry ${shown})`, {
      hint: "remove it, or allow overwriting existing files"
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
    const rel = path2.relative(scope, final).split(path2.sep).join("/");
    const target = checkSymlinkTarget(rel, linkname);
    links.push({ final, target: path2.join(scope, ...target.split("/")) });
    await symlink(linkname, staged);
    written.push(final);
    return;
  }
  const handle = await open2(staged, "wx", (header.mode ?? 420) & 511);
  try {
    for await (const chunk of entry) await writeAll(handle, chunk);
  } finally {
    await handle.close();
  }
  const mtime = header.mtime;
  if (mtime instanceof Date && !Number.isNaN(mtime.getTime())) await utimes(staged, mtime, mtime);
  written.push(final);
}

// src/graph/pull.ts
async function pull(target, selector, options) {
  const { descriptor, manifest } = await target.fetchManifest(selector);
  if (isIndex(manifest)) {
    throw new OcigraphError(
      "UNSUPPORTED",
      `${target.name}@${descriptor.digest} is an index, not an artifact`,
      {
        hint: "pull one of its manifests by digest (see ocigraph discover)"
      }
    );
  }
  const root = resolve3(options.outputDir);
  const plan = planLayers(manifest.layers, root, options.allowPathTraversal ?? false);
  if (options.keepOldFiles) {
    for (const item of plan) {
      if (!item.unpack && await exists2(item.dest)) {
        throw new OcigraphError("ALREADY_EXISTS", `${item.dest} already exists`, {
          hint: "remove it, choose another -o folder, or drop --keep-old-files"
        });
      }
    }
  }
  const total = new TotalBytes(options.maxTotalBytes || DEFAULT_MAX_TOTAL_BYTES);
  for (const item of plan) if (!item.unpack) total.take(item.layer.size);
  await mkdir3(root, { recursive: true });
  const limit = limiter(options.concurrency, 4);
  const written = await Promise.all(
    plan.map(
      (item) => limit(async () => {
        options.progress?.begin?.(item.layer, item.title);
        const stream = counted(await target.fetchBlob(item.layer), item.layer, options.progress);
        if (item.unpack) {
          const files2 = await unpackTarGzip(stream, root, {
            prefix: item.title,
            allowTraversal: options.allowPathTraversal ?? false,
            keepOldFiles: options.keepOldFiles ?? false,
            ...item.layer.annotations?.[Annotation.OrasContentDigest] ? { expectedUncompressedDigest: item.layer.annotations[Annotation.OrasContentDigest] } : {},
            ...options.maxUnpackBytes ? { maxBytes: options.maxUnpackBytes } : {},
            total
          });
          options.progress?.end?.(item.layer, "done");
          return files2;
        }
        await mkdir3(dirname3(item.dest), { recursive: true });
        await writeFileAtomically(item.dest, stream, { keepOldFiles: options.keepOldFiles ?? false });
        options.progress?.end?.(item.layer, "done");
        return [item.dest];
      })
    )
  );
  const files = manifest.layers.filter((l) => l.mediaType !== MediaType.Empty).length;
  return { descriptor, files: written.flat(), skipped: Math.max(0, files - plan.length) };
}
var DEFAULT_MAX_TOTAL_BYTES = 8 * 1024 * 1024 * 1024;
var TotalBytes = class {
  constructor(max) {
    this.max = max;
  }
  max;
  used = 0;
  take(bytes) {
    this.used += bytes;
    if (this.used > this.max) {
      throw new OcigraphError("TOO_LARGE", `the artifact writes more than ${this.max} bytes in total`, {
        hint: "raise --max-unpack-bytes if it is really that large"
      });
    }
  }
};
function planLayers(layers, root, allowTraversal) {
  const seen = /* @__PURE__ */ new Set();
  const plan = [];
  for (const layer of layers) {
    const title = layer.annotations?.[Annotation.Title];
    if (!title) continue;
    const dest = resolveInside(root, title, allowTraversal);
    if (seen.has(dest)) throw new OcigraphError("INVALID_CONTENT", `two layers are titled "${title}"`);
    seen.add(dest);
    plan.push({ layer, title, dest, unpack: layer.annotations?.[Annotation.OrasContentUnpack] === "true" });
  }
  return plan;
}
async function exists2(path3) {
  try {
    await access(path3);
    return true;
  } catch {
    return false;
  }
}
export {
  DEFAULT_MAX_TOTAL_BYTES,
  pull
};
