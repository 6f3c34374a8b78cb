// Issue 6, item 4: hostile or broken registries, scripted with node:http servers
// (__tests__/helpers/hostile-registry.ts). Each case runs the bundled CLI against one and must
// end with one `Error:` line, a non-zero exit, no crash (no stack trace), no hang (bounded by
// OCIGRAPH_TIMEOUT_MS and the jest timeout), nothing tagged on the registry and nothing written
// to the pull folder. Where the right behaviour is to succeed without leaking (a redirect to
// blob storage), the case says so and checks the credential stayed home.
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BoundedRun, runBounded } from "../helpers/faults";
import {
  type HostileRegistry,
  type HostileOptions,
  type Recorder,
  OCI_INDEX,
  seedArtifact,
  selfSignedCert,
  sha256,
  startHostileRegistry,
  startRecorder,
} from "../helpers/hostile-registry";
import { recordFigure, testFileOf } from "./figures";

const USER = "hostile-user";
const PASS = "hostile-secret-pw-4f1c";
const TIMEOUT_MS = 1500;
/** Realistic retry budget (the helper's default of 1 retry is for fast bad-input runs). */
const ENV = {
  OCIGRAPH_TIMEOUT_MS: String(TIMEOUT_MS),
  OCIGRAPH_MAX_RETRIES: "2",
  OCIGRAPH_RETRY_DELAY_MS: "50",
};

interface Ctx {
  reg: HostileRegistry;
  other: Recorder;
  files: string;
  out: string;
  repo: string;
  /** Flags: --plain-http, or --ca-file for the TLS registry, plus credentials when asked. */
  flags: string[];
  subject: { digest: string; bytes: Buffer };
}

interface Case {
  name: string;
  /** Registry options (basic auth). */
  registry?: HostileOptions;
  /** Serve HTTPS with a throw-away certificate (the CLI gets --ca-file). */
  tls?: boolean;
  setup: (c: Ctx) => void | Promise<void>;
  args: (c: Ctx) => string[];
  /** Substrings of the error line; undefined means the command must succeed. */
  says?: string[];
  check?: (c: Ctx, result: BoundedRun) => void | Promise<void>;
}

const isGet = (req: IncomingMessage, pattern: RegExp): boolean =>
  (req.method === "GET" || req.method === "HEAD") && pattern.test(req.url ?? "");

function serve(
  res: ServerResponse,
  status: number,
  headers: Record<string, string | number>,
  body = "",
): true {
  res.writeHead(status, headers).end(body);
  return true;
}

/** Answers with headers, then `chunk` every `everyMs` until the client goes away. */
function trickle(
  res: ServerResponse,
  headers: Record<string, string | number>,
  chunk: string,
  everyMs = 100,
): true {
  res.writeHead(200, headers);
  const timer = setInterval(() => {
    if (res.destroyed) clearInterval(timer);
    else res.write(chunk);
  }, everyMs);
  res.on("close", () => clearInterval(timer));
  return true;
}

const TITLE = "a.txt";
const CONTENT = Buffer.from("the real content of a.txt\n");
const tagged = (c: Ctx) => `${c.repo}:v1`;
const pullArgs = (c: Ctx) => ["pull", tagged(c), "-o", c.out];

