import { OcigraphError } from "./errors.js";
import { type Digest, isDigest } from "./digest.js";
import { MediaType, isIndexMediaType, isManifestMediaType } from "./media-types.js";

/**
 * Descriptors, manifests and indexes as the image spec defines them.
 * https://github.com/opencontainers/image-spec/blob/v1.1.1/descriptor.md
 */
export interface Platform {
  architecture: string;
  os: string;
  "os.version"?: string;
  "os.features"?: string[];
  variant?: string;
}

export interface Descriptor {
  mediaType: string;
  digest: Digest;
  size: number;
  urls?: string[];
  annotations?: Record<string, string>;
  data?: string;
  platform?: Platform;
  artifactType?: string;
}

export interface ImageManifest {
  schemaVersion: 2;
  mediaType?: string;
  artifactType?: string;
  config: Descriptor;
  layers: Descriptor[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

export interface ImageIndex {
  schemaVersion: 2;
  mediaType?: string;
  artifactType?: string;
  manifests: Descriptor[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

export type Manifest = ImageManifest | ImageIndex;

/** Manifests larger than this are refused, as most registries do. */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

export function isIndex(manifest: Manifest): manifest is ImageIndex {
  return Array.isArray((manifest as ImageIndex).manifests);
}

/** The descriptors a manifest points at (its successors in the graph), subject excluded. */
export function successors(manifest: Manifest): Descriptor[] {
  if (isIndex(manifest)) return manifest.manifests;
  return [manifest.config, ...manifest.layers];
}

/** Artifact type of an image manifest as the referrers API reports it (falls back to config type). */
export function artifactTypeOf(manifest: Manifest): string | undefined {
  if (manifest.artifactType) return manifest.artifactType;
  if (!isIndex(manifest)) return manifest.config.mediaType;
  return undefined;
}

function fail(label: string, what: string): never {
  throw new OcigraphError("INVALID_CONTENT", `${label}: ${what}`);
}

function checkDescriptor(value: unknown, label: string): Descriptor {
  if (typeof value !== "object" || value === null) fail(label, "descriptor is not an object");
  const d = value as Record<string, unknown>;
  if (typeof d.mediaType !== "string") fail(label, "descriptor has no mediaType");
  if (typeof d.digest !== "string" || !isDigest(d.digest)) fail(label, "descriptor has no valid digest");
  if (typeof d.size !== "number" || !Number.isSafeInteger(d.size) || d.size < 0) {
    fail(label, "descriptor has no valid size");
  }
  if (d.annotations !== undefined) checkAnnotations(d.annotations, label);
  return value as Descriptor;
}

function checkAnnotations(value: unknown, label: string): void {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    fail(label, "annotations is not a map");
  for (const v of Object.values(value))
    if (typeof v !== "string") fail(label, "annotation values must be strings");
}

/**
 * Parses manifest bytes as served with `mediaType` (the Content-Type or descriptor's type).
 * Reads OCI manifests and indexes, Docker v2 manifests and lists, and the withdrawn artifact manifest.
 */
export function parseManifest(bytes: Uint8Array, mediaType: string | undefined, label: string): Manifest {
  if (bytes.length > MAX_MANIFEST_BYTES) {
    throw new OcigraphError("TOO_LARGE", `${label}: manifest is larger than 4 MiB`);
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch {
    fail(label, "manifest is not valid JSON");
  }
  if (typeof json !== "object" || json === null || Array.isArray(json))
    fail(label, "manifest is not a JSON object");
  const m = json as Record<string, unknown>;
  const declared = typeof m.mediaType === "string" ? m.mediaType : undefined;
  const type = declared ?? mediaType;
  if (declared && mediaType && isManifestMediaType(mediaType) && declared !== mediaType) {
    fail(label, `manifest says mediaType ${declared} but was served as ${mediaType}`);
  }
  if (m.subject !== undefined) checkDescriptor(m.subject, label);
  if (m.annotations !== undefined) checkAnnotations(m.annotations, label);
  if (type === MediaType.ArtifactManifest) {
    // Read the withdrawn artifact manifest as an image manifest with the empty config.
    const blobs = Array.isArray(m.blobs) ? m.blobs.map((b) => checkDescriptor(b, label)) : [];
    return {
      schemaVersion: 2,
      mediaType: MediaType.ArtifactManifest,
      ...(typeof m.artifactType === "string" ? { artifactType: m.artifactType } : {}),
      config: { mediaType: MediaType.Empty, digest: EMPTY_DIGEST, size: 2 },
      layers: blobs,
      ...(m.subject ? { subject: m.subject as Descriptor } : {}),
      ...(m.annotations ? { annotations: m.annotations as Record<string, string> } : {}),
    };
  }
  if (m.schemaVersion !== 2) fail(label, "manifest schemaVersion is not 2");
  if (Array.isArray(m.manifests) || (type !== undefined && isIndexMediaType(type))) {
    if (!Array.isArray(m.manifests)) fail(label, "index has no manifests list");
    m.manifests.forEach((d) => checkDescriptor(d, label));
    return json as ImageIndex;
  }
  checkDescriptor(m.config, label);
  if (!Array.isArray(m.layers)) fail(label, "manifest has no layers list");
  m.layers.forEach((d) => checkDescriptor(d, label));
  return json as ImageManifest;
}

/** sha256 of `{}`, the empty descriptor's digest. */
export const EMPTY_DIGEST = "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";

export const EMPTY_DESCRIPTOR: Descriptor = {
  mediaType: MediaType.Empty,
  digest: EMPTY_DIGEST,
  size: 2,
  data: "e30=",
};

/** Canonical bytes for a manifest we write: compact JSON, key order as constructed. */
export function encodeManifest(manifest: Manifest): Buffer {
  return Buffer.from(JSON.stringify(manifest));
}

/** A descriptor for manifest bytes. */
export function manifestDescriptor(manifest: Manifest, bytes: Uint8Array, digest: Digest): Descriptor {
  const mediaType =
    manifest.mediaType ?? (isIndex(manifest) ? MediaType.ImageIndex : MediaType.ImageManifest);
  return {
    mediaType,
    digest,
    size: bytes.length,
    ...(manifest.artifactType || !isIndex(manifest) ? { artifactType: artifactTypeOf(manifest) } : {}),
    ...(manifest.annotations && Object.keys(manifest.annotations).length
      ? { annotations: manifest.annotations }
      : {}),
  };
}
