/**
 * Media types and their specs.
 * https://github.com/opencontainers/image-spec/blob/v1.1.1/media-types.md
 */
export const MediaType = {
  ImageManifest: "application/vnd.oci.image.manifest.v1+json",
  ImageIndex: "application/vnd.oci.image.index.v1+json",
  ImageConfig: "application/vnd.oci.image.config.v1+json",
  Layer: "application/vnd.oci.image.layer.v1.tar",
  LayerGzip: "application/vnd.oci.image.layer.v1.tar+gzip",
  Empty: "application/vnd.oci.empty.v1+json",
  /** Withdrawn before OCI 1.1 final: read, never written. */
  ArtifactManifest: "application/vnd.oci.artifact.manifest.v1+json",
  DockerManifest: "application/vnd.docker.distribution.manifest.v2+json",
  DockerManifestList: "application/vnd.docker.distribution.manifest.list.v2+json",
  DockerConfig: "application/vnd.docker.container.image.v1+json",
  DockerLayerGzip: "application/vnd.docker.image.rootfs.diff.tar.gzip",
  /** ORAS's default layer type for a file without an explicit media type. */
  OrasDefaultFile: "application/vnd.oci.image.layer.v1.tar",
} as const;

export const MANIFEST_MEDIA_TYPES: readonly string[] = [
  MediaType.ImageManifest,
  MediaType.ImageIndex,
  MediaType.DockerManifest,
  MediaType.DockerManifestList,
  MediaType.ArtifactManifest,
];

export const INDEX_MEDIA_TYPES: readonly string[] = [MediaType.ImageIndex, MediaType.DockerManifestList];

/** The `Accept` header for manifest requests: every manifest kind we can read. */
export const MANIFEST_ACCEPT = MANIFEST_MEDIA_TYPES.join(", ");

export function isManifestMediaType(mediaType: string): boolean {
  return MANIFEST_MEDIA_TYPES.includes(mediaType);
}

export function isIndexMediaType(mediaType: string): boolean {
  return INDEX_MEDIA_TYPES.includes(mediaType);
}

/** The empty JSON descriptor's content: `{}`. */
export const EMPTY_JSON = Buffer.from("{}");

/**
 * RFC 6838 type/subtype, as image-spec's `artifactType` and `mediaType` require, with optional
 * `; name=value` parameters of token characters only (types come from registries too, and a
 * free-form parameter could carry log-command syntax).
 */
const RESTRICTED_NAME = "[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}";
const MEDIA_TYPE_PATTERN = new RegExp(
  `^${RESTRICTED_NAME}/${RESTRICTED_NAME}(?:\\s*;\\s*${RESTRICTED_NAME}=[A-Za-z0-9!#$&^_.+-]{1,127})*$`,
);

export function isValidMediaType(value: string): boolean {
  return MEDIA_TYPE_PATTERN.test(value);
}

/** Annotation keys the specs define. */
export const Annotation = {
  Title: "org.opencontainers.image.title",
  Created: "org.opencontainers.image.created",
  Source: "org.opencontainers.image.source",
  Revision: "org.opencontainers.image.revision",
  /** ORAS: the digest of the uncompressed tar of a directory layer. */
  OrasContentDigest: "io.deis.oras.content.digest",
  /** ORAS: "true" when the layer is a directory to unpack. */
  OrasContentUnpack: "io.deis.oras.content.unpack",
} as const;

/** Header names used by the distribution spec. */
export const Header = {
  ContentDigest: "docker-content-digest",
  OciSubject: "oci-subject",
  OciFiltersApplied: "oci-filters-applied",
  Location: "location",
  Link: "link",
  WwwAuthenticate: "www-authenticate",
  RetryAfter: "retry-after",
  Range: "range",
  ETag: "etag",
} as const;
