import { mkdtemp, readFile, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";

/** One place the suite runs a scenario against: a registry over plain HTTP, or an OCI layout. */
export interface Place {
  label: string;
  /** Flags to pass to every command. */
  flags: string[];
  /** Reference of the repository (no tag). */
  repo: string;
  /** `repo:tag` */
  tagged(tag: string): string;
  /** `repo@digest` */
  at(digest: string): string;
  /** The raw bytes of a manifest by digest or tag, straight from the store. */
  rawManifest(selector: string): Promise<Buffer>;
}

const ACCEPT = [
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.docker.distribution.manifest.v2+json",
].join(", ");

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString("hex")}`;
}

export function registryPlace(label: string, host: string, name = uniqueName("repo")): Place {
  const repo = `${host}/${name}`;
  return {
    label,
    flags: ["--plain-http"],
    repo,
    tagged: (tag) => `${repo}:${tag}`,
    at: (digest) => `${repo}@${digest}`,
    rawManifest: async (selector) => {
      const res = await fetch(`http://${host}/v2/${name}/manifests/${selector}`, {
        headers: { accept: ACCEPT },
      });
      if (res.status !== 200) throw new Error(`manifest ${selector}: ${res.status}`);
      return Buffer.from(await res.arrayBuffer());
    },
  };
}

export async function layoutPlace(): Promise<Place> {
  const dir = join(await mkdtemp(join(tmpdir(), "ocigraph-layout-")), "layout");
  return {
    label: "oci-layout",
    flags: ["--oci-layout"],
    repo: dir,
    tagged: (tag) => `${dir}:${tag}`,
    at: (digest) => `${dir}@${digest}`,
    rawManifest: async (selector) => {
      let digest = selector;
      if (!selector.includes(":")) {
        const index = JSON.parse(await readFile(join(dir, "index.json"), "utf8")) as {
          manifests: { digest: string; annotations?: Record<string, string> }[];
        };
        const entry = index.manifests.find(
          (m) => m.annotations?.["org.opencontainers.image.ref.name"] === selector,
        );
        if (!entry) throw new Error(`tag ${selector} not in layout`);
        digest = entry.digest;
      }
      return readFile(join(dir, "blobs", "sha256", digest.slice("sha256:".length)));
    },
  };
}

/** The walkthrough's files: signature, readme, a details folder, an SBOM. */
export async function walkthroughFiles(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "ocigraph-files-"));
  await writeFile(join(dir, "app.txt"), `image ${randomBytes(8).toString("hex")}\n`);
  await writeFile(
    join(dir, "signature.json"),
    '{"artifact": "net-monitor:v1", "signature": "jayden hancock"}\n',
  );
  await writeFile(join(dir, "readme.md"), "Readme Content\n");
  await mkdir(join(dir, "details"));
  await writeFile(join(dir, "details", "readme-details.md"), "Detailed Content\n");
  await writeFile(join(dir, "details", "readme-more-details.md"), "More detailed Content\n");
  await writeFile(join(dir, "sbom.json"), '{"version": "3.0.0", "name": "net-monitor"}\n');
  await writeFile(join(dir, "sbom-signature.json"), '{"artifact": "sbom", "signature": "jayden hancock"}\n');
  return dir;
}
