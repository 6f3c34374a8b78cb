import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildJob, parseBoolean } from "../../../src/job/build";
import { INPUTS, readInputs, type InputKey, type JobInputs } from "../../../src/job/inputs";
import { provenanceAnnotations, RUN_URL_ANNOTATION } from "../../../src/job/provenance";
import { isOcigraphError } from "../../../src/oci/errors";

const actionName = (key: InputKey): string => INPUTS.find((s) => s.key === key)?.action ?? key;
const blank = (): JobInputs => readInputs("action", () => "");

async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string; hint?: string }> {
  const err: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isOcigraphError(err)) throw new Error(`expected an OcigraphError, got ${String(err)}`);
  return { code: err.code, message: err.message, ...(err.hint ? { hint: err.hint } : {}) };
}

describe("buildJob", () => {
  let dir: string;
  const cwd = process.cwd();
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "ocigraph-build-"));
    await mkdir(join(dir, "sboms"));
    await writeFile(join(dir, "sboms", "a.spdx.json"), JSON.stringify({ spdxVersion: "SPDX-2.3" }));
    await writeFile(join(dir, "sboms", "b.cdx.json"), JSON.stringify({ bomFormat: "CycloneDX" }));
    await writeFile(join(dir, "scan.sarif"), JSON.stringify({ version: "2.1.0", runs: [] }));
    await writeFile(join(dir, "sig.bin"), "binary");
    await mkdir(join(dir, "docs"));
    await writeFile(join(dir, "docs", "readme.md"), "# hi");
    process.chdir(dir);
  });
  afterAll(async () => {
    process.chdir(cwd);
    await rm(dir, { recursive: true, force: true });
  });

  test("each file a glob matches is its own referrer, with its detected type", async () => {
    const job = await buildJob(
      { ...blank(), subject: "reg.example/app:v1", sbom: "sboms/*.json", scanResults: "scan.sarif" },
      { name: actionName, env: {} },
    );
    expect(job.artifacts.map((a) => [a.input, a.artifactType, a.files.map((f) => f.path)])).toEqual([
      ["sbom", "application/spdx+json", ["sboms/a.spdx.json"]],
      ["sbom", "application/vnd.cyclonedx+json", ["sboms/b.cdx.json"]],
      ["scan-results", "application/sarif+json", ["scan.sarif"]],
    ]);
  });

  test("a given artifact type wins over detection; unknown content without one fails naming the input", async () => {
    const ok = await buildJob(
      {
        ...blank(),
        subject: "reg.example/app:v1",
        signature: "sig.bin",
        signatureArtifactType: "application/vnd.example.sig",
      },
      { name: actionName, env: {} },
    );
    expect(ok.artifacts[0]?.artifactType).toBe("application/vnd.example.sig");
    const err = await failure(
      buildJob(
        { ...blank(), subject: "reg.example/app:v1", signature: "sig.bin" },
        { name: actionName, env: {} },
      ),
    );
    expect(err.code).toBe("INVALID_INPUT");
    expect(err.hint).toContain("signature-artifact-type");
    const task = await failure(
      buildJob(
        { ...blank(), subject: "reg.example/app:v1", signature: "sig.bin" },
        { name: (k) => k, env: {} },
      ),
    );
    expect(task.hint).toContain("set the signatureArtifactType input");
  });

  test("attach lines: globs and folders go into one artifact; @sbom refers to the one SBOM", async () => {
    const job = await buildJob(
      {
        ...blank(),
        subject: "reg.example/app@sha256:" + "b".repeat(64),
        sbom: "sboms/a.spdx.json",
        attach:
          "application/vnd.example.docs docs docs/*.md:text/markdown\n@sbom application/vnd.example.sig sig.bin",
      },
      { name: actionName, env: {} },
    );
    expect(job.artifacts.slice(1).map((a) => [a.origin, a.parent, a.files])).toEqual([
      [
        "attach line 1",
        { kind: "subject" },
        [{ path: "docs" }, { path: "docs/readme.md", mediaType: "text/markdown" }],
      ],
      ["attach line 2", { kind: "input", input: "sbom" }, [{ path: "sig.bin" }]],
    ]);
  });

  test("lock alone is a job: freeze the subject's graph", async () => {
    const job = await buildJob(
      { ...blank(), subject: "reg.example/app:v1", lock: "TRUE" },
      { name: actionName, env: {} },
    );
    expect([job.lock, job.artifacts, job.promoteTo]).toEqual([true, [], undefined]);
    const off = await buildJob(
      { ...blank(), subject: "reg.example/app:v1", require: "a/b" },
      { name: actionName, env: {} },
    );
    expect(off.lock).toBe(false);
  });

  test("@sbom with several SBOMs is ambiguous", async () => {
    const err = await failure(
      buildJob(
        {
          ...blank(),
          subject: "reg.example/app:v1",
          sbom: "sboms/*.json",
          attach: "@sbom application/vnd.example.sig sig.bin",
        },
        { name: actionName, env: {} },
      ),
    );
    expect(err.message).toContain("the sbom input gives 2 files");
  });

  test.each<[string, Partial<JobInputs>, string, string]>([
    ["no subject", { sbom: "scan.sarif" }, "INVALID_INPUT", "the input subject is required"],
    ["subject without tag", { subject: "reg.example/app" }, "INVALID_INPUT", "reg.example/app"],
    ["nothing to do", { subject: "reg.example/app:v1" }, "INVALID_INPUT", "nothing to do"],
    [
      "missing file",
      { subject: "r.example/a:v1", sbom: "missing.json" },
      "NOT_FOUND",
      "sbom: file not found: missing.json",
    ],
    [
      "glob without match",
      { subject: "r.example/a:v1", sbom: "*.xml" },
      "NOT_FOUND",
      'sbom: "*.xml" matches no file',
    ],
    [
      "bad boolean",
      { subject: "r.example/a:v1", require: "a/b", plainHttp: "yes" },
      "INVALID_INPUT",
      "plain-http",
    ],
    ["bad lock", { subject: "r.example/a:v1", lock: "maybe" }, "INVALID_INPUT", 'the input lock is "maybe"'],
    [
      "half a login",
      { subject: "r.example/a:v1", require: "a/b", username: "u" },
      "INVALID_INPUT",
      "username and password",
    ],
    [
      "bad annotation",
      { subject: "r.example/a:v1", require: "a/b", annotations: "novalue" },
      "INVALID_INPUT",
      "key=value",
    ],
    [
      "filter without promotion",
      { subject: "r.example/a:v1", require: "a/b", promoteArtifactTypes: "a/b" },
      "INVALID_INPUT",
      "promote-to",
    ],
    [
      "bad artifact type",
      { subject: "r.example/a:v1", sbom: "scan.sarif", sbomArtifactType: "sbom" },
      "INVALID_INPUT",
      "sbom-artifact-type",
    ],
  ])("refuses: %s", async (_name, inputs, code, message) => {
    const err = await failure(buildJob({ ...blank(), ...inputs }, { name: actionName, env: {} }));
    expect(err.code).toBe(code);
    expect(err.message).toContain(message);
  });

  test("require alone is a pure gate step; annotations override provenance", async () => {
    const job = await buildJob(
      {
        ...blank(),
        subject: "r.example/a:v1",
        require: "application/spdx+json > application/vnd.example.sig",
        annotations: "org.opencontainers.image.revision=override\ncom.example.note = a = b ",
      },
      {
        name: actionName,
        env: { GITHUB_ACTIONS: "true", GITHUB_REPOSITORY: "o/r", GITHUB_SHA: "abc", GITHUB_RUN_ID: "9" },
      },
    );
    expect(job.artifacts).toEqual([]);
    expect(job.require).toEqual([["application/spdx+json", "application/vnd.example.sig"]]);
    expect(job.annotations).toEqual({
      "org.opencontainers.image.source": "https://github.com/o/r",
      "org.opencontainers.image.revision": "override",
      [RUN_URL_ANNOTATION]: "https://github.com/o/r/actions/runs/9",
      "com.example.note": "a = b",
    });
  });

  test("provenance: false leaves provenance out", async () => {
    const job = await buildJob(
      { ...blank(), subject: "r.example/a:v1", require: "a/b", provenance: "FALSE" },
      { name: actionName, env: { GITHUB_ACTIONS: "true", GITHUB_REPOSITORY: "o/r" } },
    );
    expect(job.annotations).toEqual({});
  });
});

