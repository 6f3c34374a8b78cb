// Issue 13: walks list each level's referrers while they check the level above (one level
// ahead). The security property of issue 9 must hold exactly as before: a listed entry counts
// only if its own subject is the subject it was listed under, and an entry that fails the check
// is dropped with everything below it, even though its listing was already made. Distribution
// 2.8 (tag-schema fallback), where anyone with push rights can forge an index.
import { copy } from "../../src/graph/copy";
import { discover, type ReferrerNode } from "../../src/graph/discover";
import { TargetFactory } from "../../src/connect/targets";
import type { ConnectionSettings } from "../../src/connect/settings";
import { digestOf } from "../../src/oci/digest";
import { type Descriptor, EMPTY_DESCRIPTOR, encodeManifest } from "../../src/oci/manifest";
import type { ReferrersQuery, Target } from "../../src/oci/target";
import {
  OCI_MANIFEST,
  type Pushed,
  pushImage,
  pushReferrer,
  putBlob,
  putFallbackIndex,
} from "../helpers/raw-registry";
import { uniqueName } from "../helpers/targets";
import { testRegistries } from "../rig/env";

const SBOM = "application/spdx+json";
const SIG = "application/vnd.example.signature";
const SCAN = "application/sarif+json";

/** `parent>child` for every edge shown, repeats marked, in walk order. */
function edges(parent: string, nodes: readonly ReferrerNode[]): string[] {
  return nodes.flatMap((n) => [
    `${parent}>${n.descriptor.digest}${n.repeat ? " (repeat)" : ""}`,
    ...edges(n.descriptor.digest, n.referrers),
  ]);
}

/** `target` as a walk sees it without looking ahead (the order of round trips before issue 13). */
function oneLevelAtATime(target: Target): Target {
  return new Proxy(target, {
    get(t, prop, receiver) {
      if (prop === "referrers") {
        return (subject: Descriptor, query: ReferrersQuery = {}) => {
          const { ahead: _ahead, ...rest } = query;
          return t.referrers(subject, rest);
        };
      }
      const value = Reflect.get(t, prop, receiver) as unknown;
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(t) : value;
    },
  });
}

