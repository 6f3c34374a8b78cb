import { createRequire as __ocigraphRequire } from "node:module"; import { fileURLToPath as __ocigraphPath } from "node:url"; import { dirname as __ocigraphDir } from "node:path"; const require = __ocigraphRequire(import.meta.url); const __filename = __ocigraphPath(import.meta.url); const __dirname = __ocigraphDir(__filename);
import {
  MediaType,
  isIndexMediaType,
  isManifestMediaType
} from "./chunk-AEECXJOG.mjs";
import {
  OcigraphError
} from "./chunk-N65ZBPAW.mjs";

// src/oci/digest.ts
import { createHash } from "node:crypto";
import { Transform, pipeline } from "node:stream";
var ENCODED_LENGTH = { sha256: 64, sha512: 128 };
var DIGEST_PATTERN = /^([a-z0-9]+(?:[+._-][a-z0-9]+)*):([a-zA-Z0-9=_-]+)$/;
function parseDigest(digest) {
  const match = DIGEST_PATTERN.exec(digest);
  if (!match)
    throw new OcigraphError("INVALID_INPUT", `"${digest}" is not a digest (expected sha256:<hex>)`, {
      usage: true
    });
  const algorithm = match[1];
  const encoded = match[2];
  if (algorithm !== "sha256" && algorithm !== "sha512") {
    throw new OcigraphError(
      "UNSUPPORTED",
      `digest algorithm "${algorithm}" is not supported (use sha256 or sha512)`
    );
  }
  if (encoded.length !== ENCODED_LENGTH[algorithm] || !/^[a-f0-9]+$/.test(encoded)) {
    throw new OcigraphError("INVALID_INPUT", `"${digest}" is not a valid ${algorithm} digest`, {
      usage: true
    });
  }
  return { algorithm, encoded };
}
function isDigest(value) {
  try {
    parseDigest(value);
    return true;
  } catch {
    return false;
  }
}
function digestOf(data, algorithm = "sha256") {
  return `${algorithm}:${createHash(algorithm).update(data).digest("hex")}`;
}
var VerifyingStream = class extends Transform {
  constructor(digest, size, label) {
    super();
    this.digest = digest;
    this.size = size;
    this.label = label;
    this.expected = parseDigest(digest);
    this.hash = createHash(this.expected.algorithm);
  }
  digest;
  size;
  label;
  hash;
  expected;
  received = 0;
  _transform(chunk, _enc, callback) {
    this.received += chunk.length;
    if (this.size !== void 0 && this.received > this.size) {
      callback(
        new OcigraphError(
          "DIGEST_MISMATCH",
          `${this.label}: received more than the expected ${this.size} bytes for ${this.digest}`
        )
      );
      return;
    }
    this.hash.update(chunk);
    callback(null, chunk);
  }
  _flush(callback) {
    if (this.size !== void 0 && this.received !== this.size) {
      callback(
        new OcigraphError(
          "DIGEST_MISMATCH",
          `${this.label}: received ${this.received} bytes, expected ${this.size} for ${this.digest}`
        )
      );
      return;
    }
    const actual = this.hash.digest("hex");
    if (actual !== this.expected.encoded) {
      callback(
        new OcigraphError(
          "DIGEST_MISMATCH",
          `${this.label}: content does not match ${this.digest} (got ${this.expected.algorithm}:${actual})`
        )
      );
      return;
    }
    callback();
  }
};
function verifyBytes(data, digest, size, label) {
  const { algorithm } = parseDigest(digest);
  if (size !== void 0 && data.length !== size) {
    throw new OcigraphError(
      "DIGEST_MISMATCH",
      `${label}: got ${data.length} bytes, expected ${size} for ${digest}`
    );
  }
  const actual = digestOf(data, algorithm);
  if (actual !== digest) {
    throw new OcigraphError("DIGEST_MISMATCH", `${label}: content does not match ${digest} (got ${actual})`);
  }
}
function verifiedStream(source, digest, size, label) {
  return pipeline(source, new VerifyingStream(digest, size, label), () => void 0);
}

