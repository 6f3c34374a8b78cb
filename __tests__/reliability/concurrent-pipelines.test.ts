// Concurrent pipelines (issue 6, item 3): many CI jobs write one graph at once.
//
// - 20 `attach` processes to one subject at the same moment, on distribution 2.8 (no referrers
//   API: every writer read-merge-writes the one tag-schema index) and on a referrers-API registry;
//   every round must leave 20 of 20 referrers (and, on distribution, an index of 20 distinct
//   entries).
// - 5 concurrent `copy -r` promotions of one graph to one destination, into distribution (the
//   fallback index is rebuilt by five writers) and into the referrers-API registry: all succeed,
//   all report the same digests, the destination holds the source's graph with no duplicate.
//
// Rounds: OCIGRAPH_RELIABILITY_FULL=1 runs the issue's 10 attach rounds per registry; otherwise
// (the suite in CI) fewer, to keep this file inside its time budget. The figure records the
// count actually run.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ocigraph, ok, type CliRun } from "../helpers/cli";
import { registryPlace, uniqueName, walkthroughFiles, type Place } from "../helpers/targets";
import { startFaultInjector } from "../helpers/faults";
import { testRegistries } from "../rig/env";
import { recordFigure, testFileOf, type ScenarioFigure } from "./figures";

interface JsonNode {
  digest: string;
  artifactType?: string;
  referrers: JsonNode[];
}

const FULL = process.env.OCIGRAPH_RELIABILITY_FULL === "1";
const WRITERS = 20;
const ROUNDS = Number(process.env.OCIGRAPH_RELIABILITY_ATTACH_ROUNDS ?? (FULL ? 10 : 4));
const PROMOTERS = 5;
const PROMOTION_ROUNDS = FULL ? 3 : 1;
/** Share of fallback-index writes the proxy refuses, and rounds run behind it. */
const REFUSED_SHARE = 0.2;
const REFUSED_ROUNDS = FULL ? 5 : 2;
const REFUSING = "distribution behind a proxy refusing index writes";
const REPORT = "application/vnd.test.report";
const OCI_INDEX = "application/vnd.oci.image.index.v1+json";

/** The default retry budget, as concurrent CI jobs run with (the suite trims it elsewhere). */
const RETRIES: NodeJS.ProcessEnv = { OCIGRAPH_MAX_RETRIES: "4", OCIGRAPH_RETRY_DELAY_MS: "200" };

interface Round {
  ms: number;
  kept: number;
  failed: number;
}

const attachRounds: Record<string, Round[]> = {};
const promotions: Record<string, { runs: number; passed: number; ms: number[] }> = {};

/** Digests in a graph, every level, in walk order (duplicates kept). */
function digestsOf(node: JsonNode): string[] {
  return node.referrers.flatMap((r) => [r.digest, ...digestsOf(r)]);
}

/** The tag-schema fallback index of `digest`, straight from the registry, or undefined. */
async function fallbackIndex(
  host: string,
  repo: string,
  digest: string,
): Promise<{ manifests: { digest: string }[] } | undefined> {
  const name = repo.slice(host.length + 1);
  const res = await fetch(`http://${host}/v2/${name}/manifests/${digest.replace(":", "-")}`, {
    headers: { accept: OCI_INDEX },
  });
  if (res.status === 404) {
    await res.arrayBuffer();
    return undefined;
  }
  if (res.status !== 200) throw new Error(`fallback index of ${repo}: ${res.status}`);
  return (await res.json()) as { manifests: { digest: string }[] };
}

function subjectDigest(pushOutput: string): string {
  const digest = /Digest: (sha256:[a-f0-9]{64})/.exec(pushOutput)?.[1];
  if (!digest) throw new Error(`no digest in: ${pushOutput}`);
  return digest;
}

function describeFailures(runs: CliRun[]): string {
  return runs
    .map((r, i) => ({ i, r }))
    .filter(({ r }) => r.code !== 0)
    .map(({ i, r }) => `writer ${i} exited ${r.code}: ${r.stderr.trim()}`)
    .join("\n");
}

