// Issue 10, point 2: cycles and shared nodes. Every operation terminates (a hang is killed and
// counted as a failure, never as success) and handles each node once; copy -r brings at least
// what `oras cp -r` and `regctl image copy --referrers` bring, and the same tags.
import { randomBytes } from "node:crypto";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { TargetFactory } from "../../src/connect/targets";
import { digestOf } from "../../src/oci/digest";
import { type Descriptor, EMPTY_DESCRIPTOR, type Manifest, encodeManifest } from "../../src/oci/manifest";
import { MediaType } from "../../src/oci/media-types";
import { fallbackTag } from "../../src/oci/referrers-index";
import type { Target } from "../../src/oci/target";
import { runBounded } from "../helpers/faults";
import {
  type TargetKind,
  type Tool,
  exec,
  flagsFor,
  kindOf,
  makePlace,
  readEdges,
  refFor,
  tagsOf,
} from "../helpers/peer-graphs";
import { assertValidLayout } from "../helpers/schemas";
import type { Place } from "../helpers/targets";

const EMPTY = { mediaType: EMPTY_DESCRIPTOR.mediaType, digest: EMPTY_DESCRIPTOR.digest, size: 2 };

async function pushManifest(target: Target, manifest: Manifest, tag?: string): Promise<Descriptor> {
  const bytes = encodeManifest(manifest);
  const descriptor: Descriptor = {
    mediaType: manifest.mediaType as string,
    digest: digestOf(bytes),
    size: bytes.length,
    ...(manifest.artifactType ? { artifactType: manifest.artifactType } : {}),
  };
  await (
    await target.pushManifest(descriptor, bytes, tag)
  ).settled;
  return descriptor;
}

/** An artifact manifest (empty config, one small layer), referring to `subject` when given. */
async function artifact(target: Target, artifactType: string, subject?: Descriptor): Promise<Descriptor> {
  const data = Buffer.from(`${artifactType} ${randomBytes(8).toString("hex")}`);
  const layer = { mediaType: "application/octet-stream", digest: digestOf(data), size: data.length };
  await target.pushBlob(layer, { open: () => Readable.from([data]) });
  await target.pushBlob(EMPTY, { open: () => Readable.from([Buffer.from("{}")]) });
  return pushManifest(target, {
    schemaVersion: 2,
    mediaType: MediaType.ImageManifest,
    artifactType,
    config: EMPTY,
    layers: [layer],
    ...(subject
      ? { subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size } }
      : {}),
  });
}

function index(manifests: Descriptor[], artifactType?: string, subject?: Descriptor): Manifest {
  return {
    schemaVersion: 2,
    mediaType: MediaType.ImageIndex,
    ...(artifactType ? { artifactType } : {}),
    manifests: manifests.map((d) => ({ mediaType: d.mediaType, digest: d.digest, size: d.size })),
    ...(subject
      ? { subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size } }
      : {}),
  };
}

interface Crafted {
  /** The digest tagged v1. */
  root: string;
  /** Referrers (all depths) every copy and delete must handle, each once. */
  referrers: string[];
}

/**
 * The crafted graphs. Content addressing makes a true hash cycle impossible, so the cycles are
 * the ones a registry or layout can really hold: edges that run both ways between two nodes,
 * listings that lie, and a fallback tag that is the subject itself.
 */
const CASES: Record<string, (t: Target) => Promise<Crafted>> = {
  // A referrer index that lists its own subject: the subject is a child of its referrer, and
  // the walk from the subject comes back to it (the graph that made copy -r hang).
  "a referrer index listing its own subject": async (t) => {
    const subject = await artifact(t, "application/vnd.test.image");
    await t.tag(subject, "v1");
    const ref = await pushManifest(t, index([subject], "application/vnd.test.bundle", subject));
    const sig = await artifact(t, "application/vnd.test.signature", ref);
    return { root: subject.digest, referrers: [ref.digest, sig.digest] };
  },
  // An index whose platform manifest's referrer is itself an index listing the parent index.
  "an index listing a manifest whose referrer lists the index": async (t) => {
    const platform = await artifact(t, "application/vnd.test.platform");
    const image = await pushManifest(t, index([platform]), "v1");
    const back = await pushManifest(t, index([image], "application/vnd.test.back", platform));
    return { root: image.digest, referrers: [back.digest] };
  },
  // A node on two paths: a signature listed as a referrer of the image and as a child of the
  // image's bundle referrer, with a referrer of its own.
  "a referrer reachable along two paths": async (t) => {
    const image = await artifact(t, "application/vnd.test.image");
    await t.tag(image, "v1");
    const sig = await artifact(t, "application/vnd.test.signature", image);
    const sigSig = await artifact(t, "application/vnd.test.countersign", sig);
    const bundle = await pushManifest(t, index([sig], "application/vnd.test.bundle", image));
    return { root: image.digest, referrers: [sig.digest, sigSig.digest, bundle.digest] };
  },
  // A tag-schema tag that resolves to the subject itself (GitLab resolves sha256-<hex> so).
  "a sha256-<hex> tag that is the subject itself": async (t) => {
    const image = await artifact(t, "application/vnd.test.image");
    await t.tag(image, "v1");
    await t.tag(image, fallbackTag(image.digest));
    return { root: image.digest, referrers: [] };
  },
};

async function withTarget<T>(place: Place, fn: (t: Target) => Promise<T>): Promise<T> {
  const factory = new TargetFactory(kindOf(place) === "layout" ? { ociLayout: true } : { plainHttp: true });
  try {
    const { target } = await factory.open(place.tagged("v1"), { create: true, needSelector: false });
    return await fn(target);
  } finally {
    await factory.close();
  }
}

