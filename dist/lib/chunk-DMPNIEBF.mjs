import { createRequire as __ocigraphRequire } from "node:module"; import { fileURLToPath as __ocigraphPath } from "node:url"; import { dirname as __ocigraphDir } from "node:path"; const require = __ocigraphRequire(import.meta.url); const __filename = __ocigraphPath(import.meta.url); const __dirname = __ocigraphDir(__filename);
import {
  checkSymlinkTarget,
  cleanLayerName,
  quoteName,
  require_tar_stream
} from "./chunk-CYUGFN4P.mjs";
import {
  Annotation,
  MediaType,
  isValidMediaType
} from "./chunk-AEECXJOG.mjs";
import {
  OcigraphError,
  isOcigraphError
} from "./chunk-N65ZBPAW.mjs";
import {
  __toESM
} from "./chunk-3475OBJL.mjs";

// src/graph/files.ts
import { createReadStream } from "node:fs";
import { stat as stat2 } from "node:fs/promises";
import { createHash as createHash2 } from "node:crypto";
import { basename, isAbsolute, normalize, sep } from "node:path";
import { pipeline as pipeline2 } from "node:stream/promises";

// src/pack/directory.ts
var tar = __toESM(require_tar_stream());
import { createHash, randomBytes } from "node:crypto";
import { constants as fsConstants, createWriteStream } from "node:fs";
import { lstat, mkdir, open, readdir, readlink, rm, stat } from "node:fs/promises";
import * as path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip, constants as zlibConstants } from "node:zlib";
var EPOCH = /* @__PURE__ */ new Date(0);
var GZIP_OS_UNKNOWN = 255;
var GZIP_OS_OFFSET = 9;
var HashTap = class extends Transform {
  constructor(hash) {
    super();
    this.hash = hash;
  }
  hash;
  bytes = 0;
  _transform(chunk, _enc, callback) {
    this.bytes += chunk.length;
    this.hash.update(chunk);
    callback(null, chunk);
  }
};
var GzipHeaderNormaliser = class extends Transform {
  offset = 0;
  _transform(chunk, _enc, callback) {
    const at = GZIP_OS_OFFSET - this.offset;
    if (at >= 0 && at < chunk.length) {
      const copy = Buffer.from(chunk);
      copy[at] = GZIP_OS_UNKNOWN;
      chunk = copy;
    }
    this.offset += chunk.length;
    callback(null, chunk);
  }
};
function byteOrder(a, b) {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}
function fileMode(mode) {
  return (mode & 73) !== 0 ? 493 : 420;
}
async function addEntry(pack2, header, file) {
  const handle = file === void 0 ? void 0 : await open(file, fsConstants.O_RDONLY | (fsConstants.O_NOFOLLOW ?? 0));
  await new Promise((resolve, reject) => {
    let source;
    const sink = pack2.entry(header, (err) => {
      if (err) {
        if (source === void 0) void handle?.close();
        else source.destroy();
        reject(err);
      } else {
        resolve();
      }
    });
    if (handle !== void 0) {
      source = handle.createReadStream();
      source.on("error", (err) => sink.destroy(err));
      source.pipe(sink);
    }
  });
}
async function walk(ctx, absDir, relDir) {
  const names = (await readdir(absDir)).sort(byteOrder);
  for (const name of names) {
    const abs = path.join(absDir, name);
    const rel = relDir === "" ? name : `${relDir}/${name}`;
    const entryName = `${ctx.prefix}/${rel}`;
    const info = await lstat(abs);
    if (info.isDirectory()) {
      await addEntry(ctx.pack, { name: entryName, type: "directory", mode: 493, ...FIXED });
      await walk(ctx, abs, rel);
    } else if (info.isFile()) {
      await addEntry(
        ctx.pack,
        { name: entryName, type: "file", mode: fileMode(info.mode), size: info.size, ...FIXED },
        abs
      );
    } else if (info.isSymbolicLink()) {
      const target = await readlink(abs);
      try {
        checkSymlinkTarget(rel, target);
      } catch (err) {
        const reason = isOcigraphError(err) ? err.message : String(err);
        throw new OcigraphError("INVALID_INPUT", `cannot pack symlink ${abs}: ${reason}`, {
          hint: "neither oras pull nor ocigraph would unpack a link leaving the directory; replace it with a copy or a relative link inside it",
          cause: err
        });
      }
      await addEntry(ctx.pack, { name: entryName, type: "symlink", linkname: target, mode: 511, ...FIXED });
    } else {
      throw new OcigraphError(
        "INVALID_INPUT",
        `cannot pack ${abs}: sockets, FIFOs and device files are not supported`,
        {
          hint: "remove it from the directory (it could not be unpacked safely anyway)"
        }
      );
    }
  }
}
var FIXED = { mtime: EPOCH, uid: 0, gid: 0 };
async function packDirectory(dir, tmpDir, name) {
  if (name.length === 0 || name.includes("\0")) {
    throw new OcigraphError("INVALID_INPUT", `layer name ${quoteName(name)} is empty or holds a NUL byte`);
  }
  const prefix = cleanLayerName(name);
  if (prefix !== name || prefix === "." || prefix === "/") {
    throw new OcigraphError("INVALID_INPUT", `layer name ${quoteName(name)} is not a clean path`, {
      hint: prefix === "." || prefix === "/" ? "name the directory layer" : `use ${quoteName(prefix)}`
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
  const pack2 = tar.pack();
  const feeding = (async () => {
    await addEntry(pack2, { name: prefix, type: "directory", mode: 493, ...FIXED });
    await walk({ pack: pack2, prefix }, dir, "");
    pack2.finalize();
  })();
  feeding.catch((err) => pack2.destroy(err instanceof Error ? err : new Error(String(err))));
  try {
    await Promise.all([
      feeding,
      pipeline(
        Readable.from(pack2, { objectMode: false }),
        tarTap,
        createGzip({ level: zlibConstants.Z_DEFAULT_COMPRESSION }),
        new GzipHeaderNormaliser(),
        gzTap,
        createWriteStream(out, { flags: "wx", mode: 384 })
      )
    ]);
  } catch (err) {
    pack2.destroy();
    await rm(out, { force: true });
    if (isOcigraphError(err)) throw err;
    const message = err instanceof Error ? err.message : String(err);
    if (message === "Size mismatch") {
      throw new OcigraphError("INVALID_INPUT", `a file in ${dir} changed size while it was being packed`, {
        hint: "pack the directory when nothing is writing to it",
        cause: err
      });
    }
    throw new OcigraphError("INTERNAL", `failed to pack ${dir}: ${message}`, { cause: err });
  }
  return {
    path: out,
    digest: `sha256:${gzHash.digest("hex")}`,
    size: gzTap.bytes,
    uncompressedDigest: `sha256:${tarHash.digest("hex")}`
  };
}

// src/graph/files.ts
function parseFileSpec(arg) {
  const colon = arg.lastIndexOf(":");
  if (colon > 0) {
    const candidate = arg.slice(colon + 1);
    if (candidate.includes("/")) {
      if (!isValidMediaType(candidate)) {
        throw new OcigraphError("INVALID_INPUT", `"${candidate}" in "${arg}" is not a valid media type`, {
          usage: true,
          hint: "write files as path[:type/subtype], e.g. ./sbom.json:application/json"
        });
      }
      return { path: arg.slice(0, colon), mediaType: candidate };
    }
  }
  return { path: arg };
}
function layerTitle(path2) {
  if (isAbsolute(path2)) return basename(path2);
  const clean = normalize(path2).split(sep).join("/").replace(/\/+$/, "");
  if (clean === ".." || clean.startsWith("../")) return basename(path2);
  return clean;
}
async function hashFile(path2) {
  const hash = createHash2("sha256");
  let size = 0;
  await pipeline2(createReadStream(path2), async function* (source) {
    for await (const chunk of source) {
      hash.update(chunk);
      size += chunk.length;
    }
    yield* [];
  });
  return { digest: `sha256:${hash.digest("hex")}`, size };
}
async function prepareLayers(files, tmpDir) {
  const titles = /* @__PURE__ */ new Set();
  const layers = [];
  for (const file of files) {
    let info;
    try {
      info = await stat2(file.path);
    } catch {
      throw new OcigraphError("NOT_FOUND", `file not found: ${file.path}`, {
        hint: "check the path and the working directory"
      });
    }
    const title = layerTitle(file.path);
    if (titles.has(title))
      throw new OcigraphError("INVALID_INPUT", `${file.path} is given twice (title "${title}")`);
    titles.add(title);
    if (info.isDirectory()) {
      const packed = await packDirectory(file.path, tmpDir, title);
      layers.push({
        source: file.path,
        descriptor: {
          mediaType: file.mediaType ?? MediaType.LayerGzip,
          digest: packed.digest,
          size: packed.size,
          annotations: {
            [Annotation.OrasContentDigest]: packed.uncompressedDigest,
            [Annotation.OrasContentUnpack]: "true",
            [Annotation.Title]: title
          }
        },
        content: { open: () => createReadStream(packed.path) }
      });
    } else if (info.isFile()) {
      const { digest, size } = await hashFile(file.path);
      layers.push({
        source: file.path,
        descriptor: {
          mediaType: file.mediaType ?? MediaType.OrasDefaultFile,
          digest,
          size,
          annotations: { [Annotation.Title]: title }
        },
        content: { open: () => createReadStream(file.path) }
      });
    } else {
      throw new OcigraphError("INVALID_INPUT", `${file.path} is neither a file nor a directory`);
    }
  }
  return layers;
}

export {
  parseFileSpec,
  layerTitle,
  prepareLayers
};
