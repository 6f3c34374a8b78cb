// The walk's own bounds, against a target that lies: its listings form a mesh in which every
// node lists every other (what a forged set of fallback indexes looks like to a target that did
// not check subjects). One visited set makes it linear; the cap makes it fail fast.
import { discover, countNodes } from "../../../src/graph/discover";
import { planDelete } from "../../../src/graph/delete";
import type { Descriptor } from "../../../src/oci/manifest";
import type { Target } from "../../../src/oci/target";
import { isOcigraphError } from "../../../src/oci/errors";

const digest = (i: number): string => `sha256:${i.toString(16).padStart(64, "0")}`;
const node = (i: number): Descriptor => ({
  mediaType: "application/vnd.oci.image.manifest.v1+json",
  digest: digest(i),
  size: 10,
  artifactType: "application/vnd.example.signature",
});

function meshTarget(k: number): { target: Target; listings: () => number } {
  let listings = 0;
  const members = Array.from({ length: k }, (_, i) => node(i + 1));
  const root = node(0);
  const target = {
    name: "mesh",
    resolve: async () => root,
    fetchManifest: async () => ({
      descriptor: root,
      bytes: Buffer.from("{}"),
      manifest: { schemaVersion: 2, config: node(99), layers: [] },
    }),
    referrers: async (_subject: Descriptor, query: { limit?: number } = {}) => {
      listings++;
      if (query.limit !== undefined && members.length > query.limit) throw new Error("over the limit");
      return members;
    },
  } as unknown as Target;
  return { target, listings: () => listings };
}

describe("graph walk bounds", () => {
  it("visits each node of a k=10 mesh once and shows repeats as references", async () => {
    const { target, listings } = meshTarget(10);
    const graph = await discover(target, node(0));
    expect(graph).toHaveLength(10);
    expect(listings()).toBe(11); // the root and each member, once
    const repeats = graph.flatMap((n) => n.referrers).filter((r) => r.repeat);
    expect(repeats.every((r) => r.referrers.length === 0)).toBe(true);
    expect(countNodes(graph)).toBeLessThanOrEqual(10 + 10 * 10);
  });

  it("stops at the node cap with TOO_LARGE", async () => {
    const { target } = meshTarget(10);
    const err = await discover(target, node(0), { maxNodes: 5 }).catch((e: unknown) => e);
    expect(err instanceof Error).toBe(true);
  });

  it("plans a delete with each manifest once", async () => {
    const { target } = meshTarget(6);
    const plan = await planDelete(target, "v1", true, { maxNodes: 100 });
    const digests = plan.order.map((d) => d.digest);
    expect(new Set(digests).size).toBe(digests.length);
    expect(digests).toHaveLength(7);
  });

  it("names the cap in its error", async () => {
    const { target } = meshTarget(3);
    const err = await discover(target, node(0), { maxNodes: 3 }).catch((e: unknown) => e);
    expect(isOcigraphError(err, "TOO_LARGE")).toBe(true);
    expect((err as Error).message).toContain("more than 3 nodes");
  });
});
