// Issue 9: graph data is hostile. Each case is an attack someone with push rights (or a
// hostile registry) can mount, run with the bundled CLI against CNCF distribution 2.8 from the
// rig or a node:http server (__tests__/helpers/hostile-registry.ts), and what must hold instead.
// The figures go to reliability/figures/hostile-graph.json ("Hostile graph data").
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ocigraph, type CliRun } from "../helpers/cli";
import {
  type HostileRegistry,
  seedArtifact,
  selfSignedCert,
  startHostileRegistry,
  startRecorder,
} from "../helpers/hostile-registry";
import {
  manifestStatus,
  pushImage,
  pushReferrer,
  putFallbackIndex,
  type Pushed,
} from "../helpers/raw-registry";
import { uniqueName } from "../helpers/targets";
import { testRegistries } from "../rig/env";
import { recordFigure, testFileOf } from "./figures";

const SBOM = "application/spdx+json";
const SIG = "application/vnd.example.signature";
const FAST = { OCIGRAPH_TIMEOUT_MS: "5000" };

interface Outcome {
  scenario: string;
  passed: boolean;
  notes: string;
}
const outcomes: Outcome[] = [];

/** Stderr for the figure: ports, digests and temp paths masked. */
function masked(text: string): string {
  return text
    .trim()
    .replace(/127\.0\.0\.1:\d+/g, "127.0.0.1:PORT")
    .replace(/localhost:\d+/g, "localhost:PORT")
    .replace(/\/tmp\/[\w.-]+/g, "<tmp>")
    .replace(/sha256:([0-9a-f]{12})[0-9a-f]{52}/g, "sha256:$1…")
    .replace(/repo-[0-9a-f]{8}/g, "repo")
    .slice(0, 260);
}

async function scenario(name: string, work: () => Promise<string>): Promise<void> {
  const entry = { scenario: name, passed: false, notes: "failed" };
  outcomes.push(entry);
  entry.notes = await work();
  entry.passed = true;
}

afterAll(() => {
  recordFigure({
    name: "hostile-graph",
    title: "Hostile graph data",
    issueItem: 9,
    testFile: testFileOf(__filename),
    parameters: { "mesh size k": 10, "default node cap": 10000, "referrers API pages": "3 × 20,000" },
    scenarios: outcomes.map((o) => ({
      scenario: o.scenario,
      runs: 1,
      passed: o.passed ? 1 : 0,
      notes: o.notes,
    })),
  });
});