describe("buildJob: the Azure inputs, checked like every other input", () => {
  const base = { subject: "myreg.azurecr.io/a:v1", require: "a/b" };
  const GUID = "0c1a6e0f-3333-4c3a-9d3e-0123456789ab";
  const taskName = (key: InputKey): string => key;

  test.each<[string, Partial<JobInputs>, string]>([
    ["an unknown credential kind", { azureCredential: "magic" }, 'the input azure-credential is "magic"'],
    [
      "a client id that is no GUID",
      { azureClientId: "my-app" },
      "the input azure-client-id is not a client id",
    ],
    ["a tenant that is neither GUID nor domain", { azureTenantId: "x y" }, "the input azure-tenant-id"],
    ["an audience that is no URL", { azureAudience: "acr" }, "the input azure-audience"],
    [
      "a registry host that is none",
      { azureRegistry: "not a host!", azureClientId: GUID },
      "the input azure-registry",
    ],
    [
      "client-secret without a tenant",
      { azureCredential: "client-secret", azureClientId: GUID },
      "Give azure-tenant-id or set AZURE_TENANT_ID",
    ],
    ["azure-registry with no sign-in", { azureRegistry: "acr.example" }, "the input azure-registry names"],
  ])("refuses %s, naming the input", async (_name, inputs, message) => {
    const err = await failure(buildJob({ ...blank(), ...base, ...inputs }, { name: actionName, env: {} }));
    expect(err.code).toBe("INVALID_INPUT");
    expect(`${err.message} ${err.hint ?? ""}`).toContain(message);
  });

  test("the task's service connection is checked here, naming azureSubscription", async () => {
    const err = await failure(
      buildJob(
        { ...readInputs("task", () => ""), ...base },
        {
          name: taskName,
          env: {},
          serviceConnection: { endpoint: { id: "arm", scheme: "ServicePrincipal", tenantId: GUID } },
        },
      ),
    );
    expect(err.message).toMatch(
      /^the input azureSubscription: The service connection arm has no service principal/,
    );
  });

  test("Entra inputs become Entra settings and named registries, sending nothing", async () => {
    const job = await buildJob(
      {
        ...blank(),
        ...base,
        azureClientId: GUID,
        azureTenantId: "contoso.onmicrosoft.com",
        azureRegistry: "registry.contoso.com, Other.Example:5000",
      },
      { name: actionName, env: { AZURE_CLIENT_SECRET: "s" } },
    );
    expect(job.connection.entra).toMatchObject({ kind: "client-secret", clientId: GUID });
    expect(job.connection.azureRegistries).toEqual(["registry.contoso.com", "other.example:5000"]);
  });

  test("annotations named like Object's own members are annotations like any other", async () => {
    const job = await buildJob(
      { ...blank(), ...base, provenance: "false", annotations: "constructor=x\ntoString=y\n__proto__=z" },
      { name: actionName, env: {} },
    );
    expect(Object.keys(job.annotations)).toEqual(["constructor", "toString", "__proto__"]);
    expect(job.annotations["toString"]).toBe("y");
    const twice = await failure(
      buildJob(
        { ...blank(), ...base, annotations: "constructor=x\nconstructor=y" },
        { name: actionName, env: {} },
      ),
    );
    expect(twice.message).toBe('the input annotations: annotation "constructor" is given twice');
  });
});

