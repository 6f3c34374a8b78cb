// Issue 6, item 7: the parsers that read what users and registries hand us, under property tests
// (fast-check). For any input: no crash beyond OcigraphError, no hang (each call is timed; the
// bound is generous and only catches pathological backtracking), and round trips where they apply.
// Each property's number of generated cases goes to reliability/figures/parsers-fuzz.json.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import fc from "fast-check";
import { parseWwwAuthenticate } from "../../../src/auth/challenge";
import { readDockerCredential } from "../../../src/auth/docker-config";
import { parseAnnotationFlags, readAnnotationFile } from "../../../src/cli/annotations";
import { isOcigraphError } from "../../../src/oci/errors";
import { type Manifest, encodeManifest, parseManifest } from "../../../src/oci/manifest";
import {
  type Reference,
  formatReference,
  parseLayoutReference,
  parseReference,
} from "../../../src/oci/reference";
import { nextLink } from "../../../src/registry/link";
import { recordFigure, testFileOf } from "../../reliability/figures";

/** Generous per-call bound: a linear parser takes microseconds; catastrophic backtracking takes seconds. */
const CALL_BOUND_MS = 500;
const SEED = Number(process.env.OCIGRAPH_FUZZ_SEED ?? 20240601);
const figures: { scenario: string; runs: number; passed: number; notes: string }[] = [];

async function property(
  scenario: string,
  notes: string,
  numRuns: number,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- fast-check's own union of property kinds
  prop: fc.IRawProperty<any, boolean>,
): Promise<void> {
  const entry = { scenario, runs: numRuns, passed: 0, notes };
  figures.push(entry);
  await fc.assert(prop, { numRuns, seed: SEED });
  entry.passed = numRuns;
}

/** Runs `fn`; it may return or throw an OcigraphError, nothing else; and it must be quick. */
function tolerant<T>(fn: () => T): T | undefined {
  const started = performance.now();
  let result: T | undefined;
  try {
    result = fn();
  } catch (err) {
    if (!isOcigraphError(err)) throw err;
  }
  const took = performance.now() - started;
  if (took > CALL_BOUND_MS) throw new Error(`took ${took.toFixed(0)} ms`);
  return result;
}

async function tolerantAsync<T>(fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (err) {
    if (!isOcigraphError(err)) throw err;
    return undefined;
  }
}

// --- arbitraries --------------------------------------------------------------------------------

const lower = fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789");
const alnum = (max: number) => fc.string({ unit: lower, minLength: 1, maxLength: max });
const pathComponent = fc
  .tuple(alnum(8), fc.array(fc.tuple(fc.constantFrom(".", "_", "__", "-", "--"), alnum(6)), { maxLength: 2 }))
  .map(([head, rest]) => head + rest.map(([sep, part]) => sep + part).join(""));
const hostLabel = fc
  .tuple(fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz"), fc.string({ unit: lower, maxLength: 6 }))
  .map(([a, b]) => a + b);
const registry = fc
  .tuple(fc.array(hostLabel, { minLength: 2, maxLength: 3 }), fc.option(fc.integer({ min: 1, max: 65535 })))
  .map(([labels, port]) => labels.join(".") + (port === null ? "" : `:${port}`))
  .filter((h) => !["docker.io", "index.docker.io", "registry-1.docker.io"].includes(h));
const tagUnit = fc.constantFrom(..."abcXYZ019_.-");
const tag = fc
  .tuple(fc.constantFrom(..."aZ9_"), fc.string({ unit: tagUnit, maxLength: 20 }))
  .map(([a, b]) => a + b);
const hex64 = fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength: 64, maxLength: 64 });
const digest = hex64.map((h) => `sha256:${h}`);
const reference: fc.Arbitrary<Reference> = fc
  .record({
    registry,
    repository: fc.array(pathComponent, { minLength: 1, maxLength: 3 }).map((p) => p.join("/")),
    tag: fc.option(tag, { nil: undefined }),
    digest: fc.option(digest, { nil: undefined }),
  })
  .map((r) => ({
    registry: r.registry,
    repository: r.repository,
    ...(r.tag ? { tag: r.tag } : {}),
    ...(r.digest ? { digest: r.digest } : {}),
  }));

/** Strings made of the characters each grammar cares about, to reach deep into the parsers. */
const grammarSoup = (pieces: string[]) =>
  fc
    .array(fc.oneof(fc.constantFrom(...pieces), fc.string({ maxLength: 3 })), { maxLength: 60 })
    .map((a) => a.join(""));