describe("forged fallback index entries (distribution 2.8)", () => {
  const { distribution: host } = testRegistries();
  let repo: string;
  let prod: Pushed;
  let prodSig: Pushed;
  let prodSbom: Pushed;

  beforeAll(async () => {
    repo = uniqueName("repo");
    prod = await pushImage(host, repo, "prod");
    prodSig = await pushReferrer(host, repo, prod, SIG);
    prodSbom = await pushReferrer(host, repo, prod, SBOM);
    await putFallbackIndex(host, repo, prod.digest, [prodSig, prodSbom]);
  });

  test("delete -r deletes only the graph: a forged entry naming another image is ignored", async () => {
    await scenario(
      "delete -r app:dev whose fallback index also lists app:prod and its signature",
      async () => {
        const dev = await pushImage(host, repo, "dev");
        const devSbom = await pushReferrer(host, repo, dev, SBOM);
        await putFallbackIndex(host, repo, dev.digest, [devSbom, prod, prodSig]);
        const run = await ocigraph(["delete", "-r", `${host}/${repo}:dev`, "--force", "--plain-http"], {
          env: FAST,
        });
        expect(run.stderr).toContain(`ignoring ${prod.digest}`);
        expect(run.stderr).toContain(`ignoring ${prodSig.digest}`);
        expect(run.code).toBe(0);
        expect(await manifestStatus(host, repo, prod.digest)).toBe(200);
        expect(await manifestStatus(host, repo, prodSig.digest)).toBe(200);
        expect(await manifestStatus(host, repo, "prod")).toBe(200);
        expect(await manifestStatus(host, repo, devSbom.digest)).toBe(404);
        expect(await manifestStatus(host, repo, dev.digest)).toBe(404);
        return `exit 0; app:prod and its signature kept, app:dev and its SBOM deleted; ${masked(run.stderr.split("\n")[0] ?? "")}`;
      },
    );
  }, 60_000);

  test("the gate and copy -r ignore a forged entry", async () => {
    await scenario("verify --require an SBOM that only a forged entry provides", async () => {
      const other = await pushImage(host, repo, "other");
      await putFallbackIndex(host, repo, other.digest, [prodSbom]);
      const run = await ocigraph(["verify", `${host}/${repo}:other`, "--require", SBOM, "--plain-http"], {
        env: FAST,
      });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`ignoring ${prodSbom.digest}`);
      expect(run.stdout).toContain(`✗ ${SBOM}`);

      const dst = `${host}/${uniqueName("promoted")}`;
      const copied = await ocigraph(["copy", "-r", `${host}/${repo}:other`, `${dst}:other`, "--plain-http"], {
        env: FAST,
      });
      expect(copied.code).toBe(0);
      expect(copied.stdout).toContain("0 referrers");
      expect(await manifestStatus(host, dst.slice(host.length + 1), prodSbom.digest)).toBe(404);
      return "gate fails (exit 1), copy -r promotes 0 referrers: the forged SBOM neither counts nor travels";
    });
  }, 60_000);

  test("a mesh of k=10 fallback indexes that all list each other: each node once, in seconds", async () => {
    await scenario("discover on a mesh of 10 fallback indexes listing each other", async () => {
      const subject = await pushImage(host, repo, "mesh");
      const members: Pushed[] = [];
      for (let i = 0; i < 10; i++) members.push(await pushReferrer(host, repo, subject, SIG));
      await putFallbackIndex(host, repo, subject.digest, members);
      for (const m of members) await putFallbackIndex(host, repo, m.digest, members);
      const started = Date.now();
      const run = await ocigraph(["discover", `${host}/${repo}:mesh`, "--format", "json", "--plain-http"], {
        env: FAST,
      });
      const seconds = (Date.now() - started) / 1000;
      expect(run.code).toBe(0);
      const graph = JSON.parse(run.stdout) as { referrers: { digest: string; referrers?: unknown[] }[] };
      expect(graph.referrers.map((r) => r.digest).sort()).toEqual(members.map((m) => m.digest).sort());
      for (const r of graph.referrers) expect(r.referrers ?? []).toEqual([]);
      const warnings = run.stderr.split("\n").filter((l) => l.startsWith("Warning:")).length;
      expect(warnings).toBe(10); // each forged digest named once, not once per listing

      const capped = await ocigraph(
        ["discover", `${host}/${repo}:mesh`, "--max-nodes", "5", "--plain-http"],
        {
          env: FAST,
        },
      );
      expect(capped.code).toBe(1);
      expect(capped.stderr).toMatch(/more than (the limit of )?5\b/);
      outcomes.push({
        scenario: "discover --max-nodes 5 on a graph of 10 referrers",
        passed: true,
        notes: masked(capped.stderr.split("\n").find((l) => l.startsWith("Error:")) ?? ""),
      });
      return `10 nodes, each printed once, ${warnings} warnings, ${seconds.toFixed(1)} s`;
    });
  }, 120_000);
});