describe("provenanceAnnotations", () => {
  test.each<[string, NodeJS.ProcessEnv, Record<string, string>]>([
    ["outside CI", {}, {}],
    [
      "GitHub Enterprise",
      {
        GITHUB_ACTIONS: "true",
        GITHUB_SERVER_URL: "https://ghe.example/",
        GITHUB_REPOSITORY: "o/r",
        GITHUB_SHA: "abc",
        GITHUB_RUN_ID: "5",
      },
      {
        "org.opencontainers.image.source": "https://ghe.example/o/r",
        "org.opencontainers.image.revision": "abc",
        [RUN_URL_ANNOTATION]: "https://ghe.example/o/r/actions/runs/5",
      },
    ],
    [
      "Azure Pipelines",
      {
        TF_BUILD: "True",
        BUILD_REPOSITORY_URI: "https://dev.azure.com/org/p/_git/app",
        BUILD_SOURCEVERSION: "def",
        SYSTEM_COLLECTIONURI: "https://dev.azure.com/org/",
        SYSTEM_TEAMPROJECT: "My Project",
        BUILD_BUILDID: "7",
      },
      {
        "org.opencontainers.image.source": "https://dev.azure.com/org/p/_git/app",
        "org.opencontainers.image.revision": "def",
        [RUN_URL_ANNOTATION]: "https://dev.azure.com/org/My%20Project/_build/results?buildId=7",
      },
    ],
  ])("%s", (_name, env, expected) => {
    expect(provenanceAnnotations(env)).toEqual(expected);
  });
});

describe("parseBoolean", () => {
  test.each<[string, boolean, boolean]>([
    ["", true, true],
    ["", false, false],
    ["TRUE", false, true],
    [" false ", true, false],
  ])("%j (default %s) is %s", (value, fallback, expected) => {
    expect(parseBoolean(value, "x", fallback)).toBe(expected);
  });
  test("anything else names the input", () => {
    expect(() => parseBoolean("1", "fail-on-duplicate", false)).toThrow(/fail-on-duplicate/);
  });
});
