// The test rig itself: real registries answer, referrers work where they should, auth is enforced,
// the CLI peers run. Plain fetch only, no ocigraph code.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { promisify } from "node:util";
import { testRegistries } from "../rig/env";
import { startDistribution } from "../rig/peers";

const execFileAsync = promisify(execFile);

const EMPTY_JSON = "application/vnd.oci.empty.v1+json";
const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
const OCI_INDEX = "application/vnd.oci.image.index.v1+json";
const ARTIFACT_TYPE = "application/vnd.ocigraph.rig-test+json";

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
}

interface Target {
  host: string;
  headers: Record<string, string>;
}

function sha256(data: Buffer): string {
  return `sha256:${createHash("sha256").update(data).digest("hex")}`;
}

function descriptor(mediaType: string, data: Buffer): Descriptor {
  return { mediaType, digest: sha256(data), size: data.length };
}

async function expectStatus(res: Response, expected: number[], what: string): Promise<void> {
  if (!expected.includes(res.status)) {
    const body = await res.text();
    throw new Error(`${what}: HTTP ${res.status} (wanted ${expected.join("/")}): ${body.slice(0, 500)}`);
  }
}

/** POST an upload session, then PUT the bytes with ?digest= (both registries support this). */
async function pushBlob(t: Target, repo: string, data: Buffer): Promise<string> {
  const digest = sha256(data);
  const base = `http://${t.host}`;
  const post = await fetch(`${base}/v2/${repo}/blobs/uploads/`, { method: "POST", headers: t.headers });
  await expectStatus(post, [202], `POST upload ${repo}`);
  await post.arrayBuffer();
  const location = post.headers.get("location");
  expect(location).toBeTruthy();
  const url = new URL(location ?? "", base); // refreg answers a relative path, distribution an absolute URL
  url.searchParams.set("digest", digest);
  const put = await fetch(url, {
    method: "PUT",
    headers: { ...t.headers, "content-type": "application/octet-stream" },
    body: data,
  });
  await expectStatus(put, [201], `PUT blob ${repo}`);
  await put.arrayBuffer();
  const head = await fetch(`${base}/v2/${repo}/blobs/${digest}`, { method: "HEAD", headers: t.headers });
  expect(head.status).toBe(200);
  return digest;
}

async function pushManifest(t: Target, repo: string, ref: string, body: Buffer): Promise<Response> {
  const res = await fetch(`http://${t.host}/v2/${repo}/manifests/${ref}`, {
    method: "PUT",
    headers: { ...t.headers, "content-type": OCI_MANIFEST },
    body,
  });
  await expectStatus(res, [201], `PUT manifest ${repo}:${ref}`);
  await res.arrayBuffer();
  expect(res.headers.get("docker-content-digest")).toBe(sha256(body));
  return res;
}

interface Pushed {
  subject: Descriptor;
  referrer: Descriptor;
  referrerPut: Response;
}

/** Pushes an image (tag v1) and an artifact manifest whose subject is that image (by digest). */
async function pushImageAndReferrer(t: Target, repo: string): Promise<Pushed> {
  const empty = Buffer.from("{}");
  const layer = Buffer.from(`layer for ${repo} ${Date.now()}\n`);
  const sbom = Buffer.from(JSON.stringify({ sbom: repo }));
  await pushBlob(t, repo, empty);
  await pushBlob(t, repo, layer);
  await pushBlob(t, repo, sbom);

  const image = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: descriptor(EMPTY_JSON, empty),
      layers: [descriptor("application/vnd.oci.image.layer.v1.tar", layer)],
    }),
  );
  await pushManifest(t, repo, "v1", image);
  const subject = descriptor(OCI_MANIFEST, image);

  const artifact = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      artifactType: ARTIFACT_TYPE,
      config: descriptor(EMPTY_JSON, empty),
      layers: [descriptor("application/json", sbom)],
      subject,
      annotations: { "org.opencontainers.image.created": "2026-01-01T00:00:00Z" },
    }),
  );
  const referrer = { ...descriptor(OCI_MANIFEST, artifact), artifactType: ARTIFACT_TYPE };
  const referrerPut = await pushManifest(t, repo, referrer.digest, artifact);

  const back = await fetch(`http://${t.host}/v2/${repo}/manifests/${referrer.digest}`, {
    headers: { ...t.headers, accept: OCI_MANIFEST },
  });
  expect(back.status).toBe(200);
  expect(sha256(Buffer.from(await back.arrayBuffer()))).toBe(referrer.digest);
  return { subject, referrer, referrerPut };
}