describe("hostile registries (node:http)", () => {
  let reg: HostileRegistry | undefined;
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    await reg?.close();
    reg = undefined;
    for (const close of closers.splice(0)) await close();
  });

  test("referrers API with 3 pages of 20,000 descriptors stops at the limit", async () => {
    await scenario("referrers API serving 3 pages × 20,000 descriptors", async () => {
      reg = await startHostileRegistry();
      const subject = seedArtifact(reg, [{ data: Buffer.from("x") }], { tag: "v1" });
      let pages = 0;
      const page = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: "application/vnd.oci.image.index.v1+json",
          manifests: Array.from({ length: 20_000 }, (_, i) => ({
            mediaType: "application/vnd.oci.image.manifest.v1+json",
            digest: `sha256:${i.toString(16).padStart(64, "0")}`,
            size: 100,
            artifactType: SIG,
          })),
        }),
      );
      reg.override = (req, res) => {
        if (!/\/referrers\//.test(req.url ?? "")) return false;
        pages++;
        res.writeHead(200, {
          "content-type": "application/vnd.oci.image.index.v1+json",
          ...(pages < 3
            ? { link: `</v2/hostile/referrers/${subject.digest}?page=${pages}>; rel="next"` }
            : {}),
        });
        res.end(page);
        return true;
      };
      const run = await ocigraph(["discover", `${reg.host}/hostile:v1`, "--plain-http"], { env: FAST });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain("exceed the limit of");
      expect(reg.requests.length).toBeLessThan(10);
      return `exit 1 after ${reg.requests.length} requests: ${masked(run.stderr)}`;
    });
  }, 60_000);

  test("a token service redirecting the refresh-token POST gets no second request anywhere", async () => {
    await scenario("token POST answered 307 to another origin", async () => {
      const thief = await startRecorder((_q, res) => void res.writeHead(200).end('{"token":"stolen"}'));
      closers.push(thief.close);
      const token = await startRecorder(
        (_q, res) => void res.writeHead(307, { location: `${thief.origin}/steal` }).end(),
      );
      closers.push(token.close);
      reg = await startHostileRegistry();
      seedArtifact(reg, [{ data: Buffer.from("x") }], { tag: "v1" });
      reg.override = (req, res) => {
        if (req.headers.authorization) return false;
        res
          .writeHead(401, { "www-authenticate": `Bearer realm="${token.origin}/token",service="hostile"` })
          .end();
        return true;
      };
      const dir = await mkdtemp(join(tmpdir(), "ocigraph-redirect-"));
      const config = join(dir, "config.json");
      await writeFile(
        config,
        JSON.stringify({ auths: { [reg.host]: { identitytoken: "refresh-SECRET-123" } } }),
      );
      const run = await ocigraph(
        ["discover", `${reg.host}/hostile:v1`, "--plain-http", "--registry-config", config],
        {
          env: FAST,
        },
      );
      await rm(dir, { recursive: true, force: true });
      expect(token.requests.map((r) => r.method)).toEqual(["POST"]);
      expect(thief.requests).toEqual([]);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`redirecting to ${thief.origin}/steal`);
      expect(run.stderr).not.toContain("refresh-SECRET-123");
      return `exit 1, the other origin got 0 requests: ${masked(run.stderr)}`;
    });
  }, 60_000);

  test("a blob GET redirected from https to http is refused", async () => {
    await scenario("blob GET over https redirected to plain http", async () => {
      const tls = selfSignedCert();
      const plain = await startRecorder((_q, res) => void res.writeHead(200).end("x"));
      closers.push(plain.close);
      reg = await startHostileRegistry({ tls: { key: tls.key, cert: tls.cert } });
      const a = seedArtifact(reg, [{ data: Buffer.from("content"), title: "f.txt" }], { tag: "v1" });
      reg.override = (req, res) => {
        if (req.method !== "GET" || !req.url?.includes(`/blobs/${a.layerDigests[0]}`)) return false;
        res.writeHead(307, { location: `${plain.origin}/blob` }).end();
        return true;
      };
      const out = await mkdtemp(join(tmpdir(), "ocigraph-downgrade-"));
      const run = await ocigraph(["pull", `${reg.host}/hostile:v1`, "-o", out, "--ca-file", tls.certFile], {
        env: FAST,
      });
      const written = await readdir(out);
      await rm(out, { recursive: true, force: true });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain("to plain http");
      expect(plain.requests).toEqual([]);
      expect(written).toEqual([]);
      return `exit 1, nothing fetched over http: ${masked(run.stderr)}`;
    });
  }, 60_000);

  test("an error body echoing the credentials is redacted", async () => {
    await scenario(
      "registry error body echoing the Basic header, base64 user:pass and the password",
      async () => {
        const username = "ci-user";
        const password = "pa55-word-SECRET";
        reg = await startHostileRegistry({ basicAuth: { username, password } });
        seedArtifact(reg, [{ data: Buffer.from("x") }], { tag: "v1" });
        reg.override = (req, res) => {
          const auth = req.headers.authorization;
          if (!auth || req.method !== "GET" || !req.url?.includes("/manifests/")) return false;
          const b64 = auth.replace(/^Basic /, "");
          const echo = `denied for ${auth} (${b64}) user ${username}:${password} password ${password}`;
          const body = JSON.stringify({ errors: [{ code: "DENIED", message: echo }] });
          res.writeHead(403, { "content-type": "application/json" }).end(body);
          return true;
        };
        const run = await ocigraph(
          ["discover", `${reg.host}/hostile:v1`, "--plain-http", "-u", username, "-p", password],
          { env: FAST },
        );
        const b64 = Buffer.from(`${username}:${password}`).toString("base64");
        expect(run.code).toBe(1);
        expect(run.stderr).toContain("DENIED");
        for (const secret of [password, b64]) expect(run.stderr).not.toContain(secret);

        const ref = await ocigraph([
          "discover",
          `${username}:${password}@${reg.host}/hostile:v1`,
          "--plain-http",
        ]);
        expect(ref.code).not.toBe(0);
        expect(ref.stderr).not.toContain(password);
        return `exit 1, no secret printed: ${masked(run.stderr)}`;
      },
    );
  }, 60_000);

  test("a Bearer realm on another host: one warning; refused with --no-cross-host-realm", async () => {
    await scenario("Bearer realm on another host receiving Basic credentials", async () => {
      const token = await startRecorder((_q, res) => void res.writeHead(200).end('{"token":"tok-123"}'));
      closers.push(token.close);
      reg = await startHostileRegistry();
      seedArtifact(reg, [{ data: Buffer.from("x") }], { tag: "v1" });
      const realm = `http://localhost:${token.host.split(":")[1]}/token`;
      reg.override = (req, res) => {
        if (req.headers.authorization === "Bearer tok-123") return false;
        res.writeHead(401, { "www-authenticate": `Bearer realm="${realm}",service="hostile"` }).end();
        return true;
      };
      const args = ["discover", `${reg.host}/hostile:v1`, "--plain-http", "-u", "me", "-p", "secret-pass"];
      const warned = await ocigraph(args, { env: FAST });
      expect(warned.code).toBe(0);
      const warnings = warned.stderr.split("\n").filter((l) => l.includes("token service on another host"));
      expect(warnings).toHaveLength(1);
      const asked = token.requests.length;
      expect(asked).toBeGreaterThan(0);

      const refused = await ocigraph([...args, "--no-cross-host-realm"], { env: FAST });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain("refused");
      expect(token.requests.length).toBe(asked);
      return `default: exit 0 with ${warnings.length} warning; --no-cross-host-realm: exit 1, token service not asked: ${masked(refused.stderr)}`;
    });
  }, 60_000);

  test("pull stops at the total unpack limit across layers", async () => {
    await scenario("pull of 3 × 1 MiB files with --max-unpack-bytes 2 MiB", async () => {
      reg = await startHostileRegistry();
      const mib = (c: string): Buffer => Buffer.alloc(1024 * 1024, c);
      seedArtifact(
        reg,
        [
          { data: mib("a"), title: "a.bin" },
          { data: mib("b"), title: "b.bin" },
          { data: mib("c"), title: "c.bin" },
        ],
        { tag: "v1" },
      );
      const out = await mkdtemp(join(tmpdir(), "ocigraph-total-"));
      const run = await ocigraph(
        [
          "pull",
          `${reg.host}/hostile:v1`,
          "-o",
          out,
          "--plain-http",
          "--max-unpack-bytes",
          String(2 * 1024 * 1024),
          "--concurrency",
          "1",
        ],
        { env: FAST },
      );
      const written = (await readdir(out)).filter((n) => !n.startsWith("."));
      await rm(out, { recursive: true, force: true });
      if (run.code !== 1) throw new Error(JSON.stringify(run));
      expect(run.stderr).toContain("in total");
      // The files' sizes are in the manifest: the limit is checked before anything is written.
      expect(written).toEqual([]);
      return `exit 1 with ${written.length} of 3 files written: ${masked(run.stderr)}`;
    });
  }, 60_000);
});

