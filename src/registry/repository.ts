import type { Readable } from "node:stream";
import type { Descriptor } from "../oci/manifest.js";
import { manifestDescriptor, parseManifest } from "../oci/manifest.js";
import { isManifestMediaType } from "../oci/media-types.js";
import { isDigest, verifyBytes } from "../oci/digest.js";
import { filterByArtifactType } from "../oci/referrers-index.js";
import {
  DEFAULT_MAX_LISTED,
  type BlobContent,
  type FetchedManifest,
  type ManifestMetadataApi,
  type ManifestMetadataHolder,
  type Mounter,
  type PushManifestResult,
  type ReferrersMode,
  type ReferrersQuery,
  type Target,
  type Untagger,
} from "../oci/target.js";
import { OcigraphError } from "../oci/errors.js";
import { repositoryScope } from "../auth/scope.js";
import type { RegistryClient } from "./client.js";
import type { RepositoryContext } from "./context.js";
import { blobExists, fetchBlob, mountBlob, pushBlob } from "./blobs.js";
import { deleteManifest, fetchManifest, putManifest, resolveManifest } from "./manifests.js";
import { DEFAULT_FALLBACK_TIMING, type FallbackState, type FallbackTiming } from "./fallback-update.js";
import { deleteFallbackIndex, listReferrersApi, readFallbackIndex } from "./referrers.js";
import { type FallbackObserver, FallbackWriter } from "./fallback-writer.js";
import { listTags } from "./tags.js";
import { probeAcrMetadata } from "./acr-metadata.js";
import { ManifestCache } from "./manifest-cache.js";
import { checkReferrers } from "./referrer-check.js";
import { ListingPrefetch } from "./listing-prefetch.js";

export interface RemoteTargetOptions {
  /** PATCH chunk size in bytes for blob uploads; 0 (default) uploads in one PUT. */
  chunkSize?: number;
  fallbackTiming?: FallbackTiming;
  /** Receives one line per forged referrer entry ignored (each digest once). */
  onWarning?: (message: string) => void;
  /** Told about each tag-schema index update when it ends (tests count windows with it). */
  onFallbackUpdate?: FallbackObserver;
}

/**
 * One repository on a registry as a Target. Referrers are indexed the way the registry
 * supports: natively (the manifest PUT answers `OCI-Subject`, or the referrers API answers),
 * or through the tag-schema fallback, updated safely against concurrent writers.
 */
export class RemoteTarget implements Target, Mounter, Untagger, ManifestMetadataHolder {
  readonly name: string;
  private readonly ctx: RepositoryContext;
  private mode: ReferrersMode | undefined;
  private probing: Promise<ReferrersMode> | undefined;
  private readonly fallback: FallbackState = { ifMatchHonoured: undefined };
  private readonly writer: FallbackWriter;
  private metadata: Promise<ManifestMetadataApi | undefined> | undefined;
  /** Manifests by digest, for this command: a subject check and a copy share one GET. */
  private readonly manifests = new ManifestCache();
  private readonly warned = new Set<string>();
  /** Referrer listings started while the walk checks the level above (one level ahead). */
  private readonly prefetch = new ListingPrefetch((subject, types, limit) =>
    this.listAhead(subject, types, limit),
  );
  private readonly onWarning: ((message: string) => void) | undefined;

  constructor(client: RegistryClient, repository: string, options: RemoteTargetOptions = {}) {
    this.name = `${client.host}/${repository}`;
    this.ctx = {
      client,
      repository,
      name: this.name,
      chunkSize: options.chunkSize ?? 0,
      uploads: { singlePost: undefined },
    };
    this.onWarning = options.onWarning;
    this.writer = new FallbackWriter(
      this.ctx,
      this.fallback,
      options.fallbackTiming ?? DEFAULT_FALLBACK_TIMING,
      options.onFallbackUpdate,
    );
  }

  get registryHost(): string {
    return this.ctx.client.host;
  }

  get repository(): string {
    return this.ctx.repository;
  }

  resolve(selector: string): Promise<Descriptor> {
    return resolveManifest(this.ctx, selector);
  }

  async fetchManifest(selector: Descriptor | string): Promise<FetchedManifest> {
    const get = async (): Promise<FetchedManifest> => {
      const { descriptor, bytes, manifest } = await fetchManifest(this.ctx, selector);
      return { descriptor, bytes, manifest };
    };
    const digest = typeof selector === "string" ? selector : selector.digest;
    return isDigest(digest) ? this.manifests.get(digest, get) : get();
  }

  fetchBlob(descriptor: Descriptor): Promise<Readable> {
    return fetchBlob(this.ctx, descriptor);
  }

