import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { attach } from "../../src/graph/attach";
import { copy } from "../../src/graph/copy";
import { discover, type ReferrerNode } from "../../src/graph/discover";
import { TargetFactory } from "../../src/connect/targets";
import type { Target } from "../../src/oci/target";
import { ok, run } from "../helpers/cli";
import { pushMultiArch } from "../helpers/images";
import { assertValidManifest } from "../helpers/schemas";
import { type Place, layoutPlace, registryPlace, walkthroughFiles } from "../helpers/targets";
import { startDistribution } from "../rig/peers";
import { testRegistries } from "../rig/env";

interface JsonNode {
  digest: string;
  artifactType?: string;
  referrers: JsonNode[];
}

function allDigests(node: { referrers: JsonNode[] }): string[] {
  return node.referrers.flatMap((r) => [r.digest, ...allDigests(r)]).sort();
}

async function open(place: Place, reference: string): Promise<{ target: Target; factory: TargetFactory }> {
  const factory = new TargetFactory(place.label === "oci-layout" ? { ociLayout: true } : { plainHttp: true });
  const { target } = await factory.open(reference, { create: true, needSelector: false });
  return { target, factory };
}

/**
 * A multi-arch image (2 platforms x 3 layers) with referrers two levels deep on the image and
 * one on a platform manifest: what a promotion has to carry.
 */
async function seedGraph(place: Place, files: string): Promise<{ nodes: number }> {
  const { target, factory } = await open(place, place.tagged("v1"));
  try {
    const image = await pushMultiArch(target, "v1");
    const sbom = await attach(target, "v1", {
      artifactType: "application/spdx+json",
      files: [{ path: join(files, "sbom.json") }],
    });
    await attach(target, sbom.descriptor.digest, {
      artifactType: "application/vnd.example.signature",
      files: [{ path: join(files, "sbom-signature.json") }],
    });
    await attach(target, "v1", {
      artifactType: "application/vnd.example.signature",
      files: [{ path: join(files, "signature.json") }],
    });
    await attach(target, image.platforms[0]!.digest, {
      artifactType: "application/sarif+json",
      files: [{ path: join(files, "readme.md") }],
    });
    return { nodes: 4 };
  } finally {
    await factory.close();
  }
}

/** Stores manifest bytes under their digest the way another tool would: no referrer index. */
async function storeRaw(place: Place, digest: string, bytes: Buffer): Promise<void> {
  if (place.label === "oci-layout") {
    await writeFile(join(place.repo, "blobs", "sha256", digest.slice("sha256:".length)), bytes);
    return;
  }
  const [host, ...name] = place.repo.split("/");
  const res = await fetch(`http://${host}/v2/${name.join("/")}/manifests/${digest}`, {
    method: "PUT",
    headers: { "content-type": (JSON.parse(bytes.toString()) as { mediaType: string }).mediaType },
    body: bytes,
  });
  if (res.status !== 201) throw new Error(`storing ${digest}: ${res.status}`);
}

async function orasDiscover(place: Place, reference: string): Promise<string[]> {
  const result = await run(testRegistries().oras, [
    "discover",
    ...(place.label === "oci-layout" ? ["--oci-layout"] : ["--plain-http"]),
    "--format",
    "json",
    reference,
  ]);
  if (result.code !== 0) throw new Error(`oras discover ${reference}: ${result.stderr}`);
  return allDigests(JSON.parse(result.stdout) as JsonNode);
}

const stores: [string, () => Promise<Place>][] = [
  ["distribution", async () => registryPlace("distribution", testRegistries().distribution)],
  ["refreg", async () => registryPlace("refreg", testRegistries().referrers)],
  ["oci-layout", layoutPlace],
];
const pairs = stores.flatMap(([a, makeA]) =>
  stores
    .filter(([b]) => b !== a || a !== "oci-layout")
    .map(([b, makeB]) => [`${a} -> ${b}`, makeA, makeB] as const),
);

