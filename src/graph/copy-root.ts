import { OcigraphError } from "../oci/errors.js";
import { type Descriptor, type Platform, isIndex } from "../oci/manifest.js";
import type { Target } from "../oci/target.js";

/** Which platform of an index to copy, when only one is wanted. */
export type PlatformWanted = Pick<Platform, "os" | "architecture" | "variant">;

/** What a copy of `selector` starts from: the manifest it names, or the index's `platform` manifest. */
export async function resolveRoot(
  source: Target,
  selector: string,
  platform?: PlatformWanted,
): Promise<Descriptor> {
  const root = await source.resolve(selector);
  return platform ? selectPlatform(source, root, platform) : root;
}

async function selectPlatform(
  source: Target,
  root: Descriptor,
  platform: PlatformWanted,
): Promise<Descriptor> {
  const { manifest } = await source.fetchManifest(root);
  if (!isIndex(manifest)) return root;
  const match = manifest.manifests.find(
    (d) =>
      d.platform?.os === platform.os &&
      d.platform.architecture === platform.architecture &&
      (platform.variant === undefined || d.platform.variant === platform.variant),
  );
  if (!match) {
    const have = manifest.manifests
      .map((d) =>
        d.platform
          ? `${d.platform.os}/${d.platform.architecture}${d.platform.variant ? `/${d.platform.variant}` : ""}`
          : "?",
      )
      .join(", ");
    throw new OcigraphError(
      "NOT_FOUND",
      `${source.name}: no manifest for platform ${platform.os}/${platform.architecture}`,
      {
        hint: `the index has: ${have}`,
      },
    );
  }
  return match;
}
