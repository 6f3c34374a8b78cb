import { createRequire as __ocigraphRequire } from "node:module"; import { fileURLToPath as __ocigraphPath } from "node:url"; import { dirname as __ocigraphDir } from "node:path"; const require = __ocigraphRequire(import.meta.url); const __filename = __ocigraphPath(import.meta.url); const __dirname = __ocigraphDir(__filename);

// src/oci/media-types.ts
var MediaType = {
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
  OrasDefaultFile: "application/vnd.oci.image.layer.v1.tar"
};
var MANIFEST_MEDIA_TYPES = [
  MediaType.ImageManifest,
  MediaType.ImageIndex,
  MediaType.DockerManifest,
  MediaType.DockerManifestList,
  MediaType.ArtifactManifest
];
var INDEX_MEDIA_TYPES = [MediaType.ImageIndex, MediaType.DockerManifestList];
var MANIFEST_ACCEPT = MANIFEST_MEDIA_TYPES.join(", ");
function isManifestMediaType(mediaType) {
  return MANIFEST_MEDIA_TYPES.includes(mediaType);
}
function isIndexMediaType(mediaType) {
  return INDEX_MEDIA_TYPES.includes(mediaType);
}
var EMPTY_JSON = Buffer.from("{}");
var RESTRICTED_NAME = "[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}";
var MEDIA_TYPE_PATTERN = new RegExp(
  `^${RESTRICTED_NAME}/${RESTRICTED_NAME}(?:\\s*;\\s*${RESTRICTED_NAME}=[A-Za-z0-9!#$&^_.+-]{1,127})*$`
);
function isValidMediaType(value) {
  return MEDIA_TYPE_PATTERN.test(value);
}
var Annotation = {
  Title: "org.opencontainers.image.title",
  Created: "org.opencontainers.image.created",
  Source: "org.opencontainers.image.source",
  Revision: "org.opencontainers.image.revision",
  /** ORAS: the digest of the uncompressed tar of a directory layer. */
  OrasContentDigest: "io.deis.oras.content.digest",
  /** ORAS: "true" when the layer is a directory to unpack. */
  OrasContentUnpack: "io.deis.oras.content.unpack"
};

export {
  MediaType,
  MANIFEST_ACCEPT,
  isManifestMediaType,
  isIndexMediaType,
  EMPTY_JSON,
  isValidMediaType,
  Annotation
};