describe("a walk that lists one level ahead (distribution 2.8)", () => {
  const { distribution: host } = testRegistries();
  const repo = uniqueName("ahead");
  let image: Pushed;
  let sbom: Pushed;
  let sbomSig: Pushed;
  let sig: Pushed;
  let scan: Pushed;
  let scanSig: Pushed;
  let foreign: Pushed;
  let foreignSig: Pushed;

  beforeAll(async () => {
    image = await pushImage(host, repo, "v1");
    sbom = await pushReferrer(host, repo, image, SBOM);
    sbomSig = await pushReferrer(host, repo, sbom, SIG);
    sig = await pushReferrer(host, repo, image, SIG);
    // A real referrer of `sig`, also listed (forged) under the image itself.
    scan = await pushReferrer(host, repo, sig, SCAN);
    scanSig = await pushReferrer(host, repo, scan, SIG);
    // Another image's referrer, with one of its own, forged into the image's index.
    const other = await pushImage(host, repo, "other");
    foreign = await pushReferrer(host, repo, other, SBOM);
    foreignSig = await pushReferrer(host, repo, foreign, SIG);
    await putFallbackIndex(host, repo, image.digest, [sbom, sig, scan, foreign]);
    await putFallbackIndex(host, repo, sbom.digest, [sbomSig]);
    await putFallbackIndex(host, repo, sig.digest, [scan]);
    await putFallbackIndex(host, repo, scan.digest, [scanSig]);
    await putFallbackIndex(host, repo, other.digest, [foreign]);
    await putFallbackIndex(host, repo, foreign.digest, [foreignSig]);
  });

  async function open(
    reference: string,
    warnings: string[] = [],
    settings: Partial<ConnectionSettings> = {},
  ): Promise<{ target: Target; factory: TargetFactory }> {
    const factory = new TargetFactory({ plainHttp: true, warn: (m) => warnings.push(m), ...settings });
    const { target } = await factory.open(reference, { create: true, needSelector: false });
    return { target, factory };
  }

  test("forged entries are dropped with their subtrees; real ones keep theirs", async () => {
    const warnings: string[] = [];
    const { target, factory } = await open(`${host}/${repo}:v1`, warnings);
    try {
      const root = await target.resolve("v1");
      const shown = edges(root.digest, await discover(target, root));
      expect(shown.sort()).toEqual(
        [
          `${image.digest}>${sbom.digest}`,
          `${sbom.digest}>${sbomSig.digest}`,
          `${image.digest}>${sig.digest}`,
          // walked where it really belongs, with its subtree, not as a repeat
          `${sig.digest}>${scan.digest}`,
          `${scan.digest}>${scanSig.digest}`,
        ].sort(),
      );
      const named = (d: Pushed) => warnings.filter((w) => w.includes(`ignoring ${d.digest}`)).length;
      expect(named(scan)).toBe(1);
      expect(named(foreign)).toBe(1);
      expect(warnings.some((w) => w.includes(foreignSig.digest))).toBe(false);
    } finally {
      await factory.close();
    }
  });

  test("the graph shown is the same, edge for edge, as a walk that does not look ahead", async () => {
    const a = await open(`${host}/${repo}:v1`);
    const b = await open(`${host}/${repo}:v1`);
    try {
      const root = await a.target.resolve("v1");
      const ahead = await discover(a.target, root);
      const plain = await discover(oneLevelAtATime(b.target), root);
      expect(edges(root.digest, ahead)).toEqual(edges(root.digest, plain));
      expect(ahead).toEqual(plain);
      // with a depth limit too: the last level is not listed ahead, and nothing below it shown
      const shallowAhead = await discover(a.target, root, { depth: 1 });
      const shallowPlain = await discover(oneLevelAtATime(b.target), root, { depth: 1 });
      expect(shallowAhead).toEqual(shallowPlain);
      expect(edges(root.digest, shallowAhead).sort()).toEqual(
        [`${image.digest}>${sbom.digest}`, `${image.digest}>${sig.digest}`].sort(),
      );
    } finally {
      await a.factory.close();
      await b.factory.close();
    }
  });

  test("a listing made ahead is not used once this process wrote to the repository", async () => {
    const own = uniqueName("ahead-write");
    const subject = await pushImage(host, own, "v1");
    const report = await pushReferrer(host, own, subject, SBOM);
    await putFallbackIndex(host, own, subject.digest, [report]);
    const { target, factory } = await open(`${host}/${own}:v1`, [], {
      fallback: {
        fallbackTiming: {
          staleReadMs: 100,
          settleMs: 300,
          contendedSettleMs: 300,
          pollMs: 50,
          timeoutMs: 30_000,
        },
      },
    });
    try {
      const root = await target.resolve("v1");
      // Starts the listing of the report's referrers (none yet) ahead, and lets it land.
      await target.referrers(root, { ahead: true });
      await new Promise((r) => setTimeout(r, 500));
      const layer = Buffer.from(`late signature ${Date.now()}`);
      const layerDigest = await putBlob(host, own, layer);
      const bytes = encodeManifest({
        schemaVersion: 2,
        mediaType: OCI_MANIFEST,
        artifactType: SIG,
        config: EMPTY_DESCRIPTOR,
        layers: [{ mediaType: "application/octet-stream", digest: layerDigest, size: layer.length }],
        subject: { mediaType: report.mediaType, digest: report.digest, size: report.size },
      });
      const late = { mediaType: OCI_MANIFEST, digest: digestOf(bytes), size: bytes.length };
      const { settled } = await target.pushManifest(late, bytes);
      await settled; // the writer's own memory of the change is gone: only a fresh read shows it
      const listed = await target.referrers({ ...report });
      expect(listed.map((d) => d.digest)).toEqual([late.digest]);
    } finally {
      await factory.close();
    }
  });

  test("copy -r brings the real graph and nothing a forged entry names", async () => {
    const dstRepo = uniqueName("ahead-copy");
    const src = await open(`${host}/${repo}:v1`);
    const dst = await open(`${host}/${dstRepo}:v1`);
    try {
      const result = await copy(src.target, "v1", dst.target, ["v1"], { recursive: true });
      expect(result.referrers.map((d) => d.digest).sort()).toEqual(
        [sbom, sbomSig, sig, scan, scanSig].map((d) => d.digest).sort(),
      );
      for (const d of [sbom, sbomSig, sig, scan, scanSig]) expect(await dst.target.exists(d)).toBe(true);
      for (const d of [foreign, foreignSig]) expect(await dst.target.exists(d)).toBe(false);
      const again = await open(`${host}/${dstRepo}:v1`);
      try {
        const root = await again.target.resolve("v1");
        expect(edges(root.digest, await discover(again.target, root)).sort()).toEqual(
          [
            `${image.digest}>${sbom.digest}`,
            `${sbom.digest}>${sbomSig.digest}`,
            `${image.digest}>${sig.digest}`,
            `${sig.digest}>${scan.digest}`,
            `${scan.digest}>${scanSig.digest}`,
          ].sort(),
        );
      } finally {
        await again.factory.close();
      }
    } finally {
      await src.factory.close();
      await dst.factory.close();
    }
  }, 60_000);
});