describe("local inputs", () => {
  async function cli(args: string[]): Promise<CliRun> {
    return ocigraph(args, { env: FAST });
  }

  test("--ca-file refuses a device, a FIFO and a file over 1 MiB", async () => {
    await scenario("--ca-file /dev/zero, a FIFO, a 2 MiB file", async () => {
      const dir = await mkdtemp(join(tmpdir(), "ocigraph-files-"));
      const fifo = join(dir, "fifo");
      execFileSync("mkfifo", [fifo]);
      const big = join(dir, "big.pem");
      await writeFile(big, Buffer.alloc(2 * 1024 * 1024, "a"));
      const notes: string[] = [];
      for (const [file, says] of [
        ["/dev/zero", "not a regular file"],
        [fifo, "not a regular file"],
        [big, "larger than 1 MiB"],
      ] as const) {
        const run = await cli(["tags", "127.0.0.1:9/none", "--ca-file", file]);
        expect(run.code).toBe(1);
        expect(run.stderr).toContain(says);
        notes.push(masked(run.stderr));
      }
      await rm(dir, { recursive: true, force: true });
      return notes[0] ?? "";
    });
  }, 60_000);

  test("an OCI layout whose blobs folder is a symlink leading outside is refused", async () => {
    await scenario("OCI layout with blobs/sha256 symlinked outside the layout", async () => {
      const dir = await mkdtemp(join(tmpdir(), "ocigraph-layout-"));
      const layout = join(dir, "layout");
      const outside = join(dir, "outside");
      await mkdir(join(layout, "blobs"), { recursive: true });
      await mkdir(outside);
      await symlink(outside, join(layout, "blobs", "sha256"));
      await writeFile(join(layout, "oci-layout"), '{"imageLayoutVersion":"1.0.0"}');
      await writeFile(join(layout, "index.json"), '{"schemaVersion":2,"manifests":[]}');
      const run = await cli(["tags", layout, "--oci-layout"]);
      await rm(dir, { recursive: true, force: true });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain("leads outside it");
      return masked(run.stderr);
    });
  }, 30_000);
});
