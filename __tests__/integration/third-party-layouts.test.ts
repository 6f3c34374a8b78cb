// Issue 10, point 1: OCI layouts written by oras (referrers listed in index.json), by regctl
// (sha256-<hex> tag-schema indexes, including referrers of platform manifests index.json does
// not list) and by both at once. discover, verify, copy -r, delete -r and pull find every
// referrer, each once; what ocigraph then writes is listed by oras and regctl (default mode).
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ocigraph, ok } from "../helpers/cli";
import { attachWith, exec, makePlace, pushSubject, readEdges, refFor } from "../helpers/peer-graphs";
import { assertValidLayout } from "../helpers/schemas";

interface JsonNode {
  digest: string;
  referrers: JsonNode[];
}

const count = (n: JsonNode): number => n.referrers.reduce((k, r) => k + 1 + count(r), 0);

describe("a layout written by oras and regctl at once", () => {
  it("is discovered, verified, copied, pulled and deleted with each referrer once", async () => {
    const dir = await mkdtemp(join(tmpdir(), "ocigraph-mixed-"));
    const place = await makePlace("layout");
    const subject = await pushSubject(place);
    const via = { index: subject.index, platform: "linux/amd64" };
    // oras: a signature on the index, a scan on a platform manifest (index.json records)
    const sig = await attachWith("oras", place, subject.index, "application/vnd.test.signature", dir);
    const scan = await attachWith(
      "oras",
      place,
      subject.platforms[0] as string,
      "application/vnd.test.scan",
      dir,
      via,
    );
    // regctl: an SBOM on the index, its signature, a provenance on the other platform manifest
    // (tag-schema indexes; the platform manifest is not listed in index.json)
    const sbom = await attachWith("regctl", place, subject.index, "application/vnd.test.sbom", dir);
    const sbomSig = await attachWith("regctl", place, sbom, "application/vnd.test.sbom-signature", dir);
    const prov = await attachWith(
      "regctl",
      place,
      subject.platforms[1] as string,
      "application/vnd.test.prov",
      dir,
    );
    // regctl also lists oras's signature in its tag-schema index: the same referrer twice
    await exec(
      "regctl",
      [
        "artifact",
        "put",
        "--subject",
        refFor("regctl", place, { digest: sig }),
        "--artifact-type",
        "application/vnd.test.counter",
        "-f",
        "application-vnd-test-signature.json",
      ],
      dir,
    );
    const all = [sig, scan, sbom, sbomSig, prov];
    const flags = ["--oci-layout"];

    // discover: every referrer of the index, and of each platform manifest, each once
    const tree = JSON.parse(
      await ok(["discover", place.tagged("v1"), "--format", "json", ...flags]),
    ) as JsonNode;
    expect(count(tree)).toBe(4); // sig (+ its counter-signature), sbom (+ its signature)
    for (const [platform, want] of [
      [subject.platforms[0], scan],
      [subject.platforms[1], prov],
    ] as const) {
      const t = JSON.parse(
        await ok(["discover", place.at(platform as string), "--format", "json", ...flags]),
      ) as JsonNode;
      expect(t.referrers.map((r) => r.digest)).toEqual([want]);
    }

    // verify: the gate sees both tools' referrers
    await ok([
      "verify",
      place.tagged("v1"),
      "--require",
      "application/vnd.test.signature",
      "--require",
      "application/vnd.test.sbom > application/vnd.test.sbom-signature",
      ...flags,
    ]);

    // pull: the regctl-written SBOM's file
    await ok(["pull", place.at(sbom), "-o", join(dir, "out"), ...flags]);

    // copy -r: everything, and the copy is listed by oras and regctl in their default modes
    const dst = await makePlace("layout");
    const copied = JSON.parse(
      await ok([
        "copy",
        "-r",
        place.tagged("v1"),
        dst.tagged("v1"),
        "--from-oci-layout",
        "--to-oci-layout",
        "--format",
        "json",
      ]),
    ) as { referrers: { digest: string }[] };
    const digests = copied.referrers.map((r) => r.digest);
    expect(new Set(digests).size).toBe(digests.length);
    for (const d of all) expect(digests).toContain(d);
    expect(digests).toHaveLength(6);
    const mine = await readEdges("ocigraph", dst, subject.index, dir);
    expect(await readEdges("oras", dst, subject.index, dir)).toEqual(mine);
    expect(await readEdges("regctl", dst, subject.index, dir)).toEqual(mine);
    expect(mine).toHaveLength(2 + 6);
    await assertValidLayout(dst.repo);

    // delete -r: all of it, each once, and neither oras nor regctl lists any referrer after
    const deleted = JSON.parse(
      await ok(["delete", "-r", "--force", place.tagged("v1"), "--format", "json", ...flags]),
    ) as { deleted: { digest: string }[] };
    const gone = deleted.deleted.map((d) => d.digest);
    expect(new Set(gone).size).toBe(gone.length);
    for (const d of [...all, subject.index, ...subject.platforms]) expect(gone).toContain(d);
    expect(gone).toHaveLength(6 + 3);
    const regctlList = await exec(
      "regctl",
      [
        "artifact",
        "list",
        refFor("regctl", place, { digest: subject.platforms[1] as string }),
        "--format",
        "{{len .Descriptors}}",
      ],
      dir,
    ).catch((e: Error) => e.message);
    expect(regctlList.trim()).not.toBe("1");
    const left = await ocigraph(["tags", place.repo, ...flags]);
    expect(left.stdout.trim()).toBe("");
  });
});
