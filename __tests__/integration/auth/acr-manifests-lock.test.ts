// The rest of the ACR walkthrough through the bundled CLI, signed in through Entra ID: `manifests`
// lists every manifest (tagged or not) from the ACR stand-in's /acr/v1 metadata API across pages,
// `lock -r` / `unlock -r` set changeableAttributes on the whole graph, `delete -r` refuses a locked
// graph before deleting anything, the stand-in refuses writes and deletes on locked manifests with
// ACR's 405 REGISTRY_DISALLOWED_OPERATION, and a referrer can still be attached to a locked subject.
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { TargetFactory } from "../../../src/connect/targets";
import { ocigraph, type CliRun } from "../../helpers/cli";
import { pushMultiArch } from "../../helpers/images";
import { walkthroughFiles } from "../../helpers/targets";
import { rigAvailable, testRegistries } from "../../rig/env";
import { startTokenAuthRig, type TokenAuthRig } from "../../rig/token-auth";

const describeRig = rigAvailable() ? describe : describe.skip;
const DIGEST = /sha256:[a-f0-9]{64}/g;

interface ListedManifest {
  digest: string;
  tags: string[];
  mediaType: string;
  artifactType: string | null;
  subject: string | null;
  size: number | null;
  created: string | null;
  lastUpdated: string | null;
  locked: boolean | null;
  changeableAttributes: Record<string, boolean> | null;
}

interface Listing {
  repository: string;
  source: string;
  complete: boolean;
  note: string | null;
  manifests: ListedManifest[];
}