  async exists(descriptor: Descriptor): Promise<boolean> {
    if (isManifestMediaType(descriptor.mediaType)) {
      try {
        await resolveManifest(this.ctx, descriptor.digest);
        return true;
      } catch (err) {
        if ((err as { code?: string }).code === "NOT_FOUND") return false;
        throw err;
      }
    }
    return blobExists(this.ctx, descriptor);
  }

  /** Uploads the blob; callers that may already have it ask `exists` first (copy, attach). */
  pushBlob(descriptor: Descriptor, content: BlobContent): Promise<void> {
    return pushBlob(this.ctx, descriptor, content);
  }

  async mountBlob(descriptor: Descriptor, source: Target): Promise<boolean> {
    if (!(source instanceof RemoteTarget) || source.registryHost !== this.registryHost) return false;
    if (source.repository === this.repository) return false;
    return mountBlob(this.ctx, descriptor, source.repository);
  }

  async pushManifest(descriptor: Descriptor, bytes: Buffer, tag?: string): Promise<PushManifestResult> {
    this.prefetch.clear(); // a listing made before a write may miss it once the write settles
    verifyBytes(bytes, descriptor.digest, descriptor.size, `push to ${this.name}`);
    const manifest = parseManifest(bytes, descriptor.mediaType, `push to ${this.name}`);
    const outcome = await putManifest(this.ctx, descriptor, bytes, descriptor.digest);
    // Tagging it later (the end of a copy) needs its bytes: no GET for what was just sent.
    this.manifests.remember(descriptor.digest, { descriptor, bytes, manifest });
    if (manifest.subject) {
      if (outcome.subjectIndexed) this.mode = "api";
      if ((await this.referrersMode(manifest.subject.digest)) === "tag-schema") {
        // Joins the update of this subject's index already running, if any (one window for all).
        const { inPlace, settled } = this.writer.add(
          manifest.subject.digest,
          manifestDescriptor(manifest, bytes, descriptor.digest),
        );
        // Return once the manifest is stored: the index update runs on (`settled` reports its
        // end and any failure), so a copy pushes the next level and overlaps the updates and
        // windows of many subjects instead of waiting them out one by one. A listing meanwhile
        // sees the entry through the writer's overlay. A tag waits for the entry to be in place.
        if (tag) {
          await inPlace;
          await putManifest(this.ctx, descriptor, bytes, tag);
        } else inPlace.catch(() => undefined); // a failure is `settled`'s to report
        return { descriptor, settled };
      }
    }
    if (tag) await putManifest(this.ctx, descriptor, bytes, tag);
    return { descriptor };
  }

  async tag(descriptor: Descriptor, tag: string): Promise<void> {
    this.prefetch.clear();
    const { bytes } = await this.fetchManifest(descriptor);
    await putManifest(this.ctx, descriptor, bytes, tag);
  }

  /**
   * Takes the manifest out of its subject's fallback index first, then deletes it, so the
   * index never lists a manifest that is gone (distribution refuses to store such an index).
   */
  async deleteManifest(descriptor: Descriptor): Promise<void> {
    this.prefetch.clear();
    let subject: string | undefined;
    try {
      const fetched = await fetchManifest(this.ctx, descriptor);
      subject = fetched.manifest.subject?.digest;
    } catch (err) {
      if ((err as { code?: string }).code !== "NOT_FOUND") throw err;
    }
    if (subject && (await this.referrersMode(subject)) === "tag-schema") {
      await this.writer.remove(subject, descriptor.digest);
    }
    await deleteManifest(this.ctx, descriptor);
    // A deleted subject's own fallback index has nothing left to describe.
    if ((await this.referrersMode(descriptor.digest)) === "tag-schema") {
      await deleteFallbackIndex(this.ctx, descriptor.digest);
    }
  }

  async untag(tag: string): Promise<void> {
    this.prefetch.clear();
    const res = await this.ctx.client.request({
      method: "DELETE",
      path: `/v2/${this.repository}/manifests/${tag}`,
      scopes: [repositoryScope(this.repository, ["delete"])],
    });
    await res.body.dump().catch(() => undefined);
    if (res.status >= 300 && res.status !== 404) {
      throw new OcigraphError(
        "UNSUPPORTED",
        `${this.name}:${tag}: the registry refused to remove the tag (${res.status})`,
      );
    }
  }

  listTags(): Promise<string[]> {
    return listTags(this.ctx);
  }

