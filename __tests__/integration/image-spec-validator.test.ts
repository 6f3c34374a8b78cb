// What ocigraph writes passes the image-spec's own validator (scripts/peers/ocischema), and that
// validator is a real one: it refuses what the spec refuses.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { ok } from "../helpers/cli";
import { assertValidLayout, assertValidManifest, checkManifest } from "../helpers/schemas";
import { type Place, layoutPlace, registryPlace, walkthroughFiles } from "../helpers/targets";
import { testRegistries } from "../rig/env";

const EMPTY = {
  mediaType: "application/vnd.oci.empty.v1+json",
  digest: "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
  size: 2,
};

describe("the image-spec validator", () => {
  it("refuses a manifest with no layers and one with a bad digest, accepts the empty layer", async () => {
    const base = { schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json", config: EMPTY };
    expect(await checkManifest(JSON.stringify({ ...base, layers: [] }))).toMatch(/^invalid .*minItems/);
    expect(
      await checkManifest(JSON.stringify({ ...base, layers: [{ ...EMPTY, digest: "not a digest" }] })),
    ).toMatch(/^invalid /);
    expect(await checkManifest(JSON.stringify({ ...base, layers: [EMPTY] }))).toBe("ok");
    expect(await checkManifest(JSON.stringify({ schemaVersion: 2, manifests: [{ size: 1 }] }))).toMatch(
      /^invalid /,
    );
  });
});

const places: [string, () => Promise<Place>][] = [
  ["oci-layout", layoutPlace],
  ["distribution 2.8", async () => registryPlace("distribution", testRegistries().distribution)],
  ["referrers-API registry", async () => registryPlace("refreg", testRegistries().referrers)],
];

describe.each(places)("attach with annotations only on %s", (_label, makePlace) => {
  it("writes the empty descriptor as the single layer, which the validator accepts", async () => {
    const place = await makePlace();
    const files = await walkthroughFiles();
    const cli = (...args: string[]) => ok([...args, ...place.flags], { cwd: files });
    await cli("push", place.tagged("v1"), "app.txt", "--artifact-type", "application/vnd.example.image");
    const out = JSON.parse(
      await cli(
        "attach",
        place.tagged("v1"),
        "--artifact-type",
        "vnd/approval",
        "-a",
        "approved=yes",
        "--format",
        "json",
      ),
    ) as { digest: string };
    const bytes = await place.rawManifest(out.digest);
    const manifest = JSON.parse(bytes.toString()) as {
      layers: unknown[];
      annotations: Record<string, string>;
    };
    expect(manifest.layers).toEqual([EMPTY]);
    expect(manifest.annotations.approved).toBe("yes");
    await assertValidManifest(bytes);
    await assertValidManifest(await place.rawManifest("v1"));
    if (place.label === "oci-layout") expect(await assertValidLayout(place.repo)).toBeGreaterThanOrEqual(3);
    // A second identical attach reuses it: the empty layer is not a file that differs.
    const again = JSON.parse(
      await cli(
        "attach",
        place.tagged("v1"),
        "--artifact-type",
        "vnd/approval",
        "-a",
        "approved=yes",
        "--format",
        "json",
      ),
    ) as { digest: string; reused: boolean };
    expect(again).toMatchObject({ digest: out.digest, reused: true });
    // pull writes no file for it and says nothing was skipped
    const dir = join(files, "out");
    await cli("pull", place.at(out.digest), "-o", dir);
    await expect(readFile(join(dir, "{}"))).rejects.toThrow();
  });
});
