import { type Descriptor, isIndex, successors } from "../oci/manifest.js";
import { isManifestMediaType } from "../oci/media-types.js";
import { canMount, type Target } from "../oci/target.js";
import { laneLimiter, limiter, type Limiter } from "../util/limit.js";
import { type PlatformWanted, resolveRoot } from "./copy-root.js";
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
  platform?: PlatformWanted;
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

export { resolveRoot };

export const DEFAULT_COPY_CONCURRENCY = 8;
/** Blob existence checks and mounts in flight at once (the connection pool holds 32). */
const BLOB_CHECK_CONCURRENCY = 32;

/**
 * Copies a manifest or index, with everything it points at and, with `recursive`, every
 * referrer, from one Target to another. Order keeps every tag honest: blobs before their
 * manifest, children before their index, a subject before its referrers, and the destination
 * tags last, so an interrupted copy leaves no tag on an incomplete graph; running it again
 * skips what is already there. Shared content is copied once (one worker per digest).
 */
export async function copy(
  source: Target,
  /** A tag or digest to resolve, or the root already resolved (taken as is: no second round trip). */
  selector: string | Descriptor,
  destination: Target,
  tags: readonly string[],
  options: CopyOptions = {},
): Promise<CopyResult> {
  const root =
    typeof selector === "string" ? await resolveRoot(source, selector, options.platform) : selector;
  const copier = new Copier(
    source,
    destination,
    options,
    limiter(options.concurrency, DEFAULT_COPY_CONCURRENCY),
    new WalkBudget(options.maxNodes),
  );
  try {
    await copier.node(root);
    await copier.drain();
  } catch (err) {
    // Walks start early, beside the content: report the first failure once they have all stopped.
    await copier.stop();
    throw err;
  }
  // A tag already on the root is left alone: re-running a promotion writes nothing, which a
  // registry that locks the promoted manifest (ACR writeEnabled false) would refuse. Asked
  // while the referrers indexes settle; nothing is tagged before they have.
  const [tagged] = await Promise.all([
    Promise.all(tags.map((tag) => taggedAs(destination, tag, root.digest))),
    Promise.all(copier.settling),
  ]);
  for (const [i, tag] of tags.entries()) if (!tagged[i]) await destination.tag(root, tag);
  return { root, ...copier.stats, referrers: copier.referrers };
}

/**
 * Two kinds of work, kept apart so that no node ever waits on its own completion, whatever
 * cycles a graph holds (an index listing a manifest that refers back to it, a referrer that is
 * also a child of its subject, a tag-schema index that is the subject itself):
 *
 * - content (`node`): a manifest's successors (`prepare`), then the manifest; one promise per
 *   digest. It follows only successor edges, which content addressing keeps acyclic.
 * - referrer walks (`walk`): once per node, started with its content (listing and the
 *   referrers' own content need not wait), each a task of its own that the copy drains before
 *   it tags anything. A walk awaits content, never the reverse, and pushes a referrer only
 *   once its subject is there.
 */
class Copier {
  readonly stats = { copied: 0, mounted: 0, skipped: 0, bytes: 0 };
  readonly referrers: Descriptor[] = [];
  private readonly work = new Map<string, Promise<void>>();
  /**
   * Existence checks and mounts of blobs: small requests, so more at once than transfers. The
   * image's own blobs go first: referrers' content is copied early, but none of it can be
   * pushed before the image is there.
   */
  private readonly checks = laneLimiter(BLOB_CHECK_CONCURRENCY);
  private readonly prepared = new Map<string, Promise<Prepared>>();
  private readonly destinationListings = new Map<string, Promise<Set<string>>>();
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

  /** Keeps a walk for `drain`; marked handled now, as it may fail before anyone waits on it. */
  private spawn(walk: Promise<void>): void {
    walk.catch(() => undefined);
    this.tasks.push(walk);
  }