  /** ACR's `/acr/v1` manifest metadata API, probed once; undefined on other registries. */
  manifestMetadata(): Promise<ManifestMetadataApi | undefined> {
    this.metadata ??= probeAcrMetadata(this.ctx);
    this.metadata.catch(() => (this.metadata = undefined));
    return this.metadata;
  }

  async referrers(subject: Descriptor, query: ReferrersQuery = {}): Promise<Descriptor[]> {
    const limit = query.limit ?? DEFAULT_MAX_LISTED;
    const listed = await this.listed(subject.digest, query.artifactTypes, limit);
    if (query.ahead) {
      // The walk will list these next: start now, in parallel with their checks below.
      const next = listed.filter(
        (d) =>
          d.digest !== subject.digest &&
          // a claimed type that the filter drops will not be walked (the check may still find
          // it matches after all; its listing is then simply made on demand)
          (!query.artifactTypes?.length || !d.artifactType || query.artifactTypes.includes(d.artifactType)),
      );
      this.prefetch.start(
        next.map((d) => d.digest),
        query.artifactTypes,
        limit,
      );
    }
    // The type is read from each manifest (some registries report the config type instead),
    // so the filter applies after the check, whatever the registry claimed to have filtered.
    const checked = await checkReferrers(listed, subject.digest, {
      fetch: (d) => this.fetchManifest(d),
      forged: (digest, why) => this.warnForged(subject.digest, digest, why),
    });
    return filterByArtifactType(checked, query.artifactTypes);
  }

  /** What the registry lists as referrers of `subject` (unchecked), prefetched or asked now. */
  private async listed(
    subject: string,
    artifactTypes: readonly string[] | undefined,
    limit: number,
  ): Promise<Descriptor[]> {
    const early = await this.prefetch.take(subject, artifactTypes);
    // Past the limit now (the walk visited more meanwhile): list again, for the usual error.
    let listed = early && early.length <= limit ? early : undefined;
    if (!listed && this.mode !== "tag-schema") {
      const answer = await listReferrersApi(this.ctx, subject, artifactTypes, limit);
      if (answer.supported) {
        this.mode = "api";
        listed = answer.referrers;
      } else {
        this.mode = "tag-schema";
      }
    }
    if (this.mode === "tag-schema") {
      // Overlaid again when taken: a change of ours that settled after the early read stays in.
      listed = listed ? this.writer.overlay(subject, listed) : await this.fallbackListing(subject);
      checkListedCount(this.ctx.name, subject, listed.length, limit);
    }
    return listed ?? [];
  }

  /** One listing made ahead of the walk: the registry's claim with our unsettled changes, unchecked. */
  private async listAhead(
    subject: string,
    artifactTypes: readonly string[] | undefined,
    limit: number,
  ): Promise<Descriptor[] | undefined> {
    if (this.mode === "api") {
      const answer = await listReferrersApi(this.ctx, subject, artifactTypes, limit);
      return answer.supported ? answer.referrers : undefined;
    }
    return this.mode === "tag-schema" ? this.fallbackListing(subject) : undefined;
  }

  /**
   * The fallback index's entries for `subject`, with this process's own changes still settling
   * counted as made (the update restores them if another writer's stale write dropped them).
   */
  private async fallbackListing(subject: string): Promise<Descriptor[]> {
    const listed = (await readFallbackIndex(this.ctx, subject))?.index.manifests ?? [];
    return this.writer.overlay(subject, listed);
  }

  private warnForged(subject: string, digest: string, why: string): void {
    if (this.warned.has(digest)) return;
    this.warned.add(digest);
    this.onWarning?.(`${this.name}: ignoring ${digest}, listed as a referrer of ${subject}: ${why}`);
  }

  /** Detects the mode with a referrers ping on `subject` (any digest works) when not yet known. */
  async referrersMode(subject?: string): Promise<ReferrersMode> {
    if (this.mode) return this.mode;
    // One ping however many pushes ask at once (a copy pushes many referrers side by side).
    this.probing ??= (async () => {
      const probe = subject ?? "sha256:" + "0".repeat(64);
      const answer = await listReferrersApi(this.ctx, probe, undefined);
      this.mode ??= answer.supported ? "api" : "tag-schema";
      return this.mode;
    })().finally(() => (this.probing = undefined));
    return this.probing;
  }
}

/** A fallback index listing more than the walk may visit is refused before anything is fetched. */
function checkListedCount(name: string, subject: string, count: number, limit: number): void {
  if (count > limit) {
    throw new OcigraphError(
      "TOO_LARGE",
      `${name}: the referrers index of ${subject} lists ${count} entries, more than the limit of ${limit}`,
      { hint: "raise --max-nodes (input max-nodes) if this graph is really that large" },
    );
  }
}
