// Issue 10, point 4: delete without -r on a manifest that has referrers says how many it would
// orphan, asks on a terminal, refuses without --force otherwise (hinting at -r), and counts
// with the right plurals.
import { spawnSync } from "node:child_process";
import { CLI, ocigraph, ok } from "../helpers/cli";
import { type Place, layoutPlace, registryPlace, walkthroughFiles } from "../helpers/targets";
import { testRegistries } from "../rig/env";

const places: [string, () => Promise<Place>][] = [
  ["oci-layout", layoutPlace],
  ["distribution 2.8", async () => registryPlace("distribution", testRegistries().distribution)],
];

describe.each(places)("delete without -r on %s", (_label, makePlace) => {
  it("refuses to orphan referrers without --force, asks on a terminal, counts right", async () => {
    const place = await makePlace();
    const files = await walkthroughFiles();
    const cli = (...args: string[]) => ok([...args, ...place.flags], { cwd: files });
    await cli("push", place.tagged("v1"), "app.txt", "--artifact-type", "application/vnd.example.image");
    await cli("attach", place.tagged("v1"), "--artifact-type", "sig/example", "signature.json");
    const sbom = JSON.parse(
      await cli(
        "attach",
        place.tagged("v1"),
        "--artifact-type",
        "sbom/example",
        "sbom.json",
        "--format",
        "json",
      ),
    ) as { digest: string };
    await cli("attach", place.at(sbom.digest), "--artifact-type", "sig/example", "sbom-signature.json");

    // No terminal, no --force: one line, the count, and the hint at -r.
    const refused = await ocigraph(["delete", place.tagged("v1"), ...place.flags], { cwd: files });
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim().split("\n")).toHaveLength(1);
    expect(refused.stderr).toMatch(/refusing to delete 1 manifest, orphaning 3 referrers without --force/);
    expect(refused.stderr).toMatch(/pass -r to delete them too/);

    const dry = await cli("delete", place.tagged("v1"), "--dry-run");
    expect(dry).toMatch(/^Would delete 1 manifest, orphaning 3 referrers:/);
    const dryR = await cli("delete", place.tagged("v1"), "-r", "--dry-run");
    expect(dryR).toMatch(/^Would delete 4 manifests:/);

    // On a terminal it asks; "n" cancels and nothing goes.
    const tty = spawnSync(
      "script",
      [
        "-qec",
        [process.execPath, CLI, "delete", place.tagged("v1"), ...place.flags].map(quote).join(" "),
        "/dev/null",
      ],
      { input: "n\n", encoding: "utf8", cwd: files, timeout: 60_000 },
    );
    expect(tty.stdout).toMatch(/has 3 referrers that would be orphaned/);
    expect(tty.stdout).toMatch(/Delete this manifest, orphaning 3 referrers from .*\? \[y\/N\]/);
    expect(tty.stdout).toMatch(/delete cancelled/);
    expect(await cli("tags", place.repo)).toMatch(/^v1$/m);

    // The signature alone has no referrers: one manifest, nothing orphaned.
    const sigs = JSON.parse(await cli("discover", place.tagged("v1"), "--format", "json")) as {
      referrers: { digest: string; artifactType: string }[];
    };
    const sig = sigs.referrers.find((r) => r.artifactType === "sig/example") as { digest: string };
    expect(await cli("delete", place.at(sig.digest), "--force")).toMatch(/^Deleted 1 manifest from [^,]*$/m);

    // --force deletes only the manifest and says what it orphaned.
    expect(await cli("delete", place.tagged("v1"), "--force")).toMatch(
      /^Deleted 1 manifest from .*, orphaning 2 referrers$/m,
    );
  });
});

function quote(arg: string): string {
  return `'${arg.replace(/'/g, "'\\''")}'`;
}
