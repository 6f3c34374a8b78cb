import { OcigraphError } from "../oci/errors.js";
import { type Descriptor, type Platform, isIndex, successors } from "../oci/manifest.js";
import { isManifestMediaType } from "../oci/media-types.js";
import { canMount, type Target } from "../oci/target.js";
import { limiter, type Limiter } from "../util/limit.js";
import { type TransferProgress, counted, labelOf } from "./progress.js";
import { WalkBudget } from "./walk.js";

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
  /** Most referrers the recursive walk may visit; 0 means the default (10,000). */
  maxNodes?: number;
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
    new WalkBudget(options.maxNodes),
  );
  await copier.node(root);
  await copier.drain();
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

/**
 * Two kinds of work, kept apart so that no node ever waits on its own completion, whatever
 * cycles a graph holds (an index listing a manifest that refers back to it, a referrer that is
 * also a child of its subject, a tag-schema index that is the subject itself):
 *
 * - content (`node`): a manifest's successors, then the manifest; one promise per digest. It
 *   follows only successor edges, which content addressing keeps acyclic.
 * - referrer walks (`walk`): once per node, after its content is there, each a task of its own
 *   that the copy drains before it tags anything. A walk awaits content, never the reverse.
 */
class Copier {
  readonly stats = { copied: 0, mounted: 0, skipped: 0, bytes: 0 };
  readonly referrers: Descriptor[] = [];
  private readonly work = new Map<string, Promise<void>>();
  private readonly walked = new Set<string>();
  private readonly listed = new Set<string>();
  private readonly tasks: Promise<void>[] = [];
  /** Referrers-index updates still confirming; all must settle before the copy reports or tags. */
  readonly settling: Promise<void>[] = [];

  constructor(
    private readonly source: Target,
    private readonly destination: Target,
    private readonly options: CopyOptions,
    private readonly limit: Limiter,
    /** One visited set and node cap for the whole recursive walk. */
    private readonly budget: WalkBudget,
  ) {}

  /** Waits for every referrer walk, including those that walks start. */
  async drain(): Promise<void> {
    while (this.tasks.length) await Promise.all(this.tasks.splice(0));
  }

  /**
   * Copies one node's content once, however many parents share it. `inArtifact` is true below
   * a referrer, where the include filter no longer applies.
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
    const present = await this.destination.exists(descriptor);
    let children: Descriptor[] = [];
    if (!present || this.options.recursive) {
      const { bytes, manifest } = await this.source.fetchManifest(descriptor);
      // Platform manifests have referrers of their own, even when the index is already there.
      if (isIndex(manifest)) children = manifest.manifests.filter((d) => isManifestMediaType(d.mediaType));
      if (!present) {
        await Promise.all(successors(manifest).map((child) => this.node(child, inArtifact)));
        const { settled } = await this.destination.pushManifest(descriptor, bytes);
        if (settled) this.settling.push(settled);
        this.done(descriptor, "copied");
      }
    }
    if (present) this.done(descriptor, "skipped");
    if (this.options.recursive) {
      for (const d of [descriptor, ...children]) this.tasks.push(this.walk(d, inArtifact));
    }
  }

  /** Copies the referrers of `subject` (once per subject), each after its subject. */
  private async walk(subject: Descriptor, inArtifact: boolean): Promise<void> {
    const key = `${inArtifact ? "a" : "r"}${subject.digest}`;
    if (this.walked.has(key)) return;
    this.walked.add(key);
    const include = inArtifact ? [] : (this.options.includeArtifactTypes ?? []);
    const exclude = this.options.excludeArtifactTypes ?? [];
    const found = await this.source.referrers(subject, {
      ...(include.length ? { artifactTypes: include } : {}),
      // the walk's node budget: a listing that alone passes it stops early
      limit: this.budget.remaining + 1,
    });
    const wanted = [...new Map(found.map((d) => [d.digest, d])).values()].filter(
      (d) => d.digest !== subject.digest && (!d.artifactType || !exclude.includes(d.artifactType)),
    );
    const where = `${this.source.name}@${subject.digest}`;
    for (const d of wanted) {
      if (this.listed.has(d.digest)) continue;
      this.listed.add(d.digest);
      this.budget.visit(d.digest, where); // TOO_LARGE past the node cap
      this.referrers.push(d);
    }
    // The subject's content is there (walks start after it): now its referrers.
    await this.node(subject, inArtifact);
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