async function cli(args: string[], dir: string): Promise<string> {
  const res = await runBounded(args, { cwd: dir, killAfterMs: 60_000 });
  if (res.hung) throw new Error(`ocigraph ${args.join(" ")} hung (killed after 60 s)`);
  if (res.code !== 0) throw new Error(`ocigraph ${args.join(" ")} exited ${res.code}: ${res.stderr}`);
  return res.stdout;
}

/** Copies src:v1 to dst:v1 with `tool`, recursively, the way its documentation says. */
async function copyWith(tool: Tool, src: Place, dst: Place, dir: string): Promise<void> {
  const layout = kindOf(src) === "layout";
  if (tool === "ocigraph") {
    const flags = layout ? ["--from-oci-layout", "--to-oci-layout"] : ["--plain-http"];
    await cli(["copy", "-r", src.tagged("v1"), dst.tagged("v1"), ...flags], dir);
  } else if (tool === "oras") {
    const flags = layout
      ? ["--from-oci-layout", "--to-oci-layout"]
      : ["--from-plain-http", "--to-plain-http"];
    await exec("oras", ["cp", "-r", src.tagged("v1"), dst.tagged("v1"), ...flags], dir);
  } else {
    const args = [
      "image",
      "copy",
      "--referrers",
      refFor("regctl", src, { tag: "v1" }),
      refFor("regctl", dst, { tag: "v1" }),
    ];
    await exec("regctl", [...args, ...flagsFor("regctl", src)], dir);
  }
}

const KINDS: TargetKind[] = ["layout", "distribution", "refreg"];

describe.each(Object.keys(CASES).flatMap((c) => KINDS.map((k) => [c, k] as const)))(
  "%s on %s",
  (name, kind) => {
    it("discover, copy -r and delete -r terminate and handle each node once", async () => {
      const dir = await mkdtemp(join(tmpdir(), "ocigraph-cycles-"));
      const src = await makePlace(kind);
      const crafted = await withTarget(src, CASES[name] as (t: Target) => Promise<Crafted>);
      if (name.startsWith("a sha256-<hex> tag") && kind === "distribution") {
        // On a registry without the referrers API such a tag means no referrer can be stored:
        // ocigraph says so in one line (hostile-registries.test.ts holds that contract) and
        // stops; what matters here is that it stops.
        for (const args of [
          ["discover", src.tagged("v1"), "--plain-http"],
          ["copy", "-r", src.tagged("v1"), (await makePlace(kind)).tagged("v1"), "--plain-http"],
        ]) {
          const res = await runBounded(args, { cwd: dir, killAfterMs: 60_000 });
          expect(res.hung).toBe(false);
          expect(res.code).toBe(1);
          expect(res.stderr.trim().split("\n")).toEqual([
            expect.stringMatching(/resolves to the subject itself/),
          ]);
        }
        return;
      }

      // discover: the whole graph, each referrer at least once, nothing else
      const edges = await readEdges("ocigraph", src, crafted.root, dir);
      for (const r of crafted.referrers) expect(edges.some((e) => e.endsWith(`>${r}`))).toBe(true);

      // copy -r with each tool into its own destination; ocigraph brings all the others bring
      const dests = new Map<Tool, Place>();
      for (const tool of ["ocigraph", "oras", "regctl"] as Tool[]) {
        const dst = await makePlace(kind);
        dests.set(tool, dst);
        try {
          await copyWith(tool, src, dst, dir);
        } catch (err) {
          if (tool === "ocigraph") throw err;
          dests.delete(tool); // the peer failed on this graph: nothing to compare with
        }
      }
      const mine = dests.get("ocigraph") as Place;
      const out = JSON.parse(
        await cli(
          ["copy", "-r", src.tagged("v1"), mine.tagged("v1"), ...copyFlags(kind), "--format", "json"],
          dir,
        ),
      ) as { referrers: { digest: string }[]; copied: number };
      // a second run finds everything there and lists each referrer once
      const listed = out.referrers.map((r) => r.digest);
      expect(new Set(listed).size).toBe(listed.length);
      expect(out.copied).toBe(0);
      expect([...listed].sort()).toEqual([...crafted.referrers].sort());
      const mineEdges = await readEdges("ocigraph", mine, crafted.root, dir);
      const mineTags = await tagsOf(mine, dir);
      for (const [tool, dst] of dests) {
        if (tool === "ocigraph") continue;
        const theirs = await readEdges("ocigraph", dst, crafted.root, dir);
        expect({ tool, missing: theirs.filter((e) => !mineEdges.includes(e)) }).toEqual({
          tool,
          missing: [],
        });
        // refreg never answers OCI-Subject, so oras-go also writes tag-schema tags there,
        // although the referrers API (which every reader uses on refreg) lists the same.
        const theirTags = (await tagsOf(dst, dir)).filter((t) => kind !== "refreg" || !/^sha256-/.test(t));
        expect({ tool, missing: theirTags.filter((t) => !mineTags.includes(t)) }).toEqual({
          tool,
          missing: [],
        });
      }
      if (kind === "layout") await assertValidLayout(mine.repo);

      // delete -r: each manifest once, the root included, and nothing of the graph left
      const deleted = JSON.parse(
        await cli(
          ["delete", "-r", "--force", mine.tagged("v1"), "--format", "json", ...flagsFor("ocigraph", mine)],
          dir,
        ),
      ) as { deleted: { digest: string }[] };
      const gone = deleted.deleted.map((d) => d.digest);
      expect(new Set(gone).size).toBe(gone.length);
      for (const d of [crafted.root, ...crafted.referrers]) expect(gone).toContain(d);
    });
  },
);

function copyFlags(kind: TargetKind): string[] {
  return kind === "layout" ? ["--from-oci-layout", "--to-oci-layout"] : ["--plain-http"];
}
