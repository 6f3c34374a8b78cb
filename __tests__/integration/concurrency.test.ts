import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ocigraph, ok } from "../helpers/cli";
import { registryPlace, walkthroughFiles } from "../helpers/targets";
import { testRegistries } from "../rig/env";

interface JsonNode {
  digest: string;
  referrers: JsonNode[];
}

const WRITERS = 10;
const ROUNDS = 5;

/**
 * Several CI jobs attach to one image at once. On distribution 2.8 (no referrers API, no
 * If-Match) every one of them must end up in the tag-schema index: none may be lost.
 */
describe("concurrent attaches to one subject on distribution 2.8", () => {
  it(`keeps all ${WRITERS} referrers in each of ${ROUNDS} rounds`, async () => {
    const files = await walkthroughFiles();
    for (let i = 0; i < WRITERS; i++) await writeFile(join(files, `report-${i}.json`), `{"writer": ${i}}\n`);
    const counts: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const place = registryPlace("distribution", testRegistries().distribution);
      const image = place.tagged("v1");
      await ok(["push", image, "app.txt", ...place.flags], { cwd: files });
      const runs = await Promise.all(
        Array.from({ length: WRITERS }, (_, i) =>
          ocigraph(
            [
              "attach",
              image,
              "--artifact-type",
              "application/vnd.test.report",
              `report-${i}.json`,
              ...place.flags,
            ],
            {
              cwd: files,
              // distribution 2.8 answers an occasional 500 while a tag is rewritten under
              // contention: these runs get the default retry budget the suite trims elsewhere.
              env: { OCIGRAPH_MAX_RETRIES: "4", OCIGRAPH_RETRY_DELAY_MS: "200" },
            },
          ),
        ),
      );
      for (const r of runs) expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
      const graph = JSON.parse(await ok(["discover", image, "--format", "json", ...place.flags])) as JsonNode;
      counts.push(new Set(graph.referrers.map((r) => r.digest)).size);
      expect(graph.referrers).toHaveLength(WRITERS);
    }
    process.stdout.write(
      `concurrent attach: referrers kept per round ${JSON.stringify(counts)} of ${WRITERS}\n`,
    );
  });
});