const cases: Case[] = [
  {
    name: "blob with the wrong digest (same size)",
    setup: (c) => {
      c.reg.override = (req, res) =>
        isGet(req, /\/blobs\/sha256:/) && req.url!.includes(sha256(CONTENT))
          ? serve(res, 200, { "content-length": CONTENT.length }, "X".repeat(CONTENT.length))
          : false;
    },
    args: pullArgs,
    says: ["does not match", sha256(CONTENT)],
  },
  {
    name: "blob longer than its descriptor",
    setup: (c) => {
      c.reg.override = (req, res) =>
        isGet(req, /\/blobs\/sha256:/) && req.url!.includes(sha256(CONTENT))
          ? serve(res, 200, {}, CONTENT.toString() + "and more bytes the manifest never promised")
          : false;
    },
    args: pullArgs,
    says: [sha256(CONTENT)],
  },
  {
    name: "manifest with the wrong digest (pulled by digest)",
    setup: (c) => {
      c.reg.override = (req, res) =>
        isGet(req, new RegExp(`/manifests/${c.subject.digest}$`))
          ? serve(
              res,
              200,
              { "content-type": "application/vnd.oci.image.manifest.v1+json" },
              `${c.subject.bytes} `,
            )
          : false;
    },
    args: (c) => ["pull", `${c.repo}@${c.subject.digest}`, "-o", c.out],
    says: ["does not match", "sha256:"],
  },
  {
    name: "tag whose Docker-Content-Digest lies",
    setup: (c) => {
      c.reg.override = (req, res) =>
        isGet(req, /\/manifests\/v1$/)
          ? serve(
              res,
              200,
              {
                "content-type": "application/vnd.oci.image.manifest.v1+json",
                "docker-content-digest": sha256("something else"),
              },
              c.subject.bytes.toString(),
            )
          : false;
    },
    args: pullArgs,
    says: ["registry said", sha256("something else")],
  },
  {
    name: "manifest over 4 MiB (Content-Length says so)",
    setup: (c) => {
      c.reg.override = (req, res) =>
        isGet(req, /\/manifests\/v1$/)
          ? serve(
              res,
              200,
              { "content-type": "application/vnd.oci.image.manifest.v1+json" },
              " ".repeat(4 * 1024 * 1024 + 1),
            )
          : false;
    },
    args: pullArgs,
    says: ["larger than 4 MiB"],
  },
  {
    name: "manifest over 4 MiB (chunked, no Content-Length)",
    setup: (c) => {
      c.reg.override = (req, res) => {
        if (!isGet(req, /\/manifests\/v1$/)) return false;
        res.writeHead(200, { "content-type": "application/vnd.oci.image.manifest.v1+json" });
        const piece = " ".repeat(64 * 1024);
        for (let i = 0; i < 80; i++) res.write(piece);
        res.end();
        return true;
      };
    },
    args: pullArgs,
    says: ["larger than 4 MiB"],
  },
  {
    name: "fallback tag resolves to the subject itself (GitLab): discover",
    setup: (c) => {
      const fallback = c.subject.digest.replace(":", "-");
      c.reg.override = (req, res) =>
        isGet(req, new RegExp(`/manifests/${fallback}$`))
          ? serve(
              res,
              200,
              {
                "content-type": "application/vnd.oci.image.manifest.v1+json",
                "content-length": c.subject.bytes.length,
                "docker-content-digest": c.subject.digest,
              },
              req.method === "HEAD" ? "" : c.subject.bytes.toString(),
            )
          : false;
    },
    args: (c) => ["discover", tagged(c)],
    says: ["resolves to the subject itself"],
  },
  {
    name: "fallback tag resolves to the subject itself (GitLab): attach",
    setup: (c) => {
      const fallback = c.subject.digest.replace(":", "-");
      c.reg.override = (req, res) =>
        isGet(req, new RegExp(`/manifests/${fallback}$`))
          ? serve(
              res,
              200,
              {
                "content-type": "application/vnd.oci.image.manifest.v1+json",
                "content-length": c.subject.bytes.length,
                "docker-content-digest": c.subject.digest,
              },
              req.method === "HEAD" ? "" : c.subject.bytes.toString(),
            )
          : false;
    },
    args: (c) => ["attach", tagged(c), "--artifact-type", "application/vnd.test.sig", TITLE],
    says: ["resolves to the subject itself"],
  },
  {
    name: "HTML on the referrers endpoint",
    setup: (c) => {
      c.reg.override = (req, res) =>
        isGet(req, /\/referrers\//)
          ? serve(
              res,
              200,
              { "content-type": "text/html" },
              "<html><body><h1>Welcome to nginx!</h1></body></html>",
            )
          : false;
    },
    args: (c) => ["discover", tagged(c)],
    says: ["text/html", "not an OCI index"],
  },
  {
    name: "referrers pagination Link that loops",
    setup: (c) => {
      c.reg.override = (req, res) => {
        if (!isGet(req, /\/referrers\//)) return false;
        const page = new URL(req.url!, c.reg.origin).searchParams.get("page") === "2" ? "1" : "2";
        const next = `${req.url!.split("?")[0]}?page=${page}`;
        return serve(
          res,
          200,
          { "content-type": OCI_INDEX, link: `<${next}>; rel="next"` },
          JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [] }),
        );
      };
    },
    args: (c) => ["discover", tagged(c)],
    says: ["pagination loops"],
  },
  {
    name: "referrers pagination Link that leaves the host",
    setup: (c) => {
      c.reg.override = (req, res) =>
        isGet(req, /\/referrers\//)
          ? serve(
              res,
              200,
              { "content-type": OCI_INDEX, link: `<${c.other.origin}${req.url!}>; rel="next"` },
              JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [] }),
            )
          : false;
    },
    args: (c) => ["discover", tagged(c)],
    says: ["another host"],
    check: (c) => expect(c.other.requests).toEqual([]),
  },
  {
    name: "tags pagination Link that loops",
    setup: (c) => {
      c.reg.override = (req, res) =>
        isGet(req, /\/tags\/list/)
          ? serve(
              res,
              200,
              {
                "content-type": "application/json",
                link: `</v2/${c.repo.split("/")[1]}/tags/list?n=1000>; rel="next"`,
              },
              JSON.stringify({ name: "x", tags: ["v1"] }),
            )
          : false;
    },
    args: (c) => ["tags", c.repo],
    says: ["tag listing loops"],
  },
  {
    name: "tags pagination Link that leaves the host",
    setup: (c) => {
      c.reg.override = (req, res) =>
        isGet(req, /\/tags\/list/)
          ? serve(
              res,
              200,
              {
                "content-type": "application/json",
                link: `<${c.other.origin}/v2/x/tags/list?last=v1>; rel="next"`,
              },
              JSON.stringify({ name: "x", tags: ["v1"] }),
            )
          : false;
    },
    args: (c) => ["tags", c.repo],
    says: ["another host"],
    check: (c) => expect(c.other.requests).toEqual([]),
  },
  {
    name: "upload Location on another host: the credential stays home",
    registry: { basicAuth: { username: USER, password: PASS } },
    setup: (c) => {
      c.reg.override = (req, res) =>
        req.method === "POST" && /\/blobs\/uploads\/(\?|$)/.test(req.url ?? "")
          ? serve(res, 202, { location: `${c.other.origin}/upload/1`, "content-length": 0 })
          : false;
    },
    args: (c) => [
      "attach",
      tagged(c),
      "--artifact-type",
      "application/vnd.test.sig",
      TITLE,
      "-u",
      USER,
      "-p",
      PASS,
    ],
    // The foreign host swallowed the blob, so the registry refuses the manifest.
    says: ["MANIFEST_BLOB_UNKNOWN"],
    check: (c) => {
      expect(c.other.requests.length).toBeGreaterThan(0);
      for (const r of c.other.requests) expect(r.headers.authorization).toBeUndefined();
    },
  },
  {
    name: "upload Location downgrading https to http",
    tls: true,
    setup: (c) => {
      c.reg.override = (req, res) =>
        req.method === "POST" && /\/blobs\/uploads\/(\?|$)/.test(req.url ?? "")
          ? serve(res, 202, { location: `http://${c.reg.host}/v2/upload/1`, "content-length": 0 })
          : false;
    },
    args: (c) => ["attach", tagged(c), "--artifact-type", "application/vnd.test.sig", TITLE],
    says: ["downgrades to plain http"],
  },
  {
    name: "blob redirect to another host: pulled, no Authorization follows",
    registry: { basicAuth: { username: USER, password: PASS } },
    setup: (c) => {
      c.reg.override = (req, res) =>
        isGet(req, /\/blobs\/sha256:/) && req.url!.includes(sha256(CONTENT))
          ? serve(res, 307, { location: `${c.other.origin}/storage/blob?sig=abc` })
          : false;
    },
    args: (c) => [...pullArgs(c), "-u", USER, "-p", PASS],
    check: async (c) => {
      expect(await readdir(c.out)).toEqual([TITLE]);
      expect(c.other.requests.map((r) => r.method)).toContain("GET");
      for (const r of c.other.requests) expect(r.headers.authorization).toBeUndefined();
    },
  },
  {
    name: "blob redirect to another host that serves other bytes",
    setup: (c) => {
      c.reg.override = (req, res) =>
        isGet(req, /\/blobs\/sha256:/) && req.url!.includes(sha256(CONTENT))
          ? serve(res, 307, { location: `${c.other.origin}/storage/evil` })
          : false;
    },
    args: pullArgs,
    says: ["does not match"],
  },
  {
    name: "blob redirect loop",
    setup: (c) => {
      c.reg.override = (req, res) =>
        isGet(req, /\/blobs\/sha256:/) && req.url!.includes(sha256(CONTENT))
          ? serve(res, 302, { location: req.url! })
          : false;
    },
    args: pullArgs,
    says: ["redirect"],
  },
  {
    name: "registry never sends headers (stall)",
    setup: (c) => {
      c.reg.override = (req) => isGet(req, /\/manifests\/v1$/); // never answered
    },
    args: pullArgs,
    says: ["did not finish answering GET", "/manifests/v1"],
  },
  {
    name: "blob body stalls after the headers",
    setup: (c) => {
      c.reg.override = (req, res) => {
        if (!(isGet(req, /\/blobs\/sha256:/) && req.url!.includes(sha256(CONTENT)))) return false;
        res.writeHead(200, { "content-length": CONTENT.length });
        res.write(CONTENT.subarray(0, 5)); // and nothing more, ever
        return true;
      };
    },
    args: pullArgs,
    says: ["download interrupted", "stopped sending data"],
  },
  {
    name: "endless trickling blob body (more than promised)",
    setup: (c) => {
      c.reg.override = (req, res) =>
        isGet(req, /\/blobs\/sha256:/) && req.url!.includes(sha256(CONTENT))
          ? trickle(res, { "content-type": "application/octet-stream" }, "xxxxxxxx", 50)
          : false;
    },
    args: pullArgs,
    says: [sha256(CONTENT)],
  },
  {
    name: "endless trickling manifest body",
    setup: (c) => {
      c.reg.override = (req, res) =>
        isGet(req, /\/manifests\/v1$/)
          ? trickle(res, { "content-type": "application/vnd.oci.image.manifest.v1+json" }, " ", 100)
          : false;
    },
    args: pullArgs,
    says: ["did not finish answering GET", "/manifests/v1"],
  },
  {
    name: "huge header value (64 KiB Link on tags)",
    setup: (c) => {
      c.reg.override = (req, res) =>
        isGet(req, /\/tags\/list/)
          ? serve(
              res,
              200,
              { "content-type": "application/json", link: `<${"/x".repeat(32 * 1024)}>; rel="next"` },
              "{}",
            )
          : false;
    },
    args: (c) => ["tags", c.repo],
    says: [],
  },
  {
    name: "huge WWW-Authenticate challenge (12 KiB of parameters)",
    setup: (c) => {
      const params = Array.from({ length: 600 }, (_, i) => `p${i}="${"v".repeat(10)}"`).join(", ");
      c.reg.override = (req, res) =>
        serve(res, 401, { "www-authenticate": `Bearer realm="${c.other.origin}/token",${params}` }, "");
    },
    args: pullArgs,
    says: [],
  },
];

