// The Action's typical step (SBOM + signature + scan on the image, a signature on the SBOM,
// then promote the graph) on a tag-schema registry (distribution 2.8): every referrer of one
// subject goes into one index update, and the updates' settle windows overlap, so the run pays
// one window, not one per artifact or wave (issue 13). Runs the job in-process to observe them.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { TargetFactory } from "../../src/connect/targets";
import { copy } from "../../src/graph/copy";
import { runJob } from "../../src/job/run";
import type { Job } from "../../src/job/job";
import type { FallbackObserver } from "../../src/registry/fallback-writer";
import type { FallbackTiming } from "../../src/registry/fallback-update";
import { ok } from "../helpers/cli";
import { pushImage, pushReferrer, putFallbackIndex } from "../helpers/raw-registry";
import { registryPlace, uniqueName, walkthroughFiles } from "../helpers/targets";
import { testRegistries } from "../rig/env";

type Update = Parameters<FallbackObserver>[0];

/** A window long enough that the overlaps below cannot come from a fast machine alone. */
const LONG_WINDOW: FallbackTiming = {
  staleReadMs: 1000,
  settleMs: 4000,
  contendedSettleMs: 4000,
  pollMs: 200,
  timeoutMs: 60_000,
};

test("one index update per subject, all settle windows overlapping", async () => {
  const files = await walkthroughFiles();
  await writeFile(join(files, "sbom.spdx.json"), '{"spdxVersion":"SPDX-2.3"}\n');
  await writeFile(join(files, "sig.json"), '{"sig":1}\n');
  await writeFile(join(files, "scan.sarif"), '{"version":"2.1.0","runs":[]}\n');
  await writeFile(join(files, "sbom-sig.json"), '{"sig":2}\n');
  const place = registryPlace("distribution", testRegistries().distribution);
  const staging = registryPlace("distribution", testRegistries().distribution);
  const image = place.tagged("v1");
  await ok(["push", image, "app.txt", ...place.flags], { cwd: files });

  const updates: Update[] = [];
  const spec = (input: "sbom" | "signature" | "scan-results", type: string, file: string) => ({
    input,
    artifactType: type,
    files: [{ path: join(files, file) }],
    parent: { kind: "subject" as const },
    origin: input,
  });
  const job: Job = {
    subject: image,
    maxNodes: 10_000,
    artifacts: [
      spec("sbom", "application/spdx+json", "sbom.spdx.json"),
      spec("signature", "application/vnd.test.signature", "sig.json"),
      spec("scan-results", "application/sarif+json", "scan.sarif"),
      {
        ...spec("signature", "application/vnd.test.signature", "sbom-sig.json"),
        parent: { kind: "input", input: "sbom" },
        origin: "attach line 1",
      },
    ],
    annotations: {},
    promoteTo: staging.tagged("v1"),
    promoteArtifactTypes: [],
    require: [],
    failOnDuplicate: false,
    lock: false,
    connection: {
      plainHttp: true,
      fallback: {
        fallbackTiming: LONG_WINDOW,
        onFallbackUpdate: (u) => updates.push(u),
      },
    },
  };
  const result = await runJob(job, { group: (_t, work) => work(), info: () => undefined });

  const sbom = result.artifacts[0]?.digest as string;
  expect(result.modes.map((m) => m.mode)).toEqual(["tag-schema", "tag-schema"]);
  // The graph the run reports and promoted is whole: 3 on the image, 1 on the SBOM.
  expect(result.referrers).toHaveLength(3);
  expect(result.referrers.find((r) => r.descriptor.digest === sbom)?.referrers).toHaveLength(1);
  expect(result.promotion).toMatchObject({ referrers: 4 });
  const staged = JSON.parse(
    await ok(["discover", staging.tagged("v1"), "--format", "json", ...staging.flags]),
  ) as { referrers: { referrers: unknown[] }[] };
  expect(staged.referrers).toHaveLength(3);

  // One update per subject and repository: the image's three referrers batched into one, in each
  // repository; the SBOM's signature in another.
  const bySubject = updates.map((u) => [u.subject === result.subject.digest ? "image" : "sbom", u.changes]);
  expect(bySubject.sort()).toEqual([
    ["image", 3],
    ["image", 3],
    ["sbom", 1],
    ["sbom", 1],
  ]);
  // At most one window in the whole run: every update started before all earlier ones ended.
  const ordered = [...updates].sort((a, b) => a.started - b.started);
  let end = ordered[0]?.ended ?? 0;
  for (const u of ordered.slice(1)) {
    expect(u.started).toBeLessThan(end);
    end = Math.max(end, u.ended);
  }
}, 120_000);

test("copy -r of a three-level graph: one update per subject, all settle windows overlapping", async () => {
  const { distribution: host } = testRegistries();
  const repo = uniqueName("overlap-src");
  const image = await pushImage(host, repo, "v1");
  const sbom = await pushReferrer(host, repo, image, "application/spdx+json");
  const scan = await pushReferrer(host, repo, image, "application/sarif+json");
  const sbomSig = await pushReferrer(host, repo, sbom, "application/vnd.test.signature");
  const sigSig = await pushReferrer(host, repo, sbomSig, "application/vnd.test.countersignature");
  await putFallbackIndex(host, repo, image.digest, [sbom, scan]);
  await putFallbackIndex(host, repo, sbom.digest, [sbomSig]);
  await putFallbackIndex(host, repo, sbomSig.digest, [sigSig]);

  const updates: Update[] = [];
  const factory = new TargetFactory({
    plainHttp: true,
    fallback: {
      fallbackTiming: LONG_WINDOW,
      onFallbackUpdate: (u) => updates.push(u),
    },
  });
  try {
    const src = await factory.open(`${host}/${repo}:v1`, { create: false, needSelector: true });
    const dst = await factory.open(`${host}/${uniqueName("overlap-dst")}:v1`, {
      create: true,
      needSelector: false,
    });
    const taggedAt: number[] = [];
    const tag = dst.target.tag.bind(dst.target);
    dst.target.tag = (d, t) => {
      taggedAt.push(Date.now());
      return tag(d, t);
    };
    const result = await copy(src.target, "v1", dst.target, ["v1"], { recursive: true });
    expect(result.referrers).toHaveLength(4);
    // Each level's index update starts while the levels above still settle: one window in all.
    expect(updates.map((u) => [u.subject, u.changes]).sort()).toEqual(
      [
        [image.digest, 2],
        [sbom.digest, 1],
        [sbomSig.digest, 1],
      ].sort(),
    );
    const ordered = [...updates].sort((a, b) => a.started - b.started);
    let end = ordered[0]?.ended ?? 0;
    for (const u of ordered.slice(1)) {
      expect(u.started).toBeLessThan(end);
      end = Math.max(end, u.ended);
    }
    // and the tag comes only after every update ended
    expect(taggedAt).toHaveLength(1);
    expect(taggedAt[0]).toBeGreaterThanOrEqual(end);
    expect((await dst.target.resolve("v1")).digest).toBe(image.digest);
  } finally {
    await factory.close();
  }
}, 120_000);