describeRig("the ACR walkthrough: manifests, lock, unlock, refused deletes (ACR stand-in)", () => {
  let rig: TokenAuthRig;
  let files: string;
  let image: string;
  const repo = "net-monitor";
  const digests = { subject: "", signature: "", sbom: "", sbomSignature: "" };
  /** What `lock -r` covered: the graph, with its current fallback indexes. */
  let graph: string[] = [];

  async function cli(...args: string[]): Promise<CliRun> {
    return ocigraph([...args, "--plain-http", ...rig.secretSignIn()], {
      cwd: files,
      env: rig.env({ AZURE_CLIENT_SECRET: rig.apps.secret.secret }),
    });
  }

  async function ok(...args: string[]): Promise<string> {
    const result = await cli(...args);
    if (result.code !== 0) throw new Error(`ocigraph ${args.join(" ")}: ${result.code}\n${result.stderr}`);
    return result.stdout;
  }

  const digestOf = (out: string): string => /Digest: (sha256:[a-f0-9]{64})/.exec(out)?.[1] ?? "";
  const listing = async (...flags: string[]): Promise<Listing> =>
    JSON.parse(await ok("manifests", `${rig.acr.host}/${repo}`, "--format", "json", ...flags)) as Listing;

  beforeAll(async () => {
    rig = await startTokenAuthRig();
    files = await walkthroughFiles();
    await writeFile(path.join(files, "other.txt"), "another image\n");
    image = `${rig.acr.host}/${repo}:v1`;
    digests.subject = digestOf(await ok("push", image, "app.txt"));
    digests.signature = digestOf(
      await ok("attach", image, "--artifact-type", "signature/example", "./signature.json:application/json"),
    );
    digests.sbom = digestOf(
      await ok("attach", image, "--artifact-type", "sbom/example", "./sbom.json:application/json"),
    );
    digests.sbomSignature = digestOf(
      await ok(
        "attach",
        `${rig.acr.host}/${repo}@${digests.sbom}`,
        "--artifact-type",
        "signature/example",
        "./sbom-signature.json:application/json",
      ),
    );
  });

  afterAll(async () => {
    await rig?.stop();
  });

  it("lists every manifest, tagged or not, from the metadata API across pages", async () => {
    rig.acr.catalog.pageCap = 2;
    const pagesBefore = rig.acr.catalog.pagesServed;
    const listed = await listing();
    expect(listed).toMatchObject({ source: "registry", complete: true, note: null });
    // The stand-in's own record of every manifest pushed: the subject, 3 referrers, 2 fallback
    // indexes, and the subject's first fallback index, replaced when the second referrer came: an
    // untagged manifest nothing refers to, which only a registry's own listing can show.
    const held = rig.acr.catalog.digests(repo);
    expect(held).toHaveLength(7);
    expect(listed.manifests.map((m) => m.digest).sort()).toEqual(held);
    expect(rig.acr.catalog.pagesServed - pagesBefore).toBeGreaterThanOrEqual(3);
    const byDigest = new Map(listed.manifests.map((m) => [m.digest, m]));
    expect(byDigest.get(digests.subject)).toMatchObject({ tags: ["v1"], subject: null, locked: false });
    expect(byDigest.get(digests.sbomSignature)).toMatchObject({
      tags: [],
      artifactType: "signature/example",
      subject: digests.sbom,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      locked: false,
      changeableAttributes: { deleteEnabled: true, writeEnabled: true, readEnabled: true, listEnabled: true },
    });
    for (const m of listed.manifests) {
      expect(Object.keys(m).sort()).toEqual(
        [
          "artifactType",
          "changeableAttributes",
          "created",
          "digest",
          "lastUpdated",
          "locked",
          "mediaType",
          "size",
          "subject",
          "tags",
        ].sort(),
      );
      expect(m.created).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(m.lastUpdated).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(m.size).toBeGreaterThan(0);
    }
    // the fallback indexes are tagged `sha256-<hex>`; the referrers and the stale index are not
    const untagged = await listing("--untagged");
    const referrers = [digests.signature, digests.sbom, digests.sbomSignature];
    expect(untagged.manifests).toHaveLength(4);
    expect(untagged.manifests.map((m) => m.digest)).toEqual(expect.arrayContaining(referrers));
    const stale = untagged.manifests.find((m) => !referrers.includes(m.digest));
    expect(stale?.mediaType).toBe("application/vnd.oci.image.index.v1+json");
    const signatures = await listing("--untagged", "--artifact-type", "signature/example");
    expect(signatures.manifests.map((m) => m.digest).sort()).toEqual(
      [digests.signature, digests.sbomSignature].sort(),
    );
    const table = await ok("manifests", `${rig.acr.host}/${repo}`);
    expect(table).toMatch(
      /^DIGEST\s+TAGS\s+MEDIA TYPE\s+ARTIFACT TYPE\s+SUBJECT\s+SIZE\s+CREATED\s+LAST UPDATED\s+LOCK/,
    );
    expect(table).toContain("7 manifests");
    expect(table).not.toContain("Note:");
  });

  it("lock -r --dry-run lists the graph and changes nothing", async () => {
    const updates = rig.acr.catalog.updates;
    const out = await ok("lock", image, "-r", "--dry-run");
    expect(out).toContain(`Would lock 6 manifests in ${rig.acr.host}/${repo}:`);
    expect(rig.acr.catalog.updates).toBe(updates);
    for (const d of rig.acr.catalog.digests(repo)) {
      expect(rig.acr.catalog.attributesOf(repo, d)).toMatchObject({
        writeEnabled: true,
        deleteEnabled: true,
      });
    }
  });

  it("lock -r locks the subject, the referrers at every depth and the fallback indexes", async () => {
    const out = JSON.parse(await ok("lock", image, "-r", "--format", "json")) as {
      manifests: {
        digest: string;
        role: string;
        changed: boolean;
        changeableAttributes: Record<string, boolean>;
      }[];
    };
    const roles = new Map(out.manifests.map((m) => [m.digest, m.role]));
    expect(roles.get(digests.subject)).toBe("subject");
    for (const d of [digests.signature, digests.sbom, digests.sbomSignature])
      expect(roles.get(d)).toBe("referrer");
    expect(out.manifests.filter((m) => m.role === "fallback-index")).toHaveLength(2);
    expect(out.manifests).toHaveLength(6);
    graph = [...roles.keys()].sort();
    for (const m of out.manifests) {
      expect(m.changed).toBe(true);
      expect(m.changeableAttributes).toMatchObject({ writeEnabled: false, deleteEnabled: false });
      expect(rig.acr.catalog.attributesOf(repo, m.digest)).toMatchObject({
        writeEnabled: false,
        deleteEnabled: false,
      });
    }
    const listed = await listing();
    for (const m of listed.manifests) expect(m.locked).toBe(graph.includes(m.digest));
    expect(await ok("manifests", `${rig.acr.host}/${repo}`)).toMatch(/ locked\n/);
  });

  it("delete -r stops before deleting anything, naming the locked digests and the unlock command", async () => {
    const refusals = rig.acr.catalog.refusals.length;
    const result = await cli("delete", image, "-r", "--force");
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toContain("6 of the 6 manifests to delete are locked, so nothing was deleted");
    expect(result.stderr).toContain(`unlock them first: ocigraph unlock -r ${image}`);
    expect(result.stderr.match(DIGEST)?.sort()).toEqual(graph);
    expect(rig.acr.catalog.refusals.length).toBe(refusals); // nothing was even tried
    expect(rig.acr.catalog.digests(repo)).toHaveLength(7);
  });

  it("the registry refuses overwriting or deleting a locked manifest with ACR's 405", async () => {
    const push = await cli("push", image, "other.txt");
    expect(push.code).toBe(1);
    expect(push.stderr).toMatch(/405.*REGISTRY_DISALLOWED_OPERATION.*locked \(ACR changeableAttributes/);
    // Behind the stand-in referrers live in a fallback index; once that index is locked too, the
    // next attach cannot rewrite it (real ACR indexes referrers itself: no index to lock).
    const attach = await cli(
      "attach",
      image,
      "--artifact-type",
      "readme/example",
      "./readme.md:text/markdown",
    );
    expect(attach.code).toBe(1);
    expect(attach.stderr).toMatch(/405.*REGISTRY_DISALLOWED_OPERATION/);
    const del = await cli("delete", `${rig.acr.host}/${repo}@${digests.subject}`, "--force");
    expect(del.code).toBe(1);
    expect(del.stderr).toMatch(/405.*REGISTRY_DISALLOWED_OPERATION/);
    expect(rig.acr.catalog.refusals).toEqual(
      expect.arrayContaining([`PUT ${repo}/v1`, `DELETE ${repo}/${digests.subject}`]),
    );
    expect(rig.acr.catalog.digests(repo)).toEqual(expect.arrayContaining(graph));
    for (const d of graph)
      expect(rig.acr.catalog.attributesOf(repo, d)).toMatchObject({ writeEnabled: false });
  });

  it("attach to a write-locked subject still works: a referrer is a new manifest", async () => {
    const app = `${rig.acr.host}/app:v1`;
    const subject = digestOf(await ok("push", app, "other.txt"));
    const locked = await ok("lock", app);
    expect(locked).toContain(`Locked 1 of 1 manifests in ${rig.acr.host}/app:`);
    expect(locked).toContain(`subject  ${subject}  locked`);
    const attached = digestOf(
      await ok("attach", app, "--artifact-type", "signature/example", "./signature.json:application/json"),
    );
    expect(rig.acr.catalog.attributesOf("app", subject)).toMatchObject({ writeEnabled: false });
    expect(rig.acr.catalog.attributesOf("app", attached)).toMatchObject({ writeEnabled: true });
    const writesOnly = JSON.parse(await ok("lock", app, "--allow-write", "--format", "json")) as {
      manifests: { changeableAttributes: Record<string, boolean> }[];
    };
    expect(writesOnly.manifests[0]?.changeableAttributes).toMatchObject({
      writeEnabled: true,
      deleteEnabled: false,
    });
  });

  it("unlock -r, then delete -r removes the whole graph", async () => {
    const out = await ok("unlock", image, "-r");
    expect(out).toContain(`Unlocked 6 of 6 manifests in ${rig.acr.host}/${repo}:`);
    for (const d of rig.acr.catalog.digests(repo)) {
      expect(rig.acr.catalog.attributesOf(repo, d)).toMatchObject({
        writeEnabled: true,
        deleteEnabled: true,
      });
    }
    const before = rig.acr.catalog.digests(repo);
    await ok("delete", image, "-r", "--force");
    // The subject and its referrers are gone; what nothing reached (the stale index, the refused
    // push's manifest) stays, and so do fallback index revisions replaced on the way: untagged
    // indexes that only a registry's own listing shows (ACR keeps them until purged).
    const after = await listing();
    const listed = after.manifests.map((m) => m.digest);
    expect(listed.sort()).toEqual(rig.acr.catalog.digests(repo));
    for (const d of Object.values(digests)) expect(listed).not.toContain(d);
    expect(listed).toEqual(expect.arrayContaining(before.filter((d) => !graph.includes(d))));
    for (const m of after.manifests.filter((m) => !before.includes(m.digest) || graph.includes(m.digest))) {
      expect(m).toMatchObject({ tags: [], mediaType: "application/vnd.oci.image.index.v1+json" });
    }
  });

  it("lock -r on a multi-arch image covers its platform manifests and their referrers", async () => {
    // Seed a multi-arch image on plain distribution, promote it to the ACR stand-in with the CLI.
    const source = `${testRegistries().distribution}/multi-${Date.now()}:v1`;
    const factory = new TargetFactory({ plainHttp: true });
    const image = await factory
      .open(source, { create: true, needSelector: false })
      .then(({ target }) => pushMultiArch(target, "v1", { layers: 1 }))
      .finally(() => factory.close());
    const multi = `${rig.acr.host}/multi:v1`;
    await ok("copy", source, multi);
    const platform = image.platforms[1]?.digest as string;
    const signature = digestOf(
      await ok(
        "attach",
        `${rig.acr.host}/multi@${platform}`,
        "--artifact-type",
        "signature/example",
        "./signature.json:application/json",
      ),
    );
    const out = JSON.parse(await ok("lock", multi, "-r", "--format", "json")) as {
      manifests: { digest: string; role: string }[];
    };
    expect(out.manifests.map((m) => [m.role, m.digest]).sort()).toEqual(
      [
        ["subject", image.index.digest],
        ...image.platforms.map((p) => ["platform", p.digest]),
        ["referrer", signature],
        ["fallback-index", expect.stringMatching(/^sha256:/) as unknown as string],
      ].sort(),
    );
    for (const m of out.manifests) {
      expect(rig.acr.catalog.attributesOf("multi", m.digest)).toMatchObject({ writeEnabled: false });
    }
    const listed = JSON.parse(await ok("manifests", `${rig.acr.host}/multi`, "--format", "json")) as Listing;
    const platforms = listed.manifests.filter((m) => image.platforms.some((p) => p.digest === m.digest));
    expect(platforms).toHaveLength(2);
    for (const p of platforms) expect(p).toMatchObject({ tags: [], locked: true });
  });
});
