import { mkdtemp, readFile, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ok, run } from "../helpers/cli";
import { type Place, registryPlace, walkthroughFiles } from "../helpers/targets";
import { testRegistries } from "../rig/env";

interface JsonNode {
  digest: string;
  artifactType?: string;
  referrers: JsonNode[];
}

async function oras(args: string[], cwd: string): Promise<string> {
  const result = await run(testRegistries().oras, args, { cwd });
  if (result.code !== 0) throw new Error(`oras ${args.join(" ")} exited ${result.code}: ${result.stderr}`);
  return result.stdout;
}

function digests(node: JsonNode): string[] {
  return node.referrers.flatMap((r) => [r.digest, ...digests(r)]).sort();
}

const places: [string, () => Place][] = [
  ["distribution 2.8", () => registryPlace("distribution", testRegistries().distribution)],
  ["referrers-API registry", () => registryPlace("refreg", testRegistries().referrers)],
];

describe.each(places)("interop with the oras CLI on %s", (_label, makePlace) => {
  let place: Place;
  let files: string;

  beforeAll(async () => {
    place = makePlace();
    files = await walkthroughFiles();
    await ok(["push", place.tagged("v1"), "app.txt", ...place.flags], { cwd: files });
  });

  it("oras discovers and pulls what ocigraph attached (a file and a directory)", async () => {
    const image = place.tagged("v1");
    const attached = JSON.parse(
      await ok(
        [
          "attach",
          image,
          "--artifact-type",
          "readme/example",
          "./readme.md:application/markdown",
          "./details",
          "--format",
          "json",
          ...place.flags,
        ],
        { cwd: files },
      ),
    ) as { digest: string };
    const sig = JSON.parse(
      await ok(
        [
          "attach",
          `${place.repo}@${attached.digest}`,
          "--artifact-type",
          "signature/example",
          "signature.json",
          "--format",
          "json",
          ...place.flags,
        ],
        {
          cwd: files,
        },
      ),
    ) as { digest: string };

    const theirs = JSON.parse(
      await oras(["discover", "--plain-http", "--format", "json", image], files),
    ) as JsonNode;
    const ours = JSON.parse(await ok(["discover", image, "--format", "json", ...place.flags])) as JsonNode;
    expect(digests(theirs)).toEqual(digests(ours));
    expect(digests(theirs)).toEqual(expect.arrayContaining([attached.digest, sig.digest]));

    const out = await mkdtemp(join(tmpdir(), "oras-pull-"));
    await oras(["pull", "--plain-http", "-o", out, `${place.repo}@${attached.digest}`], files);
    expect(await readFile(join(out, "readme.md"), "utf8")).toBe("Readme Content\n");
    expect((await readdir(join(out, "details"))).sort()).toEqual([
      "readme-details.md",
      "readme-more-details.md",
    ]);
    expect(await readFile(join(out, "details", "readme-more-details.md"), "utf8")).toBe(
      "More detailed Content\n",
    );
  });

  it("ocigraph discovers and pulls what oras attached", async () => {
    const image = place.tagged("v1");
    await oras(
      [
        "attach",
        "--plain-http",
        image,
        "--artifact-type",
        "sbom/oras",
        "sbom.json:application/json",
        "./details",
      ],
      files,
    );
    const ours = JSON.parse(
      await ok(["discover", image, "--artifact-type", "sbom/oras", "--format", "json", ...place.flags]),
    ) as JsonNode;
    expect(ours.referrers).toHaveLength(1);
    expect(ours.referrers[0]!.artifactType).toBe("sbom/oras");
    const out = await mkdtemp(join(tmpdir(), "ocigraph-pull-"));
    await ok(["pull", `${place.repo}@${ours.referrers[0]!.digest}`, "-o", out, ...place.flags]);
    expect(JSON.parse(await readFile(join(out, "sbom.json"), "utf8"))).toEqual({
      version: "3.0.0",
      name: "net-monitor",
    });
    expect(await readFile(join(out, "details", "readme-details.md"), "utf8")).toBe("Detailed Content\n");
  });
});
