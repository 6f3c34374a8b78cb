import { createRequire as __ocigraphRequire } from "node:module"; import { fileURLToPath as __ocigraphPath } from "node:url"; import { dirname as __ocigraphDir } from "node:path"; const require = __ocigraphRequire(import.meta.url); const __filename = __ocigraphPath(import.meta.url); const __dirname = __ocigraphDir(__filename);
import {
  counted,
  labelOf
} from "./chunk-YI4NXUB6.mjs";
import {
  WalkBudget
} from "./chunk-P5BZIH3A.mjs";
import {
  canMount
} from "./chunk-72SBY5LG.mjs";
import {
  isIndex,
  successors
} from "./chunk-GS7PIS4O.mjs";
import {
  laneLimiter,
  limiter
} from "./chunk-JFBLHQF4.mjs";
import {
  isManifestMediaType
} from "./chunk-AEECXJOG.mjs";
import {
  OcigraphError
} from "./chunk-N65ZBPAW.mjs";

// src/graph/copy-root.ts
async function resolveRoot(source, selector, platform) {
  const root = await source.resolve(selector);
  return platform ? selectPlatform(source, root, platform) : root;
}
async function selectPlatform(source, root, platform) {
  const { manifest } = await source.fetchManifest(root);
  if (!isIndex(manifest)) return root;
  const match = manifest.manifests.find(
    (d) => d.platform?.os === platform.os && d.platform.architecture === platform.architecture && (platform.variant === void 0 || d.platform.variant === platform.variant)
  );
  if (!match) {
    const have = manifest.manifests.map(
      (d) => d.platform ? `${d.platform.os}/${d.platform.architecture}${d.platform.variant ? `/${d.platform.variant}` : ""}` : "?"
    ).join(", ");
    throw new OcigraphError(
      "NOT_FOUND",
      `${source.name}: no manifest for platform ${platform.os}/${platform.architecture}`,
      {
        hint: `the index has: ${have}`
      }
    );
  }
  return match;
}

