import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createHash } from "node:crypto";
import { basename, isAbsolute, normalize, sep } from "node:path";
import { pipeline } from "node:stream/promises";
import { OcigraphError } from "../oci/errors.js";
import type { Descriptor } from "../oci/manifest.js";
import { Annotation, MediaType, isValidMediaType } from "../oci/media-types.js";
import type { BlobContent } from "../oci/target.js";
import { packDirectory } from "../pack/directory.js";

/** A file or directory to attach, with its media type when the user gave one (`path:type`). */
export interface FileSpec {
  path: string;
  mediaType?: string;
}

/** A layer ready to push: its descriptor and how to read its bytes again. */
export interface PreparedLayer {
  descriptor: Descriptor;
  content: BlobContent;
  source: string;
}

/**
 * Splits ORAS's `path[:mediaType]` argument. The last colon separates a media type only
 * when what follows looks like one (`type/subtype`), so `C:\x` and `a:b` stay paths.
 */
export function parseFileSpec(arg: string): FileSpec {
  const colon = arg.lastIndexOf(":");
  if (colon > 0) {
    const candidate = arg.slice(colon + 1);
    if (candidate.includes("/")) {
      if (!isValidMediaType(candidate)) {
        throw new OcigraphError("INVALID_INPUT", `"${candidate}" in "${arg}" is not a valid media type`, {
          usage: true,
          hint: "write files as path[:type/subtype], e.g. ./sbom.json:application/json",
        });
      }
      return { path: arg.slice(0, colon), mediaType: candidate };
    }
  }
  return { path: arg };
}

/** The layer title ORAS would give: the cleaned relative path, or the base name of an absolute one. */
export function layerTitle(path: string): string {
  if (isAbsolute(path)) return basename(path);
  const clean = normalize(path).split(sep).join("/").replace(/\/+$/, "");
  if (clean === ".." || clean.startsWith("../")) return basename(path);
  return clean;
}

async function hashFile(path: string): Promise<{ digest: string; size: number }> {
  const hash = createHash("sha256");
  let size = 0;
  await pipeline(createReadStream(path), async function* (source) {
    for await (const chunk of source) {
      hash.update(chunk as Buffer);
      size += (chunk as Buffer).length;
    }
    yield* [];
  });
  return { digest: `sha256:${hash.digest("hex")}`, size };
}

/** Hashes each file and packs each directory (deterministic tar+gzip) into a layer. */
export async function prepareLayers(files: readonly FileSpec[], tmpDir: string): Promise<PreparedLayer[]> {
  const titles = new Set<string>();
  const layers: PreparedLayer[] = [];
  for (const file of files) {
    let info;
    try {
      info = await stat(file.path);
    } catch {
      throw new OcigraphError("NOT_FOUND", `file not found: ${file.path}`, {
        hint: "check the path and the working directory",
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
            [Annotation.Title]: title,
          },
        },
        content: { open: () => createReadStream(packed.path) },
      });
    } else if (info.isFile()) {
      const { digest, size } = await hashFile(file.path);
      layers.push({
        source: file.path,
        descriptor: {
          mediaType: file.mediaType ?? MediaType.OrasDefaultFile,
          digest,
          size,
          annotations: { [Annotation.Title]: title },
        },
        content: { open: () => createReadStream(file.path) },
      });
    } else {
      throw new OcigraphError("INVALID_INPUT", `${file.path} is neither a file nor a directory`);
    }
  }
  return layers;
}