describe.each(pairs)(
  "copy -r of a multi-arch image with nested referrers, %s",
  (_label, makeSource, makeDestination) => {
    it("brings every manifest, platform and referrer, byte for byte, and tags last", async () => {
      const files = await walkthroughFiles();
      const source = await makeSource();
      const destination = await makeDestination();
      await seedGraph(source, files);

      const out = JSON.parse(
        await ok([
          "copy",
          "-r",
          source.tagged("v1"),
          destination.tagged("v1,stable"),
          ...(source.label === "oci-layout" ? ["--from-oci-layout"] : ["--from-plain-http"]),
          ...(destination.label === "oci-layout" ? ["--to-oci-layout"] : ["--to-plain-http"]),
          "--format",
          "json",
        ]),
      ) as { root: { digest: string }; referrers: unknown[] };
      expect(out.referrers).toHaveLength(4);

      const flags = (p: Place) => p.flags;
      const srcGraph = JSON.parse(
        await ok(["discover", source.tagged("v1"), "--format", "json", ...flags(source)]),
      ) as JsonNode;
      const dstGraph = JSON.parse(
        await ok(["discover", destination.tagged("stable"), "--format", "json", ...flags(destination)]),
      ) as JsonNode;
      expect(dstGraph.digest).toBe(srcGraph.digest);
      expect(allDigests(dstGraph)).toEqual(allDigests(srcGraph));
      expect(await orasDiscover(destination, destination.tagged("v1"))).toEqual(allDigests(srcGraph));
      expect(Buffer.compare(await destination.rawManifest("v1"), await source.rawManifest("v1"))).toBe(0);
      await assertValidManifest(await destination.rawManifest("v1"));

      // The platform manifest's own referrer came along.
      const index = JSON.parse((await destination.rawManifest("v1")).toString()) as {
        manifests: { digest: string }[];
      };
      const platform = JSON.parse(
        await ok([
          "discover",
          destination.at(index.manifests[0]!.digest),
          "--format",
          "json",
          ...flags(destination),
        ]),
      ) as JsonNode;
      expect(platform.referrers).toHaveLength(1);
    });
  },
);

describe("copy with filters", () => {
  it("promotes only the SBOM and what refers to it", async () => {
    const files = await walkthroughFiles();
    const source = registryPlace("distribution", testRegistries().distribution);
    const destination = registryPlace("refreg", testRegistries().referrers);
    await seedGraph(source, files);
    await ok([
      "copy",
      "-r",
      source.tagged("v1"),
      destination.tagged("v1"),
      "--plain-http",
      "--include-artifact-type",
      "application/spdx+json",
    ]);
    const graph = JSON.parse(
      await ok(["discover", destination.tagged("v1"), "--format", "json", "--plain-http"]),
    ) as JsonNode;
    expect(graph.referrers.map((r) => r.artifactType)).toEqual(["application/spdx+json"]);
    expect(graph.referrers[0]!.referrers).toHaveLength(1);
  });
});

