// Referrer graphs written and read by the real clients: ocigraph (the bundled CLI), oras and
// regctl (built by scripts/peers/install.sh), on an OCI layout, on distribution 2.8 (tag-schema
// fallback) and on refreg (referrers API). Edges are compared as "from>to" digest pairs.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { TargetFactory } from "../../src/connect/targets";
import { ocigraph, run } from "./cli";
import { pushMultiArch } from "./images";
import { type Place, layoutPlace, registryPlace } from "./targets";
import { testRegistries } from "../rig/env";

export type Tool = "ocigraph" | "oras" | "regctl";
export type TargetKind = "layout" | "distribution" | "refreg";
export const TOOLS: readonly Tool[] = ["ocigraph", "oras", "regctl"];
export const TARGET_KINDS: readonly TargetKind[] = ["layout", "distribution", "refreg"];

export async function makePlace(kind: TargetKind): Promise<Place> {
  if (kind === "layout") return layoutPlace();
  const regs = testRegistries();
  return registryPlace(kind, kind === "distribution" ? regs.distribution : regs.referrers);
}

export function kindOf(place: Place): TargetKind {
  return place.label === "oci-layout" ? "layout" : (place.label as TargetKind);
}

function host(place: Place): string {
  return place.repo.split("/")[0] as string;
}

/** A reference to `digest` (or `tag`) the way `tool` spells it. */
export function refFor(tool: Tool, place: Place, at: { digest?: string; tag?: string }): string {
  const base = tool === "regctl" && kindOf(place) === "layout" ? `ocidir://${place.repo}` : place.repo;
  return at.digest ? `${base}@${at.digest}` : `${base}:${at.tag}`;
}

/** Connection flags of `tool` for `place`. */
export function flagsFor(tool: Tool, place: Place): string[] {
  const kind = kindOf(place);
  if (tool === "ocigraph") return kind === "layout" ? ["--oci-layout"] : ["--plain-http"];
  if (tool === "oras") return kind === "layout" ? ["--oci-layout"] : ["--plain-http"];
  return kind === "layout" ? [] : ["--host", `reg=${host(place)},tls=disabled`];
}

export async function exec(tool: Tool, args: string[], cwd?: string): Promise<string> {
  const regs = testRegistries();
  const result =
    tool === "ocigraph"
      ? await ocigraph(args, { ...(cwd ? { cwd } : {}) })
      : await run(tool === "oras" ? regs.oras : regs.regctl, args, {
          ...(cwd ? { cwd } : {}),
          // regctl keeps its own config (hosts, referrers mode): one per run, nothing shared.
          env: { HOME: cwd ?? process.cwd() },
        });
  if (result.code !== 0) throw new Error(`${tool} ${args.join(" ")} exited ${result.code}: ${result.stderr}`);
  return result.stdout;
}

export interface Subject {
  index: string;
  platforms: string[];
}

/** A multi-arch image (an index of two platform manifests) tagged v1, written by the library. */
export async function pushSubject(place: Place): Promise<Subject> {
  const factory = new TargetFactory(kindOf(place) === "layout" ? { ociLayout: true } : { plainHttp: true });
  try {
    const { target } = await factory.open(place.tagged("v1"), { create: true, needSelector: false });
    const image = await pushMultiArch(target, "v1", { layers: 1, layerSize: 256 });
    return { index: image.index.digest, platforms: image.platforms.map((p) => p.digest) };
  } finally {
    await factory.close();
  }
}

/** Attaches `file` to `subject` as `artifactType` with `tool`; returns the referrer's digest. */
export async function attachWith(
  tool: Tool,
  place: Place,
  subject: string,
  artifactType: string,
  dir: string,
  /** How to reach a platform manifest through its index (oras on a layout needs it). */
  via?: { index: string; platform: string },
): Promise<string> {
  const file = `${artifactType.replace(/\W/g, "-")}.json`;
  await writeFile(join(dir, file), JSON.stringify({ artifactType, subject, nonce: Math.random() }));
  let ref = refFor(tool, place, { digest: subject });
  if (tool === "ocigraph") {
    const out = await exec(
      tool,
      ["attach", ref, file, "--artifact-type", artifactType, "--format", "json", ...flagsFor(tool, place)],
      dir,
    );
    return (JSON.parse(out) as { digest: string }).digest;
  }
  if (tool === "oras") {
    const spec = kindOf(place) === "distribution" ? ["--distribution-spec", "v1.1-referrers-tag"] : [];
    // By digest, oras records a platform manifest that index.json does not list as
    // application/octet-stream in the subject and then cannot find it: go through the index.
    if (via && kindOf(place) === "layout") {
      ref = refFor(tool, place, { digest: via.index });
      spec.push("--platform", via.platform);
    }
    const out = await exec(
      tool,
      [
        "attach",
        ref,
        file,
        "--artifact-type",
        artifactType,
        "--format",
        "json",
        ...spec,
        ...flagsFor(tool, place),
      ],
      dir,
    );
    return (JSON.parse(out) as { digest: string }).digest;
  }
  // regctl prints nothing on put: the new referrer is the one listed after it and not before
  // (filtering by type would not do: refreg reports the config type as the artifact type).
  const format = "{{range .Descriptors}}{{println .Digest}}{{end}}";
  const list = async (): Promise<string[]> =>
    (await exec(tool, ["artifact", "list", ref, "--format", format, ...flagsFor(tool, place)], dir))
      .split("\n")
      .filter(Boolean);
  const before = new Set(await list());
  const put = ["artifact", "put", "--subject", ref, "--artifact-type", artifactType, "-f", file];
  await exec(tool, [...put, ...flagsFor(tool, place)], dir);
  const added = (await list()).filter((d) => !before.has(d));
  if (added.length !== 1) throw new Error(`regctl artifact put to ${ref} added ${added.length} referrers`);
  return added[0] as string;
}