describe("concurrent pipelines", () => {
  let files: string;
  const registries = (): Record<"distribution" | "referrers", string> => {
    const { distribution, referrers } = testRegistries();
    return { distribution, referrers };
  };

  beforeAll(async () => {
    files = await walkthroughFiles();
    for (let i = 0; i < WRITERS; i++) {
      await writeFile(join(files, `report-${i}.json`), `{"writer": ${i}}\n`);
    }
  });

  const SCENARIO_HOSTS: Record<string, string> = {
    distribution: "distribution 2.8 (tag-schema fallback index)",
    referrers: "refreg (referrers API)",
    [REFUSING]: `distribution 2.8 behind a proxy answering 503 to ${REFUSED_SHARE * 100}% of index writes`,
  };

  afterAll(() => {
    const scenarios: ScenarioFigure[] = [];
    for (const [label, rounds] of Object.entries(attachRounds)) {
      if (rounds.length === 0) continue;
      const ms = rounds.map((r) => r.ms);
      scenarios.push({
        scenario: `${WRITERS} concurrent attach processes to one subject on ${SCENARIO_HOSTS[label] ?? label}: rounds leaving ${WRITERS} of ${WRITERS} referrers`,
        runs: rounds.length,
        passed: rounds.filter((r) => r.kept === WRITERS && r.failed === 0).length,
        notes:
          `referrers kept per round ${JSON.stringify(rounds.map((r) => r.kept))}; ` +
          `round wall time ${Math.min(...ms)}-${Math.max(...ms)} ms`,
      });
    }
    for (const [label, p] of Object.entries(promotions)) {
      scenarios.push({
        scenario: `${PROMOTERS} concurrent copy -r promotions of one graph into ${label}: all succeed and agree`,
        runs: p.runs,
        passed: p.passed,
        notes: `promotion round wall time ${p.ms.join(", ")} ms`,
      });
    }
    if (scenarios.length === 0) return;
    recordFigure({
      name: "concurrent-pipelines",
      title: "Concurrent attaches and promotions",
      issueItem: 3,
      testFile: testFileOf(__filename),
      parameters: {
        "attach writers": WRITERS,
        "attach rounds per registry": ROUNDS,
        "attach rounds behind the refusing proxy": REFUSED_ROUNDS,
        "full run (OCIGRAPH_RELIABILITY_FULL=1)": FULL,
        "concurrent promotions": PROMOTERS,
        "promotion rounds per destination": PROMOTION_ROUNDS,
        "retry budget (OCIGRAPH_MAX_RETRIES)": Number(RETRIES["OCIGRAPH_MAX_RETRIES"]),
      },
      scenarios,
    });
  });

  /**
   * One round: `WRITERS` attach processes to a fresh subject at once on `host`, then checks that
   * every referrer is there once (and, on distribution, that the fallback index agrees).
   */
  async function attachRound(label: string, host: string, round: number): Promise<string[]> {
    const problems: string[] = [];
    const place = registryPlace(label, host, uniqueName("concurrent"));
    const image = place.tagged("v1");
    const digest = subjectDigest(await ok(["push", image, "app.txt", ...place.flags], { cwd: files }));
    const started = Date.now();
    const runs = await Promise.all(
      Array.from({ length: WRITERS }, (_, i) =>
        ocigraph(["attach", image, "--artifact-type", REPORT, `report-${i}.json`, ...place.flags], {
          cwd: files,
          env: RETRIES,
        }),
      ),
    );
    const ms = Date.now() - started;
    const graph = JSON.parse(await ok(["discover", image, "--format", "json", ...place.flags])) as JsonNode;
    const kept = new Set(graph.referrers.map((r) => r.digest)).size;
    const failed = runs.filter((r) => r.code !== 0).length;
    (attachRounds[label] ??= []).push({ ms, kept, failed });
    if (failed) problems.push(`round ${round}: ${describeFailures(runs)}`);
    if (kept !== WRITERS || graph.referrers.length !== WRITERS)
      problems.push(`round ${round}: ${kept} distinct of ${graph.referrers.length} referrers`);
    if (label !== "referrers") {
      const index = await fallbackIndex(host, place.repo, digest);
      const entries = index?.manifests.map((m) => m.digest) ?? [];
      if (entries.length !== WRITERS || new Set(entries).size !== WRITERS)
        problems.push(`round ${round}: fallback index has ${entries.length} entries`);
    }
    return problems;
  }

  describe.each(["distribution", "referrers"] as const)("%s", (label) => {
    it(
      `${WRITERS} concurrent attaches leave ${WRITERS} of ${WRITERS} referrers in each of ${ROUNDS} rounds`,
      async () => {
        const problems: string[] = [];
        for (let round = 0; round < ROUNDS; round++)
          problems.push(...(await attachRound(label, registries()[label], round)));
        process.stdout.write(`concurrent attach on ${label}: ${JSON.stringify(attachRounds[label])}\n`);
        expect(problems).toEqual([]);
      },
      ROUNDS * 60_000,
    );
  });

  // A refused index write must not be sent again as it was: the transport's backoff would make
  // it a stale merge that drops the entries other writers added meanwhile.
  it(
    `${WRITERS} concurrent attaches through a proxy refusing 1 in ${1 / REFUSED_SHARE} index writes with 503 ` +
      `leave ${WRITERS} of ${WRITERS} referrers in each of ${REFUSED_ROUNDS} rounds`,
    async () => {
      const injector = await startFaultInjector(registries().distribution, {
        rate: REFUSED_SHARE,
        statuses: [503],
        eligible: (req) => req.method === "PUT" && /\/manifests\/sha256-/.test(req.url ?? ""),
      });
      try {
        const problems: string[] = [];
        for (let round = 0; round < REFUSED_ROUNDS; round++)
          problems.push(...(await attachRound(REFUSING, injector.host, round)));
        process.stdout.write(
          `concurrent attach, refused index writes: ${JSON.stringify(attachRounds[REFUSING])}; ` +
            `${injector.stats.faults} of ${injector.stats.requests} requests refused\n`,
        );
        expect(injector.stats.faults).toBeGreaterThan(0);
        expect(problems).toEqual([]);
      } finally {
        await injector.close();
      }
    },
    REFUSED_ROUNDS * 60_000,
  );

  /** A walkthrough graph: SBOM (with its signature), signature, readme folder: 4 referrers. */
  async function sourceGraph(place: Place): Promise<{ image: string; digest: string; all: string[] }> {
    const image = place.tagged("v1");
    const cwd = { cwd: files };
    const digest = subjectDigest(await ok(["push", image, "app.txt", ...place.flags], cwd));
    const attach = (ref: string, type: string, ...paths: string[]) =>
      ok(["attach", ref, "--artifact-type", type, ...paths, "--format", "json", ...place.flags], cwd);
    await attach(image, "signature/example", "signature.json:application/json");
    await attach(image, "readme/example", "readme.md:application/markdown", "details");
    const sbom = JSON.parse(await attach(image, "sbom/example", "sbom.json:application/json")) as {
      digest: string;
    };
    await attach(place.at(sbom.digest), "signature/example", "sbom-signature.json:application/json");
    const graph = JSON.parse(await ok(["discover", image, "--format", "json", ...place.flags])) as JsonNode;
    const all = digestsOf(graph);
    expect(all).toHaveLength(4);
    return { image, digest, all };
  }

  // Source on the other registry: the promotion streams between registries, and the destination
  // indexes referrers its own way (rebuilding the fallback index on distribution).
  describe.each([
    ["distribution", "referrers"],
    ["referrers", "distribution"],
  ] as const)("into %s", (destLabel, sourceLabel) => {
    it(
      `${PROMOTERS} concurrent copy -r promotions of one graph all succeed and agree`,
      async () => {
        const hosts = registries();
        const record = (promotions[destLabel] = { runs: 0, passed: 0, ms: [] as number[] });
        for (let round = 0; round < PROMOTION_ROUNDS; round++) {
          const source = await sourceGraph(
            registryPlace(sourceLabel, hosts[sourceLabel], uniqueName("promo-src")),
          );
          const dest = registryPlace(destLabel, hosts[destLabel], uniqueName("promo-dst"));
          const started = Date.now();
          const runs = await Promise.all(
            Array.from({ length: PROMOTERS }, () =>
              ocigraph(["copy", "-r", source.image, dest.tagged("v1"), "--plain-http", "--format", "json"], {
                cwd: files,
                env: RETRIES,
              }),
            ),
          );
          record.ms.push(Date.now() - started);
          record.runs += 1;
          expect(describeFailures(runs)).toBe("");
          const reported = runs.map((r) => {
            const out = JSON.parse(r.stdout) as { root: { digest: string }; referrers: { digest: string }[] };
            return { root: out.root.digest, referrers: out.referrers.map((d) => d.digest).sort() };
          });
          // Every promotion reports the same subject and the same referrers: the source's.
          for (const r of reported)
            expect(r).toEqual({ root: source.digest, referrers: [...source.all].sort() });

          const graph = JSON.parse(
            await ok(["discover", dest.tagged("v1"), "--format", "json", "--plain-http"]),
          ) as JsonNode;
          expect(graph.digest).toBe(source.digest);
          const at = digestsOf(graph);
          expect(at).toHaveLength(source.all.length);
          expect([...at].sort()).toEqual([...source.all].sort());
          expect((await ok(["tags", dest.repo, "--plain-http"])).trim().split("\n")).toContain("v1");
          if (destLabel === "distribution") {
            // the subject's index and the SBOM's: each entry once
            for (const node of [graph, ...graph.referrers.filter((r) => r.referrers.length)]) {
              const index = await fallbackIndex(hosts.distribution, dest.repo, node.digest);
              const entries = index?.manifests.map((m) => m.digest) ?? [];
              expect(entries).toHaveLength(node.referrers.length);
              expect(new Set(entries).size).toBe(entries.length);
            }
          }
          record.passed += 1;
        }
      },
      PROMOTION_ROUNDS * 90_000,
    );
  });
});
