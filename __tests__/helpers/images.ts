import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { digestOf } from "../../src/oci/digest";
import { type Descriptor, type ImageIndex, type ImageManifest, encodeManifest } from "../../src/oci/manifest";
import { MediaType } from "../../src/oci/media-types";
import type { Target } from "../../src/oci/target";

async function pushBytes(target: Target, mediaType: string, data: Buffer): Promise<Descriptor> {
  const descriptor = { mediaType, digest: digestOf(data), size: data.length };
  await target.pushBlob(descriptor, { open: () => Readable.from([data]) });
  return descriptor;
}

/** Pseudo-random bytes that do not compress: a layer of `size` bytes, streamed. */
function randomLayer(size: number): Buffer {
  return randomBytes(size);
}

export interface MultiArchImage {
  index: Descriptor;
  platforms: Descriptor[];
}

/**
 * Pushes a multi-arch image: an OCI index of `platforms` image manifests, each with a config
 * and `layers` random layers of `layerSize` bytes, tagged `tag`.
 */
export async function pushMultiArch(
  target: Target,
  tag: string,
  options: { platforms?: string[]; layers?: number; layerSize?: number } = {},
): Promise<MultiArchImage> {
  const platforms = options.platforms ?? ["linux/amd64", "linux/arm64"];
  const manifests: Descriptor[] = [];
  for (const platform of platforms) {
    const [os, architecture] = platform.split("/") as [string, string];
    const layers: Descriptor[] = [];
    for (let i = 0; i < (options.layers ?? 3); i++) {
      layers.push(await pushBytes(target, MediaType.LayerGzip, randomLayer(options.layerSize ?? 1024)));
    }
    const config = await pushBytes(
      target,
      MediaType.ImageConfig,
      Buffer.from(
        JSON.stringify({
          architecture,
          os,
          rootfs: { type: "layers", diff_ids: [] },
          nonce: randomBytes(4).toString("hex"),
        }),
      ),
    );
    const manifest: ImageManifest = { schemaVersion: 2, mediaType: MediaType.ImageManifest, config, layers };
    const bytes = encodeManifest(manifest);
    const descriptor = { mediaType: MediaType.ImageManifest, digest: digestOf(bytes), size: bytes.length };
    await target.pushManifest(descriptor, bytes);
    manifests.push({ ...descriptor, platform: { os, architecture } });
  }
  const index: ImageIndex = { schemaVersion: 2, mediaType: MediaType.ImageIndex, manifests };
  const bytes = encodeManifest(index);
  const descriptor = { mediaType: MediaType.ImageIndex, digest: digestOf(bytes), size: bytes.length };
  await target.pushManifest(descriptor, bytes, tag);
  return { index: descriptor, platforms: manifests };
}
