// A workspace as the CI job leaves it before the ocigraph step: an SBOM, a signature, scan
// results, a signature of the SBOM file and a docs folder, plus a subject image in a registry.
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ok } from "../helpers/cli";
import type { TokenAuthRig } from "../rig/token-auth";

export async function makeWorkspace(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "ocigraph-ws-"));
  await mkdir(join(dir, "sbom"));
  await writeFile(
    join(dir, "sbom", "net-monitor.spdx.json"),
    JSON.stringify({
      spdxVersion: "SPDX-2.3",
      SPDXID: "SPDXRef-DOCUMENT",
      name: "net-monitor",
      packages: [],
    }),
  );
  await writeFile(
    join(dir, "signature.dsse.json"),
    JSON.stringify({
      payloadType: "application/vnd.in-toto+json",
      payload: "e30=",
      signatures: [{ keyid: "k", sig: "c2ln" }],
    }),
  );
  await writeFile(
    join(dir, "trivy.sarif"),
    JSON.stringify({ $schema: "https://json.schemastore.org/sarif-2.1.0.json", version: "2.1.0", runs: [] }),
  );
  await writeFile(join(dir, "sbom.sig"), "signature over sbom/net-monitor.spdx.json");
  await mkdir(join(dir, "docs"));
  await writeFile(join(dir, "docs", "README.md"), "# net-monitor\n");
  await writeFile(join(dir, "image.txt"), `image content ${dir}`);
  return dir;
}

/** Pushes a small image to `reference` (a tag) and returns its digest. */
export async function pushImage(
  reference: string,
  workspace: string,
  extraFlags: string[] = [],
): Promise<string> {
  const out = await ok(
    [
      "push",
      "--plain-http",
      ...extraFlags,
      reference,
      "image.txt",
      "--artifact-type",
      "application/vnd.example.image",
    ],
    { cwd: workspace },
  );
  return digestIn(out);
}

/**
 * Pushes the workspace's image to `<repo>:v1` on the token-auth rig's ACR stand-in with the CLI,
 * signed in as the client-secret app, and returns its digest.
 */
export async function pushAcrSubject(rig: TokenAuthRig, repo: string, workspace: string): Promise<string> {
  const out = await ok(
    ["push", `${rig.acr.host}/${repo}:v1`, "image.txt", "--plain-http", ...rig.secretSignIn()],
    { cwd: workspace, env: rig.env({ AZURE_CLIENT_SECRET: rig.apps.secret.secret }) },
  );
  return digestIn(out);
}

function digestIn(out: string): string {
  const digest = /Digest: (sha256:[a-f0-9]{64})/.exec(out)?.[1];
  if (!digest) throw new Error(`no digest in: ${out}`);
  return digest;
}

export interface GraphNode {
  digest: string;
  artifactType?: string;
  annotations?: Record<string, string>;
  referrers: GraphNode[];
}

export function countNodes(node: GraphNode): number {
  return node.referrers.reduce((n, r) => n + 1 + countNodes(r), 0);
}

export function typesOf(node: GraphNode): string[] {
  return node.referrers.map((r) => r.artifactType ?? "").sort();
}