// src/oci/manifest.ts
var MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
function isIndex(manifest) {
  return Array.isArray(manifest.manifests);
}
function successors(manifest) {
  if (isIndex(manifest)) return manifest.manifests;
  return [manifest.config, ...manifest.layers];
}
function artifactTypeOf(manifest) {
  if (manifest.artifactType) return manifest.artifactType;
  if (!isIndex(manifest)) return manifest.config.mediaType;
  return void 0;
}
function fail(label, what) {
  throw new OcigraphError("INVALID_CONTENT", `${label}: ${what}`);
}
function checkDescriptor(value, label) {
  if (typeof value !== "object" || value === null) fail(label, "descriptor is not an object");
  const d = value;
  if (typeof d.mediaType !== "string") fail(label, "descriptor has no mediaType");
  if (typeof d.digest !== "string" || !isDigest(d.digest)) fail(label, "descriptor has no valid digest");
  if (typeof d.size !== "number" || !Number.isSafeInteger(d.size) || d.size < 0) {
    fail(label, "descriptor has no valid size");
  }
  if (d.annotations !== void 0) checkAnnotations(d.annotations, label);
  return value;
}
function checkAnnotations(value, label) {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    fail(label, "annotations is not a map");
  for (const v of Object.values(value))
    if (typeof v !== "string") fail(label, "annotation values must be strings");
}
function parseManifest(bytes, mediaType, label) {
  if (bytes.length > MAX_MANIFEST_BYTES) {
    throw new OcigraphError("TOO_LARGE", `${label}: manifest is larger than 4 MiB`);
  }
  let json;
  try {
    json = JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch {
    fail(label, "manifest is not valid JSON");
  }
  if (typeof json !== "object" || json === null || Array.isArray(json))
    fail(label, "manifest is not a JSON object");
  const m = json;
  const declared = typeof m.mediaType === "string" ? m.mediaType : void 0;
  const type = declared ?? mediaType;
  if (declared && mediaType && isManifestMediaType(mediaType) && declared !== mediaType) {
    fail(label, `manifest says mediaType ${declared} but was served as ${mediaType}`);
  }
  if (m.subject !== void 0) checkDescriptor(m.subject, label);
  if (m.annotations !== void 0) checkAnnotations(m.annotations, label);
  if (type === MediaType.ArtifactManifest) {
    const blobs = Array.isArray(m.blobs) ? m.blobs.map((b) => checkDescriptor(b, label)) : [];
    return {
      schemaVersion: 2,
      mediaType: MediaType.ArtifactManifest,
      ...typeof m.artifactType === "string" ? { artifactType: m.artifactType } : {},
      config: { mediaType: MediaType.Empty, digest: EMPTY_DIGEST, size: 2 },
      layers: blobs,
      ...m.subject ? { subject: m.subject } : {},
      ...m.annotations ? { annotations: m.annotations } : {}
    };
  }
  if (m.schemaVersion !== 2) fail(label, "manifest schemaVersion is not 2");
  if (Array.isArray(m.manifests) || type !== void 0 && isIndexMediaType(type)) {
    if (!Array.isArray(m.manifests)) fail(label, "index has no manifests list");
    m.manifests.forEach((d) => checkDescriptor(d, label));
    return json;
  }
  checkDescriptor(m.config, label);
  if (!Array.isArray(m.layers)) fail(label, "manifest has no layers list");
  m.layers.forEach((d) => checkDescriptor(d, label));
  return json;
}
var EMPTY_DIGEST = "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";
var EMPTY_DESCRIPTOR = {
  mediaType: MediaType.Empty,
  digest: EMPTY_DIGEST,
  size: 2,
  data: "e30="
};
function encodeManifest(manifest) {
  return Buffer.from(JSON.stringify(manifest));
}
function manifestDescriptor(manifest, bytes, digest) {
  const mediaType = manifest.mediaType ?? (isIndex(manifest) ? MediaType.ImageIndex : MediaType.ImageManifest);
  return {
    mediaType,
    digest,
    size: bytes.length,
    ...manifest.artifactType || !isIndex(manifest) ? { artifactType: artifactTypeOf(manifest) } : {},
    ...manifest.annotations && Object.keys(manifest.annotations).length ? { annotations: manifest.annotations } : {}
  };
}

export {
  parseDigest,
  isDigest,
  digestOf,
  VerifyingStream,
  verifyBytes,
  verifiedStream,
  MAX_MANIFEST_BYTES,
  isIndex,
  successors,
  parseManifest,
  EMPTY_DESCRIPTOR,
  encodeManifest,
  manifestDescriptor
};
