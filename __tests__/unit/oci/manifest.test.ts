import {
  EMPTY_DIGEST,
  MAX_MANIFEST_BYTES,
  artifactTypeOf,
  isIndex,
  parseManifest,
  successors,
} from "../../../src/oci/manifest.js";
import { MediaType } from "../../../src/oci/media-types.js";

const D = (n: number): string => `sha256:${n.toString(16).padStart(64, "0")}`;
const layer = (n: number, mediaType: string = MediaType.Layer) => ({ mediaType, digest: D(n), size: n });

const ociManifest = {
  schemaVersion: 2,
  mediaType: MediaType.ImageManifest,
  artifactType: "application/spdx+json",
  config: { mediaType: MediaType.Empty, digest: EMPTY_DIGEST, size: 2 },
  layers: [layer(1), layer(2)],
  subject: { mediaType: MediaType.ImageManifest, digest: D(9), size: 9 },
  annotations: { "org.opencontainers.image.created": "2024-01-01T00:00:00Z" },
};

const ociIndex = {
  schemaVersion: 2,
  mediaType: MediaType.ImageIndex,
  manifests: [
    { ...layer(3, MediaType.ImageManifest), platform: { architecture: "amd64", os: "linux" } },
    { ...layer(4, MediaType.ImageManifest), artifactType: "a/b" },
  ],
};

const dockerManifest = {
  schemaVersion: 2,
  mediaType: MediaType.DockerManifest,
  config: { mediaType: MediaType.DockerConfig, digest: D(5), size: 5 },
  layers: [layer(6, MediaType.DockerLayerGzip)],
};

const dockerList = {
  schemaVersion: 2,
  mediaType: MediaType.DockerManifestList,
  manifests: [{ ...layer(7, MediaType.DockerManifest), platform: { architecture: "arm64", os: "linux" } }],
};

const artifactManifest = {
  mediaType: MediaType.ArtifactManifest,
  artifactType: "application/vnd.example.sig",
  blobs: [layer(8, "application/octet-stream")],
  subject: { mediaType: MediaType.ImageManifest, digest: D(9), size: 9 },
  annotations: { k: "v" },
};

const bytes = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

function failure(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (err) {
    return { code: (err as { code: string }).code, message: (err as Error).message };
  }
  throw new Error("expected a failure");
}

