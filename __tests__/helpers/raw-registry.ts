// Writing straight to a registry over plain HTTP, the way someone with push rights (and no
// ocigraph) would: images, referrer manifests with any artifactType, and hand-written
// tag-schema fallback indexes that may list anything.
import { createHash, randomBytes } from "node:crypto";

export const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
export const OCI_INDEX = "application/vnd.oci.image.index.v1+json";
const EMPTY = Buffer.from("{}");

export interface Pushed {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
}

const sha256 = (data: Buffer): string => `sha256:${createHash("sha256").update(data).digest("hex")}`;

export async function putBlob(host: string, repo: string, data: Buffer): Promise<string> {
  const digest = sha256(data);
  const start = await fetch(`http://${host}/v2/${repo}/blobs/uploads/`, { method: "POST" });
  if (start.status !== 202) throw new Error(`upload start: ${start.status}`);
  const location = new URL(start.headers.get("location") ?? "", `http://${host}`);
  location.searchParams.set("digest", digest);
  const put = await fetch(location, {
    method: "PUT",
    body: data,
    headers: { "content-type": "application/octet-stream" },
  });
  if (put.status !== 201) throw new Error(`upload: ${put.status} ${await put.text()}`);
  return digest;
}

export async function putManifest(
  host: string,
  repo: string,
  reference: string | undefined,
  manifest: object,
): Promise<Pushed> {
  const bytes = Buffer.from(JSON.stringify(manifest));
  const mediaType = (manifest as { mediaType: string }).mediaType;
  const digest = sha256(bytes);
  const res = await fetch(`http://${host}/v2/${repo}/manifests/${reference ?? digest}`, {
    method: "PUT",
    body: bytes,
    headers: { "content-type": mediaType },
  });
  if (res.status !== 201) throw new Error(`manifest ${reference}: ${res.status} ${await res.text()}`);
  const artifactType = (manifest as { artifactType?: string }).artifactType;
  return { mediaType, digest, size: bytes.length, ...(artifactType ? { artifactType } : {}) };
}

/** A one-layer image, tagged. */
export async function pushImage(host: string, repo: string, tag: string): Promise<Pushed> {
  const config = Buffer.from(
    JSON.stringify({ architecture: "amd64", os: "linux", n: randomBytes(4).toString("hex") }),
  );
  const layer = randomBytes(64);
  await putBlob(host, repo, config);
  await putBlob(host, repo, layer);
  return putManifest(host, repo, tag, {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: {
      mediaType: "application/vnd.oci.image.config.v1+json",
      digest: sha256(config),
      size: config.length,
    },
    layers: [
      { mediaType: "application/vnd.oci.image.layer.v1.tar", digest: sha256(layer), size: layer.length },
    ],
  });
}

/** A referrer of `subject` with any artifactType (not indexed anywhere: see putFallbackIndex). */
export async function pushReferrer(
  host: string,
  repo: string,
  subject: Pushed,
  artifactType: string,
): Promise<Pushed> {
  const layer = Buffer.from(`${artifactType} ${randomBytes(8).toString("hex")}\n`);
  await putBlob(host, repo, EMPTY);
  await putBlob(host, repo, layer);
  return putManifest(host, repo, undefined, {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    artifactType,
    config: { mediaType: "application/vnd.oci.empty.v1+json", digest: sha256(EMPTY), size: 2 },
    layers: [
      {
        mediaType: "application/octet-stream",
        digest: sha256(layer),
        size: layer.length,
        annotations: { "org.opencontainers.image.title": "evidence.txt" },
      },
    ],
    subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
  });
}

/** Writes the tag-schema index `sha256-<hex of subject>` listing exactly `entries`. */
export async function putFallbackIndex(
  host: string,
  repo: string,
  subject: string,
  entries: Pushed[],
): Promise<void> {
  await putManifest(host, repo, subject.replace(":", "-"), {
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests: entries.map((e) => ({
      mediaType: e.mediaType,
      digest: e.digest,
      size: e.size,
      ...(e.artifactType ? { artifactType: e.artifactType } : {}),
    })),
  });
}

/** HTTP status of a manifest GET (200 present, 404 gone). */
export async function manifestStatus(host: string, repo: string, reference: string): Promise<number> {
  const res = await fetch(`http://${host}/v2/${repo}/manifests/${reference}`, {
    headers: { accept: `${OCI_MANIFEST}, ${OCI_INDEX}` },
  });
  await res.arrayBuffer();
  return res.status;
}