const anyText = fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: "binary", maxLength: 200 }));

const token = fc.string({
  unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789-._~+!#$%&'*^`|"),
  minLength: 1,
  maxLength: 10,
});
const quotedValue = fc.string({ unit: fc.constantFrom(...'abc xyz/:=,;"\\0123'), maxLength: 20 });

/** Keys an attacker would try: prototype names among ordinary ones. */
const objectKey = fc.oneof(
  { weight: 5, arbitrary: fc.string({ minLength: 1, maxLength: 12 }) },
  { weight: 1, arbitrary: fc.constantFrom("__proto__", "constructor", "prototype", "toString", "$manifest") },
);

// --- properties ---------------------------------------------------------------------------------

describe("parsers under property tests", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "ocigraph-fuzz-"));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    recordFigure({
      name: "parsers-fuzz",
      title: "Parsers under property tests (fast-check)",
      issueItem: 7,
      testFile: testFileOf(__filename),
      parameters: { seed: SEED, "per-call bound (ms)": CALL_BOUND_MS },
      scenarios: figures,
    });
  });

  it("references: format then parse is the identity", async () => {
    await property(
      "parseReference(formatReference(r)) = r",
      "generated valid references (host[:port], 1-3 components, tag and/or digest)",
      3000,
      fc.property(reference, (ref) => {
        expect(parseReference(formatReference(ref))).toEqual(ref);
      }),
    );
  });

  it("references: any text parses or is refused with an OcigraphError, and a parse re-parses the same", async () => {
    await property(
      "parseReference(any text)",
      "random and grammar-shaped text; a parsed result formats and re-parses to itself",
      5000,
      fc.property(
        fc.oneof(
          anyText,
          grammarSoup(["/", ":", "@", "sha256:", ".", "localhost", "A", "-", "_", "__", "[::1]", "5000"]),
        ),
        (input) => {
          const ref = tolerant(() => parseReference(input));
          if (ref) expect(parseReference(formatReference(ref))).toEqual(ref);
          tolerant(() => parseLayoutReference(input));
        },
      ),
    );
  });

  it("WWW-Authenticate: any header parses without throwing", async () => {
    await property(
      "parseWwwAuthenticate(any text)",
      "random and grammar-shaped headers, up to 20 KiB",
      5000,
      fc.property(
        fc.oneof(
          anyText,
          grammarSoup(["Bearer ", "Basic ", "realm=", '"', "\\", ",", " ", "=", "scope=", "==", "\t"]),
          fc.nat({ max: 20_000 }).map((n) => 'Bearer a="'.padEnd(n, "\\")),
        ),
        (header) => {
          const started = performance.now();
          const challenges = parseWwwAuthenticate(header);
          expect(performance.now() - started).toBeLessThan(CALL_BOUND_MS);
          expect(Array.isArray(challenges)).toBe(true);
        },
      ),
    );
  });

  it("WWW-Authenticate: formatted challenges parse back", async () => {
    await property(
      "parseWwwAuthenticate(format(challenges)) = challenges",
      "1-3 challenges, unique lowercase parameter names, quoted values with escapes",
      3000,
      fc.property(
        fc.array(
          fc.record({
            scheme: token.map((t) => t.toLowerCase()),
            params: fc.uniqueArray(
              fc.tuple(
                token.map((t) => t.toLowerCase()),
                quotedValue,
              ),
              {
                minLength: 1,
                maxLength: 4,
                selector: ([k]) => k,
              },
            ),
          }),
          { minLength: 1, maxLength: 3 },
        ),
        (challenges) => {
          const header = challenges
            .map(
              (c) =>
                `${c.scheme} ${c.params.map(([k, v]) => `${k}="${v.replace(/["\\]/g, (ch) => `\\${ch}`)}"`).join(", ")}`,
            )
            .join(", ");
          const parsed = parseWwwAuthenticate(header);
          expect(parsed.map((p) => ({ scheme: p.scheme, params: p.params }))).toEqual(
            challenges.map((c) => ({ scheme: c.scheme, params: Object.fromEntries(c.params) })),
          );
        },
      ),
    );
  });

  it("Link: any header is handled, and a rel=next target is found among others", async () => {
    await property(
      "nextLink(any text)",
      "random and grammar-shaped Link headers, up to 20 KiB",
      5000,
      fc.property(
        fc.oneof(
          anyText,
          grammarSoup(["<", ">", ";", " ", "rel=", '"next"', "next", ",", "\t", '"', "=", "/v2/x?n=1"]),
          fc.nat({ max: 20_000 }).map((n) => "<a>".padEnd(n, "; ")),
        ),
        (header) => {
          const started = performance.now();
          const next = nextLink(header);
          expect(performance.now() - started).toBeLessThan(CALL_BOUND_MS);
          if (next !== undefined) expect(typeof next).toBe("string");
        },
      ),
    );
    await property(
      "nextLink(links with one rel=next) = its target",
      "1-4 links in random order, one with rel=next (quoted or not), others prev/last",
      2000,
      fc.property(
        fc.string({ unit: fc.constantFrom(..."abc/?=&0123"), minLength: 1, maxLength: 30 }),
        fc.array(
          fc.tuple(
            fc.string({ unit: fc.constantFrom(..."xyz/?=&"), maxLength: 20 }),
            fc.constantFrom("prev", "last", "first"),
          ),
          { maxLength: 3 },
        ),
        fc.boolean(),
        fc.nat(),
        (target, others, quoted, at) => {
          const links = others.map(([u, rel]) => `<${u}>; rel="${rel}"`);
          links.splice(at % (links.length + 1), 0, `<${target}>; rel=${quoted ? '"next"' : "next"}`);
          expect(nextLink(links.join(", "))).toBe(target);
        },
      ),
    );
  });

  it("docker config: any file content reads to a credential, nothing, or an OcigraphError", async () => {
    let n = 0;
    const jsonish = fc.oneof(
      anyText,
      fc.json(),
      fc
        .dictionary(
          fc.constantFrom("auths", "HttpHeaders", "psFormat", "__proto__", "currentContext"),
          fc.oneof(
            fc.dictionary(
              fc.constantFrom(
                "registry.example:5000",
                "https://registry.example:5000/v1/",
                "other",
                "__proto__",
              ),
              fc.oneof(
                fc.anything(),
                fc.record(
                  {
                    auth: fc.oneof(fc.base64String(), fc.string()),
                    username: fc.string(),
                    password: fc.string(),
                    identitytoken: fc.string(),
                    registrytoken: fc.string(),
                  },
                  { requiredKeys: [] },
                ),
              ),
            ),
            fc.anything(),
          ),
        )
        .map((o) => JSON.stringify(o)),
    );
    await property(
      "readDockerCredential(any config.json)",
      "random text, random JSON and auths-shaped JSON (no credsStore/credHelpers: no helper is run)",
      600,
      fc.asyncProperty(jsonish, async (text) => {
        const file = join(dir, `config-${n++}.json`);
        writeFileSync(file, text);
        const cred = await tolerantAsync(() =>
          readDockerCredential("registry.example:5000", { path: file, env: {} }),
        );
        if (cred !== undefined) expect(typeof cred).toBe("object");
      }),
    );
    await property(
      "readDockerCredential: auth = base64(user:password) round trip",
      "user without ':', any password (including ':' and unicode)",
      400,
      fc.asyncProperty(
        fc.string({ minLength: 1 }).filter((u) => !u.includes(":")),
        fc.string({ minLength: 1 }),
        async (username, password) => {
          const file = join(dir, `config-${n++}.json`);
          const auth = Buffer.from(`${username}:${password}`).toString("base64");
          writeFileSync(file, JSON.stringify({ auths: { "registry.example:5000": { auth } } }));
          expect(await readDockerCredential("registry.example:5000", { path: file, env: {} })).toEqual({
            username,
            password,
          });
        },
      ),
    );
  });

  it("annotation files and -a flags: parse or refuse, and round trip", async () => {
    let n = 0;
    const stringMap = fc.dictionary(objectKey, fc.string({ maxLength: 20 }), { maxKeys: 4 });
    await property(
      "readAnnotationFile(any file)",
      "random text and JSON of random shape",
      600,
      fc.asyncProperty(
        fc.oneof(
          anyText,
          fc.json(),
          fc.dictionary(objectKey, fc.anything()).map((o) => JSON.stringify(o)),
        ),
        async (text) => {
          const file = join(dir, `annotations-${n++}.json`);
          writeFileSync(file, text);
          await tolerantAsync(() => readAnnotationFile(file));
        },
      ),
    );
    await property(
      "readAnnotationFile round trip",
      "$manifest and per-file maps, keys including __proto__ and constructor",
      600,
      fc.asyncProperty(
        stringMap,
        fc.dictionary(
          objectKey.filter((k) => k !== "$manifest" && k !== "$config"),
          stringMap,
          { maxKeys: 3 },
        ),
        async (manifest, files) => {
          const file = join(dir, `annotations-${n++}.json`);
          // JSON.stringify drops a "__proto__" own key of a literal-built object; build the text by hand.
          // Sorted: integer-like keys ("0") always come first in a JS object, whatever the file's order.
          const entries = (o: Record<string, unknown>) =>
            Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1));
          const enc = (o: Record<string, string>) =>
            `{${entries(o)
              .map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`)
              .join(",")}}`;
          const text = `{${[
            `"$manifest":${enc(manifest)}`,
            ...entries(files).map(([k, v]) => `${JSON.stringify(k)}:${enc(v as Record<string, string>)}`),
          ].join(",")}}`;
          writeFileSync(file, text);
          const parsed = await readAnnotationFile(file);
          expect(entries(parsed.manifest)).toEqual(entries(manifest));
          expect(entries(parsed.files).map(([k, v]) => [k, entries(v as Record<string, string>)])).toEqual(
            entries(files).map(([k, v]) => [k, entries(v as Record<string, string>)]),
          );
        },
      ),
    );
    await property(
      "parseAnnotationFlags round trip",
      "unique keys without '=', any values (including '=')",
      2000,
      fc.property(
        fc.uniqueArray(
          fc.tuple(
            objectKey.filter((k) => !k.includes("=")),
            fc.string(),
          ),
          { selector: ([k]) => k, maxLength: 5 },
        ),
        (pairs) => {
          const parsed = parseAnnotationFlags(pairs.map(([k, v]) => `${k}=${v}`));
          const sorted = (e: [string, string][]) => [...e].sort(([a], [b]) => (a < b ? -1 : 1));
          expect(sorted(Object.entries(parsed))).toEqual(sorted(pairs));
        },
      ),
    );
  });

  it("manifests: any bytes parse or are refused; encoded manifests parse back", async () => {
    const descriptor = fc.record({
      mediaType: fc.constantFrom("application/octet-stream", "application/vnd.oci.image.layer.v1.tar+gzip"),
      digest,
      size: fc.nat(),
    });
    const manifest: fc.Arbitrary<Manifest> = fc.oneof(
      fc.record({
        schemaVersion: fc.constant(2 as const),
        mediaType: fc.constant("application/vnd.oci.image.manifest.v1+json"),
        artifactType: fc.constant("application/vnd.test"),
        config: descriptor,
        layers: fc.array(descriptor, { maxLength: 4 }),
      }),
      fc.record({
        schemaVersion: fc.constant(2 as const),
        mediaType: fc.constant("application/vnd.oci.image.index.v1+json"),
        manifests: fc.array(descriptor, { maxLength: 4 }),
      }),
    ) as fc.Arbitrary<Manifest>;
    await property(
      "parseManifest(any bytes)",
      "random bytes, random JSON, and manifest-shaped JSON with random field types",
      4000,
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
          fc.json().map((j) => Buffer.from(j)),
          fc
            .record(
              {
                schemaVersion: fc.oneof(fc.constant(2), fc.anything()),
                mediaType: fc.oneof(
                  fc.constantFrom(
                    "application/vnd.oci.image.manifest.v1+json",
                    "application/vnd.oci.image.index.v1+json",
                    "application/vnd.oci.artifact.manifest.v1+json",
                  ),
                  fc.anything(),
                ),
                config: fc.oneof(descriptor, fc.anything()),
                layers: fc.oneof(fc.array(fc.oneof(descriptor, fc.anything())), fc.anything()),
                manifests: fc.oneof(fc.array(fc.oneof(descriptor, fc.anything())), fc.anything()),
                blobs: fc.array(fc.anything()),
                subject: fc.oneof(descriptor, fc.anything()),
                annotations: fc.oneof(fc.dictionary(objectKey, fc.string()), fc.anything()),
              },
              { requiredKeys: [] },
            )
            .map((o) => Buffer.from(JSON.stringify(o) ?? "null")),
        ),
        fc.option(
          fc.constantFrom(
            "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.oci.image.index.v1+json",
            "text/html",
          ),
          { nil: undefined },
        ),
        (bytes, mediaType) => {
          tolerant(() => parseManifest(bytes, mediaType, "fuzz"));
        },
      ),
    );
    await property(
      "parseManifest(encodeManifest(m)) = m",
      "generated OCI image manifests and indexes",
      2000,
      fc.property(manifest, (m) => {
        expect(parseManifest(encodeManifest(m), m.mediaType, "fuzz")).toEqual(m);
      }),
    );
  });
});
