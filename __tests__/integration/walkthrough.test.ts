import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { ok } from "../helpers/cli";
import { assertValidManifest } from "../helpers/schemas";
import { type Place, layoutPlace, registryPlace, walkthroughFiles } from "../helpers/targets";
import { WALKTHROUGH_TREE } from "../helpers/walkthrough-tree";
import { testRegistries } from "../rig/env";

interface JsonNode {
  digest: string;
  artifactType?: string;
  referrers: JsonNode[];
}

const places: [string, () => Promise<Place>][] = [
  ["oci-layout", layoutPlace],
  [
    "distribution 2.8 (tag-schema fallback)",
    async () => registryPlace("distribution", testRegistries().distribution),
  ],
  ["referrers-API registry", async () => registryPlace("refreg", testRegistries().referrers)],
];

/** The tree with digests masked, so its shape can be compared. */
function shape(tree: string): string {
  return tree
    .replace(/sha256:[a-f0-9]{64}/g, "<digest>")
    .split("\n")
    .slice(1)
    .join("\n");
}

describe.each(places)("the supply-chain walkthrough on %s", (_label, makePlace) => {
  let place: Place;
  let files: string;
  const cli = (...args: string[]) => ok([...args, ...place.flags], { cwd: files });

  beforeAll(async () => {
    place = await makePlace();
    files = await walkthroughFiles();
    await cli("push", place.tagged("v1"), "app.txt", "--artifact-type", "application/vnd.example.image");
  });

  it("attaches, discovers the tree, pulls the readme and lists tags", async () => {
    const image = place.tagged("v1");
    await cli("attach", image, "--artifact-type", "signature/example", "./signature.json:application/json");
    await cli(
      "attach",
      image,
      "--artifact-type",
      "readme/example",
      "./readme.md:application/markdown",
      "./details",
    );
    await cli("attach", image, "--artifact-type", "sbom/example", "./sbom.json:application/json");
    const sboms = JSON.parse(
      await cli("discover", image, "--artifact-type", "sbom/example", "--format", "json"),
    ) as JsonNode;
    expect(sboms.referrers).toHaveLength(1);
    const sbom = sboms.referrers[0]!.digest;
    await cli(
      "attach",
      place.at(sbom),
      "--artifact-type",
      "signature/example",
      "./sbom-signature.json:application/json",
    );

    const tree = await cli("discover", image);
    expect(tree.split("\n")[0]).toBe(image);
    expect(shape(tree).trimEnd()).toBe(WALKTHROUGH_TREE.join("\n"));

    const graph = JSON.parse(await cli("discover", image, "--format", "json")) as JsonNode;
    const readme = graph.referrers.find((r) => r.artifactType === "readme/example")!;
    const out = await mkdtemp(join(tmpdir(), "ocigraph-pull-"));
    await cli("pull", place.at(readme.digest), "-o", out);
    expect(await readFile(join(out, "readme.md"), "utf8")).toBe("Readme Content\n");
    expect(await readFile(join(out, "details", "readme-details.md"), "utf8")).toBe("Detailed Content\n");
    expect(await readFile(join(out, "details", "readme-more-details.md"), "utf8")).toBe(
      "More detailed Content\n",
    );

    const tags = (await cli("tags", place.repo)).trim().split("\n");
    expect(tags).toContain("v1");

    // Every manifest the walkthrough wrote passes the image-spec schema.
    const all = [graph, ...graph.referrers, ...graph.referrers.flatMap((r) => r.referrers)];
    for (const node of all) await assertValidManifest(await place.rawManifest(node.digest));
    if (place.label === "distribution") {
      const fallback = tags.filter((t) => /^sha256-[a-f0-9]{64}$/.test(t));
      expect(fallback.length).toBe(2); // the image's and the SBOM's referrers indexes
      for (const tag of fallback) await assertValidManifest(await place.rawManifest(tag));
    }
  });

  it("reuses an identical artifact on a second attach and adds none", async () => {
    const image = place.tagged("v1");
    const args = [
      "attach",
      image,
      "--artifact-type",
      "application/vnd.test.rerun",
      "./sbom.json",
      "--format",
      "json",
    ];
    const first = JSON.parse(await cli(...args)) as { digest: string; reused: boolean };
    const second = JSON.parse(await cli(...args)) as { digest: string; reused: boolean };
    expect(first.reused).toBe(false);
    expect(second).toMatchObject({ digest: first.digest, reused: true });
    const graph = JSON.parse(
      await cli("discover", image, "--artifact-type", "application/vnd.test.rerun", "--format", "json"),
    ) as JsonNode;
    expect(graph.referrers.map((r) => r.digest)).toEqual([first.digest]);
  });
});
