import type { Readable } from "node:stream";
import type { Descriptor, Manifest } from "./manifest.js";

/**
 * Content to push that can be opened again: a retry after a consumed stream re-opens it
 * instead of re-sending half a body.
 */
export interface BlobContent {
  open(): Readable | Promise<Readable>;
  /**
   * The stream already fails unless its bytes match the descriptor (a verified fetch from
   * another target), so the receiver need not hash it a second time.
   */
  verified?: boolean;
}

export interface FetchedManifest {
  descriptor: Descriptor;
  bytes: Buffer;
  manifest: Manifest;
}

/** How a target indexes referrers: natively (API / layout scan) or through the tag-schema fallback. */
export type ReferrersMode = "api" | "tag-schema" | "layout";

export interface PushManifestResult {
  descriptor: Descriptor;
  /**
   * Resolves when the referrer is safely indexed (the tag-schema fallback keeps confirming for
   * a settle window after the entry first appears). Present only when there is such a wait;
   * callers must await it before they report success or tag anything that relies on it.
   */
  settled?: Promise<void>;
}

export interface ReferrersQuery {
  /** Only referrers with this artifactType; empty means all. */
  artifactTypes?: readonly string[];
  /**
   * Most entries a listing may hold (the walk's remaining node budget); beyond it the target
   * stops reading and throws TOO_LARGE. Unset: {@link DEFAULT_MAX_LISTED}.
   */
  limit?: number;
  /**
   * The caller will go on to list the referrers of what this returns (a walk): a target may
   * start those listings now, while it checks this one's entries. Unset: no such guess.
   */
  ahead?: boolean;
}

/** Most referrers one listing may hold when the caller sets no limit. */
export const DEFAULT_MAX_LISTED = 10_000;

/**
 * One place that stores OCI content: a remote repository or an OCI image layout directory.
 * Every graph operation (attach, discover, pull, copy, delete) is written against this.
 * Modelled on oras-go's content.Storage / registry.Repository, with referrers handling built
 * in: pushing a manifest with a `subject` indexes it the way the target supports.
 */
export interface Target {
  /** Human-readable name used in messages, e.g. `localhost:5000/net-monitor`. */
  readonly name: string;

  /** Resolves a tag or digest to the manifest's descriptor. NOT_FOUND when absent. */
  resolve(selector: string): Promise<Descriptor>;

  /** Fetches and verifies a manifest by descriptor, tag or digest (capped at 4 MiB). */
  fetchManifest(selector: Descriptor | string): Promise<FetchedManifest>;

  /** A stream of the blob's bytes that fails with DIGEST_MISMATCH unless they match. */
  fetchBlob(descriptor: Descriptor): Promise<Readable>;

  /** Whether the blob or manifest is present. */
  exists(descriptor: Descriptor): Promise<boolean>;

  /** Pushes a blob (ask `exists` first to skip one already present). */
  pushBlob(descriptor: Descriptor, content: BlobContent): Promise<void>;

  /**
   * Pushes manifest bytes (by digest, and under `tag` when given). A manifest with a subject
   * is indexed as a referrer of it (API, tag-schema fallback, or layout scan).
   */
  pushManifest(descriptor: Descriptor, bytes: Buffer, tag?: string): Promise<PushManifestResult>;

  /** Points `tag` at an existing manifest. */
  tag(descriptor: Descriptor, tag: string): Promise<void>;

  /** Deletes a manifest and removes it from its subject's referrers index. */
  deleteManifest(descriptor: Descriptor): Promise<void>;

  /** Tags of the repository (all pages). */
  listTags(): Promise<string[]>;

  /**
   * Referrers of `subject`, filtered by artifact type. Only manifests whose own `subject` is
   * `subject` are returned (a listing is a claim anyone with push rights can forge), described
   * by their own artifact type and annotations.
   */
  referrers(subject: Descriptor, query?: ReferrersQuery): Promise<Descriptor[]>;

  /** How this target indexes referrers (known after the first referrers call or push). */
  referrersMode(): Promise<ReferrersMode>;
}

/**
 * Optional power: make a blob of `source` appear here without sending its bytes (a
 * cross-repository mount). False when `source` is elsewhere or the registry declined; the
 * caller then streams the blob.
 */
export interface Mounter {
  mountBlob(descriptor: Descriptor, source: Target): Promise<boolean>;
}

export function canMount(target: Target): target is Target & Mounter {
  return typeof (target as Partial<Mounter>).mountBlob === "function";
}

/**
 * Optional power: remove a tag without deleting the manifest. Some registries keep tags on a
 * manifest deleted by digest (go-containerregistry's); delete uses this to leave none behind.
 */
export interface Untagger {
  untag(tag: string): Promise<void>;
}

export function canUntag(target: Target): target is Target & Untagger {
  return typeof (target as Partial<Untagger>).untag === "function";
}

/**
 * A manifest's lock: Azure Container Registry's `changeableAttributes`. `writeEnabled: false`
 * refuses overwrites and deletes, `deleteEnabled: false` refuses deletes; absent means unknown.
 */
export interface ManifestAttributes {
  deleteEnabled?: boolean;
  writeEnabled?: boolean;
  readEnabled?: boolean;
  listEnabled?: boolean;
}

/** One manifest as a registry's own metadata API describes it. */
export interface ManifestRecord {
  digest: string;
  tags: string[];
  mediaType?: string;
  size?: number;
  /** ISO 8601 as the registry wrote it. */
  createdTime?: string;
  lastUpdateTime?: string;
  attributes: ManifestAttributes;
}

/** What a registry with a manifest metadata API (ACR's `/acr/v1`) can do. */
export interface ManifestMetadataApi {
  /** Every manifest of the repository, tagged or not (all pages). */
  list(): Promise<ManifestRecord[]>;
  get(digest: string): Promise<ManifestRecord>;
  /** Sets the given attributes (the others keep their value) and returns the record after. */
  update(digest: string, attributes: ManifestAttributes): Promise<ManifestRecord>;
}

/**
 * Optional power: the registry's manifest metadata API. Resolves to undefined when the
 * registry has none (anything but ACR); the caller then walks the graph instead, or refuses.
 */
export interface ManifestMetadataHolder {
  manifestMetadata(): Promise<ManifestMetadataApi | undefined>;
}

export function hasManifestMetadata(target: Target): target is Target & ManifestMetadataHolder {
  return typeof (target as Partial<ManifestMetadataHolder>).manifestMetadata === "function";
}

/** Optional power: the roots a store lists itself (an OCI layout's `index.json` entries). */
export interface RootLister {
  listRoots(): Promise<{ descriptor: Descriptor; tag?: string }[]>;
}

export function canListRoots(target: Target): target is Target & RootLister {
  return typeof (target as Partial<RootLister>).listRoots === "function";
}