const outcomes = new Map<string, boolean>();
/** The error line each case printed (ports and temp paths masked), shown in RELIABILITY.md. */
const errorLines = new Map<string, string>();
let tls: ReturnType<typeof selfSignedCert> | undefined;

describe("hostile or broken registries: detected, one error line, no crash, no hang, nothing tagged", () => {
  afterAll(() => {
    recordFigure({
      name: "hostile-registries",
      title: "Hostile or broken registries",
      issueItem: 4,
      testFile: testFileOf(__filename),
      parameters: { "request timeout (ms)": TIMEOUT_MS, retries: 2 },
      scenarios: cases.map((k) => ({
        scenario: k.name,
        runs: outcomes.has(k.name) ? 1 : 0,
        passed: outcomes.get(k.name) ? 1 : 0,
        notes: k.says
          ? `exit 1, nothing tagged: ${errorLines.get(k.name) ?? "(not run)"}`
          : "exit 0; the other host got no Authorization",
      })),
    });
  });

  it("has at least 20 cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });

  it.each(cases.map((k) => [k.name, k] as const))(
    "%s",
    async (name, k) => {
      outcomes.set(name, false);
      let options: HostileOptions = { ...k.registry };
      let caFlags: string[] = [];
      if (k.tls) {
        tls ??= selfSignedCert();
        options = { ...options, tls: { key: tls.key, cert: tls.cert } };
        caFlags = ["--ca-file", tls.certFile];
      }
      const reg = await startHostileRegistry(options);
      const other = await startRecorder((req, res) => {
        if (req.url?.startsWith("/storage/blob")) res.writeHead(200).end(CONTENT);
        else if (req.url?.startsWith("/storage/evil")) res.writeHead(200).end("X".repeat(CONTENT.length));
        else if (req.method === "PUT") res.writeHead(201).end();
        else res.writeHead(404).end();
      });
      const dir = await mkdtemp(join(tmpdir(), "ocigraph-hostile-"));
      try {
        const files = join(dir, "files");
        const out = join(dir, "out");
        await mkdir(files);
        await mkdir(out);
        await writeFile(join(files, TITLE), "attached by the test\n");
        const subject = seedArtifact(reg, [{ data: CONTENT, title: TITLE }], { tag: "v1" });
        const c: Ctx = {
          reg,
          other,
          files,
          out,
          repo: `${reg.host}/hostile`,
          flags: k.tls ? caFlags : ["--plain-http"],
          subject,
        };
        await k.setup(c);
        const before = reg.requests.length;
        const result = await runBounded([...k.args(c), ...c.flags], {
          cwd: files,
          env: ENV,
          killAfterMs: 20_000,
        });
        expect({ hung: result.hung }).toEqual({ hung: false });
        errorLines.set(
          name,
          result.stderr
            .trim()
            .replace(/127\.0\.0\.1:\d+/g, "127.0.0.1:PORT")
            .replace(/\/tmp\/ocigraph-hostile-\w+/g, "<tmp>")
            .replace(/sha256:([0-9a-f]{12})[0-9a-f]{52}/g, "sha256:$1…")
            .slice(0, 220),
        );
        expect(reg.requests.length).toBeGreaterThan(before);
        if (k.says === undefined) {
          expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: "" });
        } else {
          // stdout may hold progress lines ("Downloading ..."), never a result.
          expect(result.code).toBe(1);
          expect(result.stdout).not.toMatch(/^(Pulled|Attached|Digest)/m);
          expect(result.stderr).toMatch(/^Error: [^\n]+\n$/);
          for (const part of k.says) expect(result.stderr).toContain(part);
          expect(await readdir(out)).toEqual([]);
        }
        expect(result.stderr).not.toMatch(/\n\s+at /);
        expect(result.stderr).not.toContain(PASS);
        expect(reg.taggedPuts()).toEqual([]);
        await k.check?.(c, result);
        outcomes.set(name, true);
      } finally {
        await reg.close();
        await other.close();
        await rm(dir, { recursive: true, force: true });
      }
    },
    30_000,
  );
});