export interface Written {
  subject: Subject;
  /** Every subject>referrer and index>child pair the writer made. */
  edges: string[];
}

/**
 * The graph every cell of the interop table checks: on the index a signature and an SBOM,
 * on the SBOM its signature (depth 2), on the first platform manifest a scan report.
 */
export async function writeGraph(tool: Tool, place: Place, dir: string): Promise<Written> {
  const subject = await pushSubject(place);
  const sig = await attachWith(tool, place, subject.index, "application/vnd.test.signature", dir);
  const sbom = await attachWith(tool, place, subject.index, "application/vnd.test.sbom", dir);
  const sbomSig = await attachWith(tool, place, sbom, "application/vnd.test.sbom-signature", dir);
  const scan = await attachWith(
    tool,
    place,
    subject.platforms[0] as string,
    "application/vnd.test.scan",
    dir,
    { index: subject.index, platform: "linux/amd64" },
  );
  const edges = [
    ...subject.platforms.map((p) => `${subject.index}>${p}`),
    `${subject.index}>${sig}`,
    `${subject.index}>${sbom}`,
    `${sbom}>${sbomSig}`,
    `${subject.platforms[0]}>${scan}`,
  ];
  return { subject, edges: edges.sort() };
}

interface OrasNode {
  digest: string;
  referrers?: OrasNode[];
}

function treeEdges(node: OrasNode, out: Set<string>): void {
  for (const r of node.referrers ?? []) {
    out.add(`${node.digest}>${r.digest}`);
    treeEdges(r, out);
  }
}

interface Child {
  digest: string;
  platform?: { os: string; architecture: string };
}

/** Index children as stored (the graph below them is what each tool reports). */
async function childrenOf(place: Place, digest: string): Promise<Child[]> {
  return (
    (JSON.parse((await place.rawManifest(digest)).toString()) as { manifests?: Child[] }).manifests ?? []
  );
}

interface RegctlNode {
  reference?: { Digest?: string };
  referrer?: RegctlNode[];
  child?: RegctlNode[];
}

function regctlEdges(node: RegctlNode, digest: string, out: Set<string>): void {
  for (const next of [...(node.child ?? []), ...(node.referrer ?? [])]) {
    const d = next.reference?.Digest ?? "";
    out.add(`${digest}>${d}`);
    regctlEdges(next, d, out);
  }
}

/**
 * The edges `tool` reports below `index`: referrers at every depth, of the index and of each
 * of its children, and the index's children. oras and ocigraph list one node's referrers per
 * call, so they are asked about each child too; regctl's tree includes the children.
 */
export async function readEdges(
  tool: Tool,
  place: Place,
  index: string,
  dir: string,
  options: { slowReferrers?: boolean } = {},
): Promise<string[]> {
  const out = new Set<string>();
  if (tool === "regctl") {
    const slow = options.slowReferrers ? ["--slow-referrers"] : [];
    const ref = refFor(tool, place, { digest: index });
    const json = await exec(
      tool,
      ["artifact", "tree", ref, "--format", "{{json .}}", ...slow, ...flagsFor(tool, place)],
      dir,
    );
    regctlEdges(JSON.parse(json) as RegctlNode, index, out);
    return [...out].sort();
  }
  const children = await childrenOf(place, index);
  for (const c of children) out.add(`${index}>${c.digest}`);
  for (const node of [{ digest: index } as Child, ...children]) {
    // oras cannot resolve a manifest that a layout's index.json does not list by its digest
    // ("is not a manifest"): it reaches a platform manifest through the index with --platform.
    const platform = tool === "oras" && kindOf(place) === "layout" ? node.platform : undefined;
    const ref = refFor(tool, place, { digest: platform ? index : node.digest });
    const select = platform ? ["--platform", `${platform.os}/${platform.architecture}`] : [];
    const json = await exec(
      tool,
      ["discover", ref, ...select, "--format", "json", ...flagsFor(tool, place)],
      dir,
    );
    treeEdges({ ...(JSON.parse(json) as OrasNode), digest: node.digest }, out);
  }
  return [...out].sort();
}

/** Tags of a place (layout index.json or registry tags/list), sorted. */
export async function tagsOf(place: Place, dir: string): Promise<string[]> {
  const out = await exec("ocigraph", ["tags", place.repo, ...flagsFor("ocigraph", place)], dir);
  return out.split("\n").filter(Boolean).sort();
}
