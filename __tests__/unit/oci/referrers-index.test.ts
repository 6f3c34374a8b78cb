import type { Descriptor, ImageIndex } from "../../../src/oci/manifest.js";
import {
  addReferrers,
  emptyReferrersIndex,
  fallbackTag,
  filterByArtifactType,
  hasReferrer,
  removeReferrers,
} from "../../../src/oci/referrers-index.js";

const HEX64 = "0123456789abcdef".repeat(4);
const HEX128 = "fedcba9876543210".repeat(8);

function desc(n: number, artifactType?: string, extra: Partial<Descriptor> = {}): Descriptor {
  return {
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    digest: `sha256:${n.toString(16).padStart(64, "0")}`,
    size: 100 + n,
    ...(artifactType ? { artifactType } : {}),
    ...extra,
  };
}

describe("fallbackTag", () => {
  it("is <alg>-<hex> for sha256", () => {
    expect(fallbackTag(`sha256:${HEX64}`)).toBe(`sha256-${HEX64}`);
  });

  it("truncates a sha512 hex to 64 characters", () => {
    const tag = fallbackTag(`sha512:${HEX128}`);
    expect(tag).toBe(`sha512-${HEX128.slice(0, 64)}`);
    expect(tag).toHaveLength(7 + 64);
  });

  it("refuses what is not a digest", () => {
    expect(() => fallbackTag("sha256:abc")).toThrow(expect.objectContaining({ code: "INVALID_INPUT" }));
  });
});

describe("referrers index edits", () => {
  it("starts as an empty OCI index", () => {
    expect(emptyReferrersIndex()).toEqual({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.index.v1+json",
      manifests: [],
    });
  });

  it("adds in order and dedupes by digest, replacing in place", () => {
    const base: ImageIndex = { ...emptyReferrersIndex(), manifests: [desc(1, "a/x"), desc(2, "b/x")] };
    const replacement = desc(1, "a/x", { annotations: { k: "v" } });
    const next = addReferrers(base, [desc(3, "c/x"), replacement, desc(3, "c/x")]);
    expect(next.manifests).toEqual([replacement, desc(2, "b/x"), desc(3, "c/x")]);
    // The input is not modified.
    expect(base.manifests).toEqual([desc(1, "a/x"), desc(2, "b/x")]);
    expect(next.mediaType).toBe("application/vnd.oci.image.index.v1+json");
  });

  it("dedupes entries that were already duplicated in what was read", () => {
    const base: ImageIndex = { ...emptyReferrersIndex(), manifests: [desc(1), desc(1), desc(2)] };
    expect(addReferrers(base, []).manifests.map((d) => d.size)).toEqual([101, 102]);
  });

  it("removes by digest and leaves others", () => {
    const base: ImageIndex = { ...emptyReferrersIndex(), manifests: [desc(1), desc(2), desc(3)] };
    const next = removeReferrers(base, new Set([desc(2).digest, desc(9).digest]));
    expect(next.manifests).toEqual([desc(1), desc(3)]);
    expect(base.manifests).toHaveLength(3);
    expect(hasReferrer(next, desc(2).digest)).toBe(false);
    expect(hasReferrer(next, desc(3).digest)).toBe(true);
  });

  it("filters by artifact type, all when no types", () => {
    const list = [desc(1, "a/x"), desc(2, "b/x"), desc(3)];
    expect(filterByArtifactType(list, [])).toBe(list);
    expect(filterByArtifactType(list, undefined)).toBe(list);
    expect(filterByArtifactType(list, ["b/x", "c/x"])).toEqual([desc(2, "b/x")]);
  });
});