function basic(username: string, password: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}` };
}

describe("test rig", () => {
  const regs = testRegistries();

  test("refreg serves the OCI 1.1 referrers API", async () => {
    const t = { host: regs.referrers, headers: {} };
    const { subject, referrer, referrerPut } = await pushImageAndReferrer(t, "rig/referrers");
    // go-containerregistry's registry does not send OCI-Subject on manifest PUT.
    expect(referrerPut.headers.get("oci-subject")).toBeNull();

    const res = await fetch(`http://${t.host}/v2/rig/referrers/referrers/${subject.digest}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe(OCI_INDEX);
    const index = (await res.json()) as { mediaType: string; manifests: Descriptor[] };
    expect(index.mediaType).toBe(OCI_INDEX);
    expect(index.manifests.map((d) => d.digest)).toEqual([referrer.digest]);
    expect(index.manifests[0]?.size).toBe(referrer.size);
    // Quirk of go-containerregistry's registry (v0.22.1): the listed artifactType is the config's
    // mediaType, not the manifest's own artifactType, and ?artifactType= is ignored (see refreg/main.go).
    expect(index.manifests[0]?.artifactType).toBe(EMPTY_JSON);
    const filtered = await fetch(
      `http://${t.host}/v2/rig/referrers/referrers/${subject.digest}?artifactType=${encodeURIComponent(ARTIFACT_TYPE)}`,
    );
    expect(filtered.headers.get("oci-filters-applied")).toBeNull();
    await filtered.arrayBuffer();

    // A digest without referrers in an existing repo: an empty index, not 404.
    const none = await fetch(`http://${t.host}/v2/rig/referrers/referrers/${referrer.digest}`);
    expect(none.status).toBe(200);
    expect(((await none.json()) as { manifests: Descriptor[] }).manifests).toEqual([]);
  });

  test("distribution 2.8 stores a manifest with subject but has no referrers API", async () => {
    const t = { host: regs.distribution, headers: {} };
    const { subject, referrerPut } = await pushImageAndReferrer(t, "rig/fallback");
    expect(referrerPut.headers.get("oci-subject")).toBeNull();
    const res = await fetch(`http://${t.host}/v2/rig/fallback/referrers/${subject.digest}`);
    await res.arrayBuffer();
    expect(res.status).toBe(404);
  });

  test("distribution with htpasswd answers 401 without credentials and 200 with", async () => {
    const { host, username, password } = regs.distributionAuth;
    const anon = await fetch(`http://${host}/v2/`);
    await anon.arrayBuffer();
    expect(anon.status).toBe(401);
    expect(anon.headers.get("www-authenticate")).toMatch(/^Basic realm=/);

    const wrong = await fetch(`http://${host}/v2/`, { headers: basic(username, "not-the-password") });
    await wrong.arrayBuffer();
    expect(wrong.status).toBe(401);

    const ok = await fetch(`http://${host}/v2/`, { headers: basic(username, password) });
    await ok.arrayBuffer();
    expect(ok.status).toBe(200);

    await pushImageAndReferrer({ host, headers: basic(username, password) }, "rig/auth");
  });

  test("oras and regctl run", async () => {
    const oras = await execFileAsync(regs.oras, ["version"]);
    expect(oras.stdout).toMatch(/Version:\s+1\.3\.6/);
    const regctl = await execFileAsync(regs.regctl, ["version"]);
    expect(regctl.stdout).toMatch(/v0\.11\.7/);
  });

  test("oras discover sees a referrer pushed to refreg", async () => {
    const t = { host: regs.referrers, headers: {} };
    const { subject, referrer } = await pushImageAndReferrer(t, "rig/oras");
    const { stdout } = await execFileAsync(regs.oras, [
      "discover",
      "--plain-http",
      "--format",
      "json",
      `${t.host}/rig/oras@${subject.digest}`,
    ]);
    expect(stdout).toContain(referrer.digest);
  });

  test("a distribution can be killed and started again with the same port and storage", async () => {
    const reg = await startDistribution();
    try {
      const t = { host: reg.host, headers: {} };
      const { subject } = await pushImageAndReferrer(t, "rig/restart");
      await reg.stopProcess("SIGKILL");
      await expect(fetch(`http://${reg.host}/v2/`)).rejects.toThrow();
      await reg.startAgain();
      const res = await fetch(`http://${reg.host}/v2/rig/restart/manifests/v1`, {
        method: "HEAD",
        headers: { accept: OCI_MANIFEST },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get("docker-content-digest")).toBe(subject.digest);
    } finally {
      await reg.stop();
    }
  });
});