describe("an interrupted copy", () => {
  it.each([
    ["distribution", async () => registryPlace("distribution", testRegistries().distribution)],
    ["oci-layout", layoutPlace],
  ] as const)(
    "a referrer it stored but never indexed on %s is indexed by the re-run",
    async (_label, makeDestination) => {
      const files = await walkthroughFiles();
      const source = registryPlace("refreg", testRegistries().referrers);
      await seedGraph(source, files);
      const destination = await makeDestination();
      const src = await open(source, source.tagged("v1"));
      const dst = await open(destination, destination.tagged("v1"));
      try {
        await copy(src.target, "v1", dst.target, ["v1"], { recursive: true });
        const image = await dst.target.resolve("v1");
        const [first] = await discover(dst.target, image);
        if (!first) throw new Error("the copy brought no referrer");
        const { bytes } = await src.target.fetchManifest(first.descriptor.digest);
        // What a copy stopped between storing a referrer and indexing it leaves: ocigraph delete
        // takes it out of the index and the store, then the manifest goes back in raw.
        await ok(["delete", destination.at(first.descriptor.digest), "--force", ...destination.flags]);
        await storeRaw(destination, first.descriptor.digest, bytes);
        const listed = async (): Promise<string[]> =>
          (await discover(dst.target, image)).map((n) => n.descriptor.digest);
        expect(await dst.target.exists(first.descriptor)).toBe(true);
        expect(await listed()).not.toContain(first.descriptor.digest);

        const rerun = await copy(src.target, "v1", dst.target, ["v1"], { recursive: true });
        expect(rerun.skipped).toBeGreaterThan(0);
        expect(await listed()).toContain(first.descriptor.digest);
      } finally {
        await src.factory.close();
        await dst.factory.close();
      }
    },
  );

  it("leaves no destination tag, and a re-run completes it", async () => {
    const files = await walkthroughFiles();
    const registry = await startDistribution();
    try {
      const source = registryPlace("refreg", testRegistries().referrers);
      await seedGraph(source, files);
      const destination = registryPlace("own-distribution", registry.host);
      const src = await open(source, source.tagged("v1"));
      const dst = await open(destination, destination.tagged("v1"));
      let stopped = false;
      await expect(
        copy(src.target, "v1", dst.target, ["v1"], {
          recursive: true,
          concurrency: 1,
          onNode: () => {
            if (!stopped) {
              stopped = true;
              void registry.stopProcess("SIGKILL");
            }
          },
        }),
      ).rejects.toMatchObject({ code: expect.stringMatching(/NETWORK|REGISTRY/) });
      await registry.startAgain();
      const tags = await fetch(
        `http://${registry.host}/v2/${destination.repo.split("/").slice(1).join("/")}/tags/list`,
      );
      const listed =
        tags.status === 200 ? (((await tags.json()) as { tags: string[] | null }).tags ?? []) : [];
      expect(listed).not.toContain("v1");

      const result = await copy(src.target, "v1", dst.target, ["v1"], { recursive: true });
      expect(result.skipped).toBeGreaterThan(0);
      const graph: ReferrerNode[] = await discover(dst.target, await dst.target.resolve("v1"));
      expect(graph.length).toBe(2);
      await src.factory.close();
      await dst.factory.close();
    } finally {
      await registry.stop();
    }
  });
});

describe.each([
  ["distribution", () => registryPlace("distribution", testRegistries().distribution)],
  ["refreg", () => registryPlace("refreg", testRegistries().referrers)],
])("delete -r on %s", (_label, makePlace) => {
  it("removes every referrer, every fallback tag and the image", async () => {
    const files = await walkthroughFiles();
    const place = makePlace();
    await seedGraph(place, files);
    const graph = JSON.parse(
      await ok(["discover", place.tagged("v1"), "--format", "json", ...place.flags]),
    ) as JsonNode;
    const index = JSON.parse((await place.rawManifest("v1")).toString()) as {
      manifests: { digest: string }[];
    };
    const platforms = index.manifests.map((m) => m.digest);
    const dry = await ok(["delete", "-r", "--dry-run", place.tagged("v1"), ...place.flags]);
    expect(dry).toContain(`Would delete ${1 + allDigests(graph).length + platforms.length + 1} manifests`);
    expect(await place.rawManifest(graph.digest)).toBeTruthy(); // still there after a dry run

    await ok(["delete", "-r", "--force", place.tagged("v1"), ...place.flags]);
    const tags = await run(process.execPath, [
      join(__dirname, "..", "..", "dist", "cli.js"),
      "tags",
      place.repo,
      ...place.flags,
    ]);
    expect(tags.stdout.trim()).toBe("");
    for (const digest of [graph.digest, ...allDigests(graph), ...platforms]) {
      await expect(place.rawManifest(digest)).rejects.toThrow(/404/);
    }
  });
});
