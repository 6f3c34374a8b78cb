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
  limiter
} from "./chunk-TFN2E52B.mjs";
import {
  isManifestMediaType
} from "./chunk-AEECXJOG.mjs";
import {
  OcigraphError
} from "./chunk-N65ZBPAW.mjs";

// src/graph/copy.ts
var DEFAULT_COPY_CONCURRENCY = 8;
async function copy(source, selector, destination, tags, options = {}) {
  const root = await resolveRoot(source, selector, options.platform);
  const copier = new Copier(
    source,
    destination,
    options,
    limiter(options.concurrency, DEFAULT_COPY_CONCURRENCY),
    new WalkBudget(options.maxNodes)
  );
  await copier.node(root);
  await copier.drain();
  await Promise.all(copier.settling);
  for (const tag of tags)
    if (!await taggedAs(destination, tag, root.digest)) await destination.tag(root, tag);
  return { root, ...copier.stats, referrers: copier.referrers };
}
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
  walked = /* @__PURE__ */ new Set();
  listed = /* @__PURE__ */ new Set();
  tasks = [];
  /** Referrers-index updates still confirming; all must settle before the copy reports or tags. */
  settling = [];
  /** Waits for every referrer walk, including those that walks start. */
  async drain() {
    while (this.tasks.length) await Promise.all(this.tasks.splice(0));
  }
  /**
   * Copies one node's content once, however many parents share it. `inArtifact` is true below
   * a referrer, where the include filter no longer applies.
   */
  node(descriptor, inArtifact = false) {
    let pending = this.work.get(descriptor.digest);
    if (!pending) {
      pending = isManifestMediaType(descriptor.mediaType) ? this.manifest(descriptor, inArtifact) : this.blob(descriptor);
      this.work.set(descriptor.digest, pending);
    }
    return pending;
  }
  done(descriptor, outcome) {
    this.stats[outcome]++;
    this.options.onNode?.(descriptor, outcome);
  }
  async blob(descriptor) {
    const progress = this.options.progress;
    await this.limit(async () => {
      progress?.begin?.(descriptor, labelOf(descriptor));
      if (await this.destination.exists(descriptor)) {
        progress?.end?.(descriptor, "exists");
        return this.done(descriptor, "skipped");
      }
      if (canMount(this.destination) && await this.destination.mountBlob(descriptor, this.source)) {
        progress?.end?.(descriptor, "mounted");
        return this.done(descriptor, "mounted");
      }
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
    const present = await this.destination.exists(descriptor);
    let children = [];
    if (!present || this.options.recursive) {
      const { bytes, manifest } = await this.source.fetchManifest(descriptor);
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
  async walk(subject, inArtifact) {
    const key = `${inArtifact ? "a" : "r"}${subject.digest}`;
    if (this.walked.has(key)) return;
    this.walked.add(key);
    const include = inArtifact ? [] : this.options.includeArtifactTypes ?? [];
    const exclude = this.options.excludeArtifactTypes ?? [];
    const found = await this.source.referrers(subject, {
      ...include.length ? { artifactTypes: include } : {},
      // the walk's node budget: a listing that alone passes it stops early
      limit: this.budget.remaining + 1
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
    await this.node(subject, inArtifact);
    await Promise.all(wanted.map((referrer) => this.node(referrer, true)));
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
  DEFAULT_COPY_CONCURRENCY,
  copy,
  resolveRoot
};
