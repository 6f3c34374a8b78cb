import { access, mkdir } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { OcigraphError } from "../oci/errors.js";
import { type Descriptor, isIndex } from "../oci/manifest.js";
import { Annotation, MediaType } from "../oci/media-types.js";
import type { Target } from "../oci/target.js";
import { resolveInside } from "../pack/paths.js";
import { unpackTarGzip } from "../pack/unpack.js";
import { writeFileAtomically } from "../pack/write-file.js";
import { limiter } from "../util/limit.js";
import { type TransferProgress, counted } from "./progress.js";

export interface PullOptions {
  outputDir: string;
  /** ORAS's `--allow-path-traversal`: titles may be absolute or leave the output folder. */
  allowPathTraversal?: boolean;
  /** Fail instead of replacing existing files. */
  keepOldFiles?: boolean;
  concurrency?: number;
  /** Uncompressed cap per directory layer (decompression bombs). */
  maxUnpackBytes?: number;
  /**
   * Cap on everything one pull writes, all layers together (files and unpacked directories),
   * checked while writing; 0 or unset means the default (8 GiB).
   */
  maxTotalBytes?: number;
  progress?: TransferProgress;
}

export interface PullResult {
  descriptor: Descriptor;
  /** Paths written (files, and the files unpacked from directory layers). */
  files: string[];
  /** Layers without a title, which have no file name and are skipped (as ORAS does). */
  skipped: number;
}

interface PlannedLayer {
  layer: Descriptor;
  title: string;
  dest: string;
  unpack: boolean;
}

/**
 * Writes an artifact's titled layers into `outputDir`, unpacking directory layers. Every path
 * is checked before anything is written; every byte is verified; each file appears atomically,
 * and a failure removes the temp files.
 */
export async function pull(target: Target, selector: string, options: PullOptions): Promise<PullResult> {
  const { descriptor, manifest } = await target.fetchManifest(selector);
  if (isIndex(manifest)) {
    throw new OcigraphError(
      "UNSUPPORTED",
      `${target.name}@${descriptor.digest} is an index, not an artifact`,
      {
        hint: "pull one of its manifests by digest (see ocigraph discover)",
      },
    );
  }
  const root = resolve(options.outputDir);
  const plan = planLayers(manifest.layers, root, options.allowPathTraversal ?? false);
  if (options.keepOldFiles) {
    for (const item of plan) {
      if (!item.unpack && (await exists(item.dest))) {
        throw new OcigraphError("ALREADY_EXISTS", `${item.dest} already exists`, {
          hint: "remove it, choose another -o folder, or drop --keep-old-files",
        });
      }
    }
  }
  // Plain files' sizes are known (and verified while they stream): a pull over the limit by
  // them fails before it writes anything. Directory layers count while they unpack.
  const total = new TotalBytes(options.maxTotalBytes || DEFAULT_MAX_TOTAL_BYTES);
  for (const item of plan) if (!item.unpack) total.take(item.layer.size);
  await mkdir(root, { recursive: true });
  const limit = limiter(options.concurrency, 4);
  const written = await Promise.all(
    plan.map((item) =>
      limit(async () => {
        options.progress?.begin?.(item.layer, item.title);
        const stream = counted(await target.fetchBlob(item.layer), item.layer, options.progress);
        if (item.unpack) {
          const files = await unpackTarGzip(stream, root, {
            prefix: item.title,
            allowTraversal: options.allowPathTraversal ?? false,
            keepOldFiles: options.keepOldFiles ?? false,
            ...(item.layer.annotations?.[Annotation.OrasContentDigest]
              ? { expectedUncompressedDigest: item.layer.annotations[Annotation.OrasContentDigest] }
              : {}),
            ...(options.maxUnpackBytes ? { maxBytes: options.maxUnpackBytes } : {}),
            total,
          });
          options.progress?.end?.(item.layer, "done");
          return files;
        }
        await mkdir(dirname(item.dest), { recursive: true });
        await writeFileAtomically(item.dest, stream, { keepOldFiles: options.keepOldFiles ?? false });
        options.progress?.end?.(item.layer, "done");
        return [item.dest];
      }),
    ),
  );
  // The empty descriptor an annotations-only artifact carries as its layer is not a file.
  const files = manifest.layers.filter((l) => l.mediaType !== MediaType.Empty).length;
  return { descriptor, files: written.flat(), skipped: Math.max(0, files - plan.length) };
}

/** What one pull writes at most unless told otherwise (`--max-unpack-bytes`). */
export const DEFAULT_MAX_TOTAL_BYTES = 8 * 1024 * 1024 * 1024;

/** Bytes written by all layers of one pull together; passing the cap is TOO_LARGE. */
class TotalBytes {
  private used = 0;
  constructor(private readonly max: number) {}

  take(bytes: number): void {
    this.used += bytes;
    if (this.used > this.max) {
      throw new OcigraphError("TOO_LARGE", `the artifact writes more than ${this.max} bytes in total`, {
        hint: "raise --max-unpack-bytes if it is really that large",
      });
    }
  }
}

function planLayers(layers: readonly Descriptor[], root: string, allowTraversal: boolean): PlannedLayer[] {
  const seen = new Set<string>();
  const plan: PlannedLayer[] = [];
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

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