// src/graph/copy.ts
var DEFAULT_COPY_CONCURRENCY = 8;
var BLOB_CHECK_CONCURRENCY = 32;
async function copy(source, selector, destination, tags, options = {}) {
  const root = typeof selector === "string" ? await resolveRoot(source, selector, options.platform) : selector;
  const copier = new Copier(
    source,
    destination,
    options,
    limiter(options.concurrency, DEFAULT_COPY_CONCURRENCY),
    new WalkBudget(options.maxNodes)
  );
  try {
    await copier.node(root);
    await copier.drain();
  } catch (err) {
    await copier.stop();
    throw err;
  }
  const [tagged] = await Promise.all([
    Promise.all(tags.map((tag) => taggedAs(destination, tag, root.digest))),
    Promise.all(copier.settling)
  ]);
  for (const [i, tag] of tags.entries()) if (!tagged[i]) await destination.tag(root, tag);
  return { root, ...copier.stats, referrers: copier.referrers };
}
var Copier = class {
  constructor(source, destination, options, limit, budget) {
    this.source = source;
    this.destination = destination;
    this.options = options;
    this.limit = limit;
    this.budget = budget;
  }
  source;
  destination;
  options;
  limit;
  budget;
  stats = { copied: 0, mounted: 0, skipped: 0, bytes: 0 };
  referrers = [];
  work = /* @__PURE__ */ new Map();
  /**
   * Existence checks and mounts of blobs: small requests, so more at once than transfers. The
   * image's own blobs go first: referrers' content is copied early, but none of it can be
   * pushed before the image is there.
   */
  checks = laneLimiter(BLOB_CHECK_CONCURRENCY);
  prepared = /* @__PURE__ */ new Map();
  destinationListings = /* @__PURE__ */ new Map();
  walked = /* @__PURE__ */ new Set();
  listed = /* @__PURE__ */ new Set();
  tasks = [];
  /** Referrers-index updates still confirming; all must settle before the copy reports or tags. */
  settling = [];
  /** Waits for every referrer walk, including those that walks start. */
  async drain() {
    while (this.tasks.length) await Promise.all(this.tasks.splice(0));
  }
  /** Keeps a walk for `drain`; marked handled now, as it may fail before anyone waits on it. */
  spawn(walk) {
    walk.catch(() => void 0);
    this.tasks.push(walk);
  }
  /** After a failure: waits until no walk or index update is left running, whatever their outcome. */
  async stop() {
    while (this.tasks.length) await Promise.allSettled(this.tasks.splice(0));
    await Promise.allSettled(this.settling);
  }
  /**
   * Copies one node's content once, however many parents share it. `inArtifact` is true below
   * a referrer, where the include filter no longer applies.
   */
  node(descriptor, inArtifact = false) {
    let pending = this.work.get(descriptor.digest);
    if (!pending) {
      pending = isManifestMediaType(descriptor.mediaType) ? this.manifest(descriptor, inArtifact) : this.blob(descriptor, !inArtifact);
      this.work.set(descriptor.digest, pending);
    }
    return pending;
  }
  done(descriptor, outcome) {
    this.stats[outcome]++;
    this.options.onNode?.(descriptor, outcome);
  }
  async blob(descriptor, urgent) {
    const progress = this.options.progress;
    const needed = await this.checks(async () => {
      progress?.begin?.(descriptor, labelOf(descriptor));
      if (await this.destination.exists(descriptor)) {
        progress?.end?.(descriptor, "exists");
        this.done(descriptor, "skipped");
        return false;
      }
      if (canMount(this.destination) && await this.destination.mountBlob(descriptor, this.source)) {
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
        verified: true
      });
      this.stats.bytes += descriptor.size;
      progress?.end?.(descriptor, "done");
      this.done(descriptor, "copied");
    });
  }
  async manifest(descriptor, inArtifact) {
    if (this.options.recursive) this.spawn(this.walk(descriptor, inArtifact));
    const { present, bytes, subject } = await this.prepare(descriptor, inArtifact);
    if (!bytes) return this.done(descriptor, "skipped");
    if (present) {
      if (subject && !await this.indexedAtDestination(subject, descriptor))
        await this.store(descriptor, bytes);
      return this.done(descriptor, "skipped");
    }
    await this.store(descriptor, bytes);
    if (this.options.recursive) this.destination.referrersMode().catch(() => void 0);
    this.done(descriptor, "copied");
  }
  /** Pushes a manifest; its referrers-index update, if any, is awaited before anything is tagged. */
  async store(descriptor, bytes) {
    const { settled } = await this.destination.pushManifest(descriptor, bytes);
    if (settled) this.settling.push(settled);
  }
  /** Whether the destination lists `referrer` under `subject` (one listing per subject). */
  async indexedAtDestination(subject, referrer) {
    if (await this.destination.referrersMode() === "api") return true;
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
  prepare(descriptor, inArtifact) {
    let pending = this.prepared.get(descriptor.digest);
    if (!pending) {
      pending = (async () => {
        const [present, early] = await Promise.all([
          this.destination.exists(descriptor),
          this.options.recursive ? this.source.fetchManifest(descriptor) : void 0
        ]);
        if (present && !this.options.recursive) return { present };
        const { bytes, manifest } = early ?? await this.source.fetchManifest(descriptor);
        const below = present ? [] : successors(manifest).map((child) => this.node(child, inArtifact));
        if (this.options.recursive && isIndex(manifest)) {
          for (const d of manifest.manifests)
            if (isManifestMediaType(d.mediaType)) this.spawn(this.walk(d, inArtifact));
        }
        await Promise.all(below);
        return { present, bytes, ...manifest.subject ? { subject: manifest.subject } : {} };
      })();
      this.prepared.set(descriptor.digest, pending);
    }
    return pending;
  }
  /**
   * Copies the referrers of `subject` (once per subject), each after its subject: `stored`
   * resolves when the subject is at the destination (by default, its own node).
   */
  async walk(subject, inArtifact, stored = () => this.node(subject, inArtifact)) {
    const key = `${inArtifact ? "a" : "r"}${subject.digest}`;
    if (this.walked.has(key)) return;
    this.walked.add(key);
    const include = inArtifact ? [] : this.options.includeArtifactTypes ?? [];
    const exclude = this.options.excludeArtifactTypes ?? [];
    const found = await this.source.referrers(subject, {
      ...include.length ? { artifactTypes: include } : {},
      // the walk's node budget: a listing that alone passes it stops early
      limit: this.budget.remaining + 1,
      ahead: true
      // each referrer found is walked in turn
    });
    const wanted = [...new Map(found.map((d) => [d.digest, d])).values()].filter(
      (d) => d.digest !== subject.digest && (!d.artifactType || !exclude.includes(d.artifactType))
    );
    const where = `${this.source.name}@${subject.digest}`;
    for (const d of wanted) {
      if (this.listed.has(d.digest)) continue;
      this.listed.add(d.digest);
      this.budget.visit(d.digest, where);
      this.referrers.push(d);
    }
    const subjectStored = stored();
    const pushed = wanted.map(async (referrer) => {
      await Promise.all([subjectStored, this.prepare(referrer, true)]);
      await this.node(referrer, true);
    });
    wanted.forEach((referrer, i) => this.spawn(this.walk(referrer, true, () => pushed[i])));
    await Promise.all([subjectStored, ...pushed]);
  }
};
async function taggedAs(target, tag, digest) {
  try {
    return (await target.resolve(tag)).digest === digest;
  } catch (err) {
    if (err.code === "NOT_FOUND") return false;
    throw err;
  }
}

export {
  resolveRoot,
  DEFAULT_COPY_CONCURRENCY,
  copy
};
