// The bundled Azure Pipelines task, run as the agent runs it, against the test rig's real
// registries: the subject on an htpasswd distribution reached through a Docker registry service
// connection, promotion to a referrers-API registry.
import { ok } from "../helpers/cli";
import { uniqueName } from "../helpers/targets";
import { testRegistries } from "../rig/env";
import { runTask, type ServiceConnection, type TaskRun } from "./runner";
import { countNodes, makeWorkspace, pushImage, typesOf, type GraphNode } from "./workspace";

const SBOM = "application/spdx+json";
const SIG = "application/vnd.example.signature";
const SARIF = "application/sarif+json";

describe("dist/task.js on the agent", () => {
  let workspace: string;
  let subject: string;
  let subjectDigest: string;
  let staging: string;
  let connection: ServiceConnection;
  let inputs: Record<string, string>;
  let first: TaskRun;

  beforeAll(async () => {
    const { distributionAuth: auth, referrers } = testRegistries();
    workspace = await makeWorkspace();
    subject = `${auth.host}/${uniqueName("net-monitor")}:v1`;
    staging = `${referrers}/${uniqueName("sample-staging/net-monitor")}:v1`;
    subjectDigest = await pushImage(subject, workspace, ["-u", auth.username, "-p", auth.password]);
    connection = {
      id: "5f2b0d4e-1111-4c3a-9d3e-0123456789ab",
      url: `http://${auth.host}`,
      scheme: "UsernamePassword",
      parameters: {
        registry: `http://${auth.host}`,
        username: auth.username,
        password: auth.password,
        email: "",
      },
    };
    inputs = {
      subject,
      sbom: "sbom/net-monitor.spdx.json",
      scanResults: "trivy.sarif",
      attach: `@sbom ${SIG} sbom.sig`,
      promoteTo: staging,
      require: `${SBOM} > ${SIG}`,
      plainHttp: "true",
      dockerRegistryServiceConnection: connection.id,
    };
    first = await runTask(inputs, { workspace, endpoints: [connection] });
  });

  test("attaches, gates and promotes; output variables name every digest", () => {
    expect(first.stderr).toBe("");
    expect([first.code, first.result, first.message]).toEqual([
      0,
      "Succeeded",
      `${subject}: 3 artifact(s) attached or reused`,
    ]);
    const v = first.variables;
    expect(v["SubjectDigest"]).toBe(subjectDigest);
    expect(v["PromotedDigest"]).toBe(subjectDigest);
    expect(v["Gate"]).toBe("passed");
    expect(v["SbomDigest"]).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(v["ScanResultsDigest"]).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(v["SignatureDigest"]).toBe("");
    const graph = JSON.parse(v["Graph"] as string) as GraphNode;
    expect(typesOf(graph)).toEqual([SARIF, SBOM]);
    const sbom = graph.referrers.find((r) => r.artifactType === SBOM) as GraphNode;
    expect(typesOf(sbom)).toEqual([SIG]);
    expect(sbom.annotations).toMatchObject({
      "org.opencontainers.image.source": "https://dev.azure.com/example/net-monitor/_git/net-monitor",
      "org.opencontainers.image.revision": "fedcba9876543210fedcba9876543210fedcba98",
      "dev.ocigraph.run.url": "https://dev.azure.com/example/Net%20Monitor/_build/results?buildId=77",
    });
  });

  test("the service connection's password is masked; logs are grouped", () => {
    expect(first.secrets).toContain(connection.parameters["password"]);
    expect(first.stdout).toContain("##[group]Attach 3 artifact(s)");
    expect(first.stdout).toContain("##[endgroup]");
  });

  test("the uploaded summary shows the gate, the table, the tree (Azure DevOps draws no Mermaid) and the referrers modes", () => {
    const s = first.summary;
    expect(s).toContain("✅ **Release gate passed**");
    expect(s).toContain("3 attached, 0 reused");
    expect(s).not.toContain("```mermaid");
    expect(s).not.toContain("<details>");
    expect(s).toMatch(/### Graph\n\n```text\n/);
    expect(s).toContain("| subject | tag-schema fallback");
    expect(s).toContain("| promotion | referrers API |");
  });

  test("the whole graph is in staging", async () => {
    const promoted = JSON.parse(
      await ok(["discover", "--plain-http", "--format", "json", staging]),
    ) as GraphNode;
    expect(promoted.digest).toBe(subjectDigest);
    expect(countNodes(promoted)).toBe(3);
  });

  test("a second identical run reuses every referrer and adds none", async () => {
    const again = await runTask(inputs, { workspace, endpoints: [connection] });
    expect(again.result).toBe("Succeeded");
    for (const key of ["SbomDigest", "ScanResultsDigest", "AttachDigests", "PromotedDigest"]) {
      expect([key, again.variables[key]]).toEqual([key, first.variables[key]]);
    }
    expect(again.summary).toContain("0 attached, 3 reused");
    expect(countNodes(JSON.parse(again.variables["Graph"] as string) as GraphNode)).toBe(3);
  });

  test("the gate fails with a clear message when a type is missing", async () => {
    const gate = await runTask(
      {
        subject,
        require: `${SBOM} > ${SIG}\napplication/vnd.cyclonedx+json`,
        plainHttp: "true",
        dockerRegistryServiceConnection: connection.id,
      },
      { workspace, endpoints: [connection] },
    );
    expect(gate.code).toBe(0); // the agent reads the result from task.complete, not the exit code
    expect(gate.result).toBe("Failed");
    expect(gate.message).toBe(
      `${subject} lacks 1 required artifact: application/vnd.cyclonedx+json (no application/vnd.cyclonedx+json refers to it)`,
    );
    expect(gate.stdout).toContain("##vso[task.issue type=error");
    expect(gate.variables["Gate"]).toBe("failed");
    expect(gate.summary).toContain("❌ **Release gate failed**");
  });

  test("without the service connection the registry refuses, and the message says so", async () => {
    const denied = await runTask({ subject, require: SBOM, plainHttp: "true" }, { workspace });
    expect(denied.result).toBe("Failed");
    expect(denied.message).toMatch(/401|unauthori[sz]ed|credentials/i);
  });
});