describe("parseManifest", () => {
  it("reads an OCI image manifest", () => {
    const m = parseManifest(bytes(ociManifest), MediaType.ImageManifest, "m");
    expect(m).toEqual(ociManifest);
    expect(isIndex(m)).toBe(false);
    expect(successors(m).map((d) => d.digest)).toEqual([EMPTY_DIGEST, D(1), D(2)]);
    expect(artifactTypeOf(m)).toBe("application/spdx+json");
  });

  it("reads an OCI index, also when served without a content type", () => {
    for (const served of [MediaType.ImageIndex, undefined]) {
      const m = parseManifest(bytes(ociIndex), served, "i");
      expect(isIndex(m)).toBe(true);
      expect(successors(m).map((d) => d.digest)).toEqual([D(3), D(4)]);
      expect(artifactTypeOf(m)).toBeUndefined();
    }
  });

  it("reads a Docker v2 manifest; its artifact type is the config type", () => {
    const m = parseManifest(bytes(dockerManifest), MediaType.DockerManifest, "d");
    expect(isIndex(m)).toBe(false);
    expect(m).toEqual(dockerManifest);
    expect(artifactTypeOf(m)).toBe(MediaType.DockerConfig);
  });

  it("reads a Docker manifest list as an index", () => {
    const m = parseManifest(bytes(dockerList), MediaType.DockerManifestList, "l");
    expect(isIndex(m)).toBe(true);
    expect(successors(m)).toEqual(dockerList.manifests);
  });

  it("reads an index without mediaType when served as one", () => {
    const { mediaType: _drop, ...bare } = ociIndex;
    expect(isIndex(parseManifest(bytes(bare), MediaType.ImageIndex, "i"))).toBe(true);
  });

  it("reads the withdrawn artifact manifest as an image manifest with the empty config", () => {
    const m = parseManifest(bytes(artifactManifest), MediaType.ArtifactManifest, "a");
    expect(m).toEqual({
      schemaVersion: 2,
      mediaType: MediaType.ArtifactManifest,
      artifactType: "application/vnd.example.sig",
      config: { mediaType: MediaType.Empty, digest: EMPTY_DIGEST, size: 2 },
      layers: artifactManifest.blobs,
      subject: artifactManifest.subject,
      annotations: { k: "v" },
    });
    // Without blobs it still reads, with no layers.
    const { blobs: _blobs, ...noBlobs } = artifactManifest;
    const bare = parseManifest(bytes(noBlobs), undefined, "a");
    expect(isIndex(bare) ? null : bare.layers).toEqual([]);
  });

  it("accepts a generic content type that disagrees with nothing", () => {
    expect(parseManifest(bytes(ociManifest), "application/json", "m")).toEqual(ociManifest);
  });

  it.each([
    ["a manifest served as an index", ociManifest, MediaType.ImageIndex, "served as"],
    ["an index served as a manifest", ociIndex, MediaType.ImageManifest, "served as"],
    ["an OCI manifest served as Docker", ociManifest, MediaType.DockerManifest, "served as"],
    ["schemaVersion 1", { ...dockerManifest, schemaVersion: 1 }, undefined, "schemaVersion"],
    ["no schemaVersion", { config: ociManifest.config, layers: [] }, undefined, "schemaVersion"],
    [
      "an index type without manifests",
      { schemaVersion: 2, mediaType: MediaType.ImageIndex },
      undefined,
      "manifests",
    ],
    ["no layers", { ...ociManifest, layers: undefined }, undefined, "layers"],
    ["no config", { ...ociManifest, config: undefined }, undefined, "descriptor"],
    [
      "a layer with a bad digest",
      { ...ociManifest, layers: [{ ...layer(1), digest: "sha256:abc" }] },
      undefined,
      "digest",
    ],
    [
      "a layer with a negative size",
      { ...ociManifest, layers: [{ ...layer(1), size: -1 }] },
      undefined,
      "size",
    ],
    [
      "a layer with a fractional size",
      { ...ociManifest, layers: [{ ...layer(1), size: 1.5 }] },
      undefined,
      "size",
    ],
    [
      "a layer without mediaType",
      { ...ociManifest, layers: [{ digest: D(1), size: 1 }] },
      undefined,
      "mediaType",
    ],
    [
      "a bad subject",
      { ...ociManifest, subject: { mediaType: "x/y", digest: "nope", size: 1 } },
      undefined,
      "digest",
    ],
    ["non-string annotations", { ...ociManifest, annotations: { k: 1 } }, undefined, "strings"],
    ["annotations as a list", { ...ociManifest, annotations: ["k"] }, undefined, "map"],
    ["a bad index entry", { ...ociIndex, manifests: [{ mediaType: "x/y" }] }, undefined, "digest"],
    ["a JSON array", [ociManifest], undefined, "not a JSON object"],
    ["JSON null", null, undefined, "not a JSON object"],
  ])("refuses %s", (_what, value, served, says) => {
    const err = failure(() => parseManifest(bytes(value), served, "label"));
    expect(err.code).toBe("INVALID_CONTENT");
    expect(err.message).toContain("label: ");
    expect(err.message).toContain(says);
  });

  it.each([["garbage"], [""], ["{"], ["\u0000\u0001binary"]])("refuses non-JSON %j", (text) => {
    const err = failure(() => parseManifest(Buffer.from(text), MediaType.ImageManifest, "g"));
    expect(err).toEqual({ code: "INVALID_CONTENT", message: "g: manifest is not valid JSON" });
  });

  it("refuses more than 4 MiB before parsing, and accepts exactly 4 MiB", () => {
    const padded = (total: number): Buffer => {
      const base = bytes({ ...ociManifest, annotations: { pad: "" } });
      const pad = "x".repeat(total - base.length);
      return bytes({ ...ociManifest, annotations: { pad } });
    };
    expect(padded(MAX_MANIFEST_BYTES)).toHaveLength(MAX_MANIFEST_BYTES);
    expect(() => parseManifest(padded(MAX_MANIFEST_BYTES), MediaType.ImageManifest, "big")).not.toThrow();
    const err = failure(() => parseManifest(padded(MAX_MANIFEST_BYTES + 1), MediaType.ImageManifest, "big"));
    expect(err.code).toBe("TOO_LARGE");
    expect(err.message).toContain("big: ");
    // Garbage over the cap is refused for its size, not parsed.
    expect(
      failure(() => parseManifest(Buffer.alloc(MAX_MANIFEST_BYTES + 1, 0x7b), undefined, "g")).code,
    ).toBe("TOO_LARGE");
  });
});
