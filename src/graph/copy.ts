import { OcigraphError } from "../oci/errors.js";
import { type Descriptor, type Platform, isIndex, successors } from "../oci/manifest.js";
import { isManifestMediaType } from "../oci/media-types.js";
import { canMount, type Target } from "../oci/target.js";
import { limiter, type Limiter } from "../util/limit.js";
import { type TransferProgress, counted, labelOf } from "./progress.js";

export interface CopyOptions {
  /** Also copy every referrer, recursively (of the root and of each platform manifest). */
  recursive?: boolean;
  /**
   * Copy only referrers of these artifact types (all when empty). Applies to what refers to the
   * image itself; an included artifact brings its own referrers (an SBOM, its signature).
   */
  includeArtifactTypes?: readonly string[];
  /** Never copy referrers of these artifact types (nor what refers to them). */
  excludeArtifactTypes?: readonly string[];
  /** When the root is an index, copy only the manifest for this platform (and tag it). */
  platform?: Pick<Platform, "os" | "architecture" | "variant">;
  /** Parallel blob transfers; 0 means the default (8, measured in bench/). */
  concurrency?: number;
  /** Called as each node is done. */
  onNode?: (descriptor: Descriptor, outcome: NodeOutcome) => void;
  progress?: TransferProgress;
}

export type NodeOutcome = "copied" | "mounted" | "skipped";

export interface CopyResult {
  root: Descriptor;
  copied: number;
  mounted: number;
  skipped: number;
  /** Blob bytes sent to the destination (mounted and skipped blobs excluded). */
  bytes: number;
  /** Referrers copied or found present, all levels. */
  referrers: Descriptor[];
}

export const DEFAULT_COPY_CONCURRENCY = 8;

/**
 * Copies a manifest or index, with everything it points at and, with `recursive`, every
 * referrer, from one Target to another. Order keeps every tag honest: blobs before their
 * manifest, children before their index, a subject before its referrers, and the destination
 * tags last, so an interrupted copy leaves no tag on an incomplete graph; running it again
 * skips what is already there. Shared content is copied once (one worker per digest).
 */
export async function copy(
  source: Target,
  selector: string,
  destination: Target,
  tags: readonly string[],
  options: CopyOptions = {},
): Promise<CopyResult> {
  const root = await resolveRoot(source, selector, options.platform);
  const copier = new Copier(
    source,
    destination,
    options,
    limiter(options.concurrency, DEFAULT_COPY_CONCURRENCY),
  );
  await copier.node(root);
  await Promise.all(copier.settling);
  // A tag already on the root is left alone: re-running a promotion writes nothing, which a
  // registry that locks the promoted manifest (ACR writeEnabled false) would refuse.
  for (const tag of tags)
    if (!(await taggedAs(destination, tag, root.digest))) await destination.tag(root, tag);
  return { root, ...copier.stats, referrers: copier.referrers };
}

/** What a copy of `selector` starts from: the manifest it names, or the index's `platform` manifest. */
export async function resolveRoot(
  source: Target,
  selector: string,
  platform?: CopyOptions["platform"],
): Promise<Descriptor> {
  const root = await source.resolve(selector);
  return platform ? selectPlatform(source, root, platform) : root;
}

async function selectPlatform(
  source: Target,
  root: Descriptor,
  platform: NonNullable<CopyOptions["platform"]>,
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

class Copier {
  readonly stats = { copied: 0, mounted: 0, skipped: 0, bytes: 0 };
  readonly referrers: Descriptor[] = [];
  private readonly work = new Map<string, Promise<void>>();
  /** Referrers-index updates still confirming; all must settle before the copy reports or tags. */
  readonly settling: Promise<void>[] = [];

  constructor(
    private readonly source: Target,
    private readonly destination: Target,
    private readonly options: CopyOptions,
    private readonly limit: Limiter,
  ) {}

  /**
   * Copies one node once, however many parents share it. `inArtifact` is true below a
   * referrer, where the include filter no longer applies.
   */
  node(descriptor: Descriptor, inArtifact = false): Promise<void> {
    let pending = this.work.get(descriptor.digest);
    if (!pending) {
      pending = isManifestMediaType(descriptor.mediaType)
        ? this.manifest(descriptor, inArtifact)
        : this.blob(descriptor);
      this.work.set(descriptor.digest, pending);
    }
    return pending;
  }

  private done(descriptor: Descriptor, outcome: NodeOutcome): void {
    this.stats[outcome]++;
    this.options.onNode?.(descriptor, outcome);
  }

  private async blob(descriptor: Descriptor): Promise<void> {
    const progress = this.options.progress;
    await this.limit(async () => {
      progress?.begin?.(descriptor, labelOf(descriptor));
      if (await this.destination.exists(descriptor)) {
        progress?.end?.(descriptor, "exists");
        return this.done(descriptor, "skipped");
      }
      if (canMount(this.destination) && (await this.destination.mountBlob(descriptor, this.source))) {
        progress?.end?.(descriptor, "mounted");
        return this.done(descriptor, "mounted");
      }
      await this.destination.pushBlob(descriptor, {
        open: async () => counted(await this.source.fetchBlob(descriptor), descriptor, progress),
        verified: true,
      });
      this.stats.bytes += descriptor.size;
      progress?.end?.(descriptor, "done");
      this.done(descriptor, "copied");
    });
  }

  private async manifest(descriptor: Descriptor, inArtifact: boolean): Promise<void> {
    if (await this.destination.exists(descriptor)) {
      this.done(descriptor, "skipped");
    } else {
      const { bytes, manifest } = await this.source.fetchManifest(descriptor);
      await Promise.all(successors(manifest).map((child) => this.node(child, inArtifact)));
      const { settled } = await this.destination.pushManifest(descriptor, bytes);
      if (settled) this.settling.push(settled);
      this.done(descriptor, "copied");
    }
    if (this.options.recursive) await this.referrersOf(descriptor, inArtifact);
  }

  private async referrersOf(subject: Descriptor, inArtifact: boolean): Promise<void> {
    const include = inArtifact ? [] : (this.options.includeArtifactTypes ?? []);
    const exclude = this.options.excludeArtifactTypes ?? [];
    const found = await this.source.referrers(subject, include.length ? { artifactTypes: include } : {});
    const wanted = found.filter((d) => !d.artifactType || !exclude.includes(d.artifactType));
    this.referrers.push(...wanted);
    await Promise.all(wanted.map((referrer) => this.node(referrer, true)));
  }
}

async function taggedAs(target: Target, tag: string, digest: string): Promise<boolean> {
  try {
    return (await target.resolve(tag)).digest === digest;
  } catch (err) {
    if ((err as { code?: string }).code === "NOT_FOUND") return false;
    throw err;
  }
}
