// `manifests` and `lock` where there is no ACR metadata API: CNCF distribution (tag-schema
// fallback), the referrers-API registry and an OCI layout list what their tags (or index.json)
// reach through referrers at every depth, and say that unreachable untagged manifests cannot be
// listed; `lock` and `unlock` fail with one line naming the missing API.
import { ocigraph, ok } from "../helpers/cli";
import { type Place, layoutPlace, registryPlace, walkthroughFiles } from "../helpers/targets";
import { testRegistries } from "../rig/env";

interface Listing {
  source: string;
  complete: boolean;
  note: string | null;
  manifests: {
    digest: string;
    tags: string[];
    artifactType: string | null;
    subject: string | null;
    locked: boolean | null;
    changeableAttributes: unknown;
    lastUpdated: string | null;
  }[];
}

const places: [string, () => Promise<Place>, string, number][] = [
  // A layout records referrers both ways (index.json entries and regctl's sha256-<hex> indexes).
  ["oci-layout", layoutPlace, "layout", 2],
  [
    "distribution 2.8 (tag-schema fallback)",
    async () => registryPlace("distribution", testRegistries().distribution),
    "graph",
    2,
  ],
  ["referrers-API registry", async () => registryPlace("refreg", testRegistries().referrers), "graph", 0],
];

describe.each(places)("manifests and lock on %s", (_label, makePlace, source, fallbackIndexes) => {
  let place: Place;
  let files: string;
  const digests = { subject: "", signature: "", sbom: "", sbomSignature: "" };
  const cli = (...args: string[]) => ok([...args, ...place.flags], { cwd: files });
  const digestOf = (out: string): string => /Digest: (sha256:[a-f0-9]{64})/.exec(out)?.[1] ?? "";
  const listing = async (...flags: string[]): Promise<Listing> =>
    JSON.parse(await cli("manifests", place.repo, "--format", "json", ...flags)) as Listing;

  beforeAll(async () => {
    place = await makePlace();
    files = await walkthroughFiles();
    const image = place.tagged("v1");
    digests.subject = digestOf(await cli("push", image, "app.txt"));
    const attach = async (ref: string, type: string, file: string) =>
      digestOf(await cli("attach", ref, "--artifact-type", type, `./${file}:application/json`));
    digests.signature = await attach(image, "signature/example", "signature.json");
    digests.sbom = await attach(image, "sbom/example", "sbom.json");
    digests.sbomSignature = await attach(place.at(digests.sbom), "signature/example", "sbom-signature.json");
  });

  it("lists what the tags reach through referrers at every depth, and says what it cannot list", async () => {
    const listed = await listing();
    expect(listed).toMatchObject({ source, complete: false });
    expect(listed.note).toMatch(
      source === "layout" ? /index\.json/ : /untagged manifest nothing reaches cannot be listed/,
    );
    const all = Object.values(digests);
    expect(listed.manifests.map((m) => m.digest)).toEqual(expect.arrayContaining(all));
    // plus the current fallback indexes (tagged sha256-<hex>); a replaced index revision is not reached
    expect(listed.manifests).toHaveLength(all.length + fallbackIndexes);
    const byDigest = new Map(listed.manifests.map((m) => [m.digest, m]));
    expect(byDigest.get(digests.subject)?.tags).toEqual(["v1"]);
    expect(byDigest.get(digests.sbomSignature)).toMatchObject({
      tags: [],
      artifactType: "signature/example",
      subject: digests.sbom,
      locked: null,
      changeableAttributes: null,
      lastUpdated: null,
    });
    const untagged = await listing("--untagged");
    expect(untagged.manifests.map((m) => m.digest).sort()).toEqual(
      [digests.signature, digests.sbom, digests.sbomSignature].sort(),
    );
    const signatures = await listing("--artifact-type", "signature/example");
    expect(signatures.manifests.map((m) => m.digest).sort()).toEqual(
      [digests.signature, digests.sbomSignature].sort(),
    );
    const table = await cli("manifests", place.repo);
    expect(table).toContain(`${all.length + fallbackIndexes} manifests`);
    expect(table).toMatch(/\nNote: /);
    expect(table).toMatch(/ n\/a\n/);
  });

  it("lock and unlock fail with one line: there is no lock API", async () => {
    for (const args of [["lock", "-r"], ["unlock"], ["lock", "--dry-run"]]) {
      const result = await ocigraph(
        [args[0] as string, place.tagged("v1"), ...args.slice(1), ...place.flags],
        {
          cwd: files,
        },
      );
      expect(result.code).toBe(1);
      expect(result.stdout).toBe("");
      const name = place.repo;
      expect(result.stderr).toBe(
        `Error: ${name} has no manifest lock API; only Azure Container Registry supports locking\n`,
      );
    }
  });
});
