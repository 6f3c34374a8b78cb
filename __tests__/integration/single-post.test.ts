// Small blobs are offered whole in the upload POST (distribution-spec "single POST"). A registry
// that stores them answers 201 and the upload is one round trip; one that ignores the offer
// (distribution 2.8) opens a session as usual, and the target stops offering after that answer.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ocigraph } from "../helpers/cli";
import { registryPlace, walkthroughFiles } from "../helpers/targets";
import { testRegistries } from "../rig/env";

interface Attached {
  digest: string;
}

async function attachTraced(host: string, files: string[], dir: string, extra: string[] = []) {
  const place = registryPlace("x", host);
  const pushed = await ocigraph(["push", place.tagged("v1"), "app.txt", ...place.flags], { cwd: dir });
  expect(pushed.code).toBe(0);
  const result = await ocigraph(
    ["attach", "-v", place.tagged("v1"), "--artifact-type", "application/vnd.test.small", ...files, ...extra]
      .concat(place.flags)
      .concat(["--format", "json"]),
    { cwd: dir },
  );
  expect(result.code).toBe(0);
  const lines = result.stderr.split("\n");
  const manifest = JSON.parse(
    (await place.rawManifest((JSON.parse(result.stdout) as Attached).digest)).toString(),
  ) as {
    layers: { digest: string }[];
    config: { digest: string };
  };
  const blobs = [manifest.config.digest, ...manifest.layers.map((l) => l.digest)];
  const present = await Promise.all(
    blobs.map(
      async (d) =>
        (await fetch(`http://${host}/v2/${place.repo.slice(host.length + 1)}/blobs/${d}`, { method: "HEAD" }))
          .status,
    ),
  );
  return {
    present,
    offered: lines.filter((l) => /^> POST \S+\/blobs\/uploads\/\?digest=/.test(l)).length,
    stored: lines.filter((l) => /^< 201 POST \S+\/blobs\/uploads\/\?digest=/.test(l)).length,
    sessions: lines.filter((l) => /^> PUT \S+\/blobs\/uploads\//.test(l)).length,
  };
}

let dir: string;
const files = ["a.json", "b.json", "c.json", "d.json"];

beforeAll(async () => {
  dir = await walkthroughFiles();
  for (const [i, f] of files.entries())
    await writeFile(join(dir, f), JSON.stringify({ file: i, at: Date.now() }));
});

it("a registry that stores a blob sent whole in the POST gets each small blob in one request", async () => {
  const run = await attachTraced(testRegistries().referrers, files, dir);
  expect(run.present).toEqual([200, 200, 200, 200, 200]);
  // The empty config and the four files: each one POST, each answered 201, no session PUT.
  expect(run).toMatchObject({ offered: 5, stored: 5, sessions: 0 });
});

it("a registry that ignores the offer gets the usual session, and no more offers once it said so", async () => {
  const run = await attachTraced(testRegistries().distribution, files, dir, ["--concurrency", "1"]);
  expect(run.present).toEqual([200, 200, 200, 200, 200]);
  expect(run.stored).toBe(0);
  expect(run.sessions).toBe(5);
  // The empty config goes up beside the first file; after their answers, plain POSTs.
  expect(run.offered).toBeLessThanOrEqual(2);
});