  /** After a failure: waits until no walk or index update is left running, whatever their outcome. */
  async stop(): Promise<void> {
    while (this.tasks.length) await Promise.allSettled(this.tasks.splice(0));
    await Promise.allSettled(this.settling);
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
        : this.blob(descriptor, !inArtifact);
      this.work.set(descriptor.digest, pending);
    }
    return pending;
  }

  private done(descriptor: Descriptor, outcome: NodeOutcome): void {
    this.stats[outcome]++;
    this.options.onNode?.(descriptor, outcome);
  }

  private async blob(descriptor: Descriptor, urgent: boolean): Promise<void> {
    const progress = this.options.progress;
    // Asking and mounting move no bytes: they wait on the wider limit, not on the transfers'.
    const needed = await this.checks(async () => {
      progress?.begin?.(descriptor, labelOf(descriptor));
      if (await this.destination.exists(descriptor)) {
        progress?.end?.(descriptor, "exists");
        this.done(descriptor, "skipped");
        return false;
      }
      if (canMount(this.destination) && (await this.destination.mountBlob(descriptor, this.source))) {
        progress?.end?.(descriptor, "mounted");
        this.done(descriptor, "mounted");
        return false;
      }
      return true;
    }, urgent);
    if (!needed) return;
    await this.limit(async () => {
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
    // Its referrers are listed (and their content copied) while its own content is copied.
    if (this.options.recursive) this.spawn(this.walk(descriptor, inArtifact));
    const { present, bytes, subject } = await this.prepare(descriptor, inArtifact);
    if (!bytes) return this.done(descriptor, "skipped");
    if (present) {
      // Stored but missing from its subject's index: a copy stopped between the two. Storing it
      // again indexes it (only then: a locked graph on ACR refuses even an identical manifest).
      if (subject && !(await this.indexedAtDestination(subject, descriptor)))
        await this.store(descriptor, bytes);
      return this.done(descriptor, "skipped");
    }
    await this.store(descriptor, bytes);
    // The repository exists now: learn how it indexes referrers before the first one arrives.
    if (this.options.recursive) this.destination.referrersMode().catch(() => undefined);
    this.done(descriptor, "copied");
  }

  /** Pushes a manifest; its referrers-index update, if any, is awaited before anything is tagged. */
  private async store(descriptor: Descriptor, bytes: Buffer): Promise<void> {
    const { settled } = await this.destination.pushManifest(descriptor, bytes);
    if (settled) this.settling.push(settled);
  }

  /** Whether the destination lists `referrer` under `subject` (one listing per subject). */
  private async indexedAtDestination(subject: Descriptor, referrer: Descriptor): Promise<boolean> {
    if ((await this.destination.referrersMode()) === "api") return true; // the registry indexes it
    let listed = this.destinationListings.get(subject.digest);
    if (!listed) {
      listed = this.destination.referrers(subject).then((l) => new Set(l.map((d) => d.digest)));
      this.destinationListings.set(subject.digest, listed);
    }
    return (await listed).has(referrer.digest);
  }

  /**
   * Everything below a manifest, once per digest: whether the destination has it, and if not,
   * its successors copied (the manifest itself is pushed by `manifest`).
   */
  private prepare(descriptor: Descriptor, inArtifact: boolean): Promise<Prepared> {
    let pending = this.prepared.get(descriptor.digest);
    if (!pending) {
      pending = (async (): Promise<Prepared> => {
        // A recursive copy reads every manifest (for its referrers' walk): ask both at once.
        const [present, early] = await Promise.all([
          this.destination.exists(descriptor),
          this.options.recursive ? this.source.fetchManifest(descriptor) : undefined,
        ]);
        if (present && !this.options.recursive) return { present };
        const { bytes, manifest } = early ?? (await this.source.fetchManifest(descriptor));
        const below = present ? [] : successors(manifest).map((child) => this.node(child, inArtifact));
        // Platform manifests have referrers of their own, even when the index is already there.
        if (this.options.recursive && isIndex(manifest)) {
          for (const d of manifest.manifests)
            if (isManifestMediaType(d.mediaType)) this.spawn(this.walk(d, inArtifact));
        }
        await Promise.all(below);
        return { present, bytes, ...(manifest.subject ? { subject: manifest.subject } : {}) };
      })();
      this.prepared.set(descriptor.digest, pending);
    }
    return pending;
  }

  /**
   * Copies the referrers of `subject` (once per subject), each after its subject: `stored`
   * resolves when the subject is at the destination (by default, its own node).
   */
  private async walk(
    subject: Descriptor,
    inArtifact: boolean,
    stored: () => Promise<void> = () => this.node(subject, inArtifact),
  ): Promise<void> {
    const key = `${inArtifact ? "a" : "r"}${subject.digest}`;
    if (this.walked.has(key)) return;
    this.walked.add(key);
    const include = inArtifact ? [] : (this.options.includeArtifactTypes ?? []);
    const exclude = this.options.excludeArtifactTypes ?? [];
    const found = await this.source.referrers(subject, {
      ...(include.length ? { artifactTypes: include } : {}),
      // the walk's node budget: a listing that alone passes it stops early
      limit: this.budget.remaining + 1,
      ahead: true, // each referrer found is walked in turn
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
    // Each referrer's content is copied while the subject's is; the referrer itself is pushed
    // only once the subject is there. Its own referrers are walked meanwhile, behind it.
    const subjectStored = stored();
    const pushed = wanted.map(async (referrer) => {
      await Promise.all([subjectStored, this.prepare(referrer, true)]);
      await this.node(referrer, true);
    });
    wanted.forEach((referrer, i) => this.spawn(this.walk(referrer, true, () => pushed[i] as Promise<void>)));
    await Promise.all([subjectStored, ...pushed]);
  }
}

interface Prepared {
  /** Already at the destination. */
  present: boolean;
  /** The manifest's bytes, when they were fetched (absent, or a recursive copy). */
  bytes?: Buffer;
  /** Its subject, when it is a referrer (known when its bytes were fetched). */
  subject?: Descriptor;
}

async function taggedAs(target: Target, tag: string, digest: string): Promise<boolean> {
  try {
    return (await target.resolve(tag)).digest === digest;
  } catch (err) {
    if ((err as { code?: string }).code === "NOT_FOUND") return false;
    throw err;
  }
}
