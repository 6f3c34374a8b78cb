// The bundled GitHub Action, run as the runner runs it, against the test rig's real registries:
// the subject on distribution 2.8 (tag-schema fallback), promotion to a referrers-API registry.
import { ok } from "../helpers/cli";
import { uniqueName } from "../helpers/targets";
import { testRegistries } from "../rig/env";
import { runAction, type ActionRun } from "./runner";
import { countNodes, makeWorkspace, pushImage, typesOf, type GraphNode } from "./workspace";

const SBOM = "application/spdx+json";
const SIG = "application/vnd.example.signature";
const DSSE = "application/vnd.dsse.envelope.v1+json";
const SARIF = "application/sarif+json";
const DOCS = "application/vnd.example.readme";

describe("dist/action.js on the runner", () => {
  let workspace: string;
  let subject: string;
  let subjectDigest: string;
  let staging: string;
  let first: ActionRun;
  let inputs: Record<string, string>;

  beforeAll(async () => {
    const { distribution, referrers } = testRegistries();
    workspace = await makeWorkspace();
    subject = `${distribution}/${uniqueName("net-monitor")}:v1`;
    staging = `${referrers}/${uniqueName("sample-staging/net-monitor")}:v1`;
    subjectDigest = await pushImage(subject, workspace);
    inputs = {
      subject,
      sbom: "sbom/*.spdx.json",
      signature: "signature.dsse.json",
      "scan-results": "./trivy.sarif",
      attach: `# the SBOM's own signature, and the docs folder\n@sbom ${SIG} sbom.sig\n${DOCS} docs`,
      annotations: "org.opencontainers.image.description=net monitor",
      "promote-to": staging,
      require: `${SBOM} > ${SIG}\n${SARIF}`,
      "plain-http": "true",
    };
    first = await runAction(inputs, { workspace });
  });

  test("attaches, gates and promotes; outputs name every digest", async () => {
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    const o = first.outputs;
    expect(o["subject-digest"]).toBe(subjectDigest);
    expect(o["promoted-digest"]).toBe(subjectDigest);
    expect(o["gate"]).toBe("passed");
    for (const key of ["sbom-digest", "signature-digest", "scan-results-digest"])
      expect(o[key]).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(o["attach-digests"]).toMatch(/^sha256:[a-f0-9]{64},sha256:[a-f0-9]{64}$/);

    const graph = JSON.parse(o["graph"] as string) as GraphNode;
    expect(graph.digest).toBe(subjectDigest);
    expect(typesOf(graph)).toEqual([DOCS, SARIF, SBOM, DSSE].sort());
    const sbom = graph.referrers.find((r) => r.artifactType === SBOM) as GraphNode;
    expect(sbom.digest).toBe(o["sbom-digest"]);
    expect(typesOf(sbom)).toEqual([SIG]);
    expect(sbom.annotations).toMatchObject({
      "org.opencontainers.image.description": "net monitor",
      "org.opencontainers.image.source": "https://github.com/example/net-monitor",
      "org.opencontainers.image.revision": "0123456789abcdef0123456789abcdef01234567",
      "dev.ocigraph.run.url": "https://github.com/example/net-monitor/actions/runs/4242",
    });
  });

  test("logs are grouped per phase", () => {
    for (const group of ["Resolve", "Attach 5 artifact(s)", "Release gate", "Promote to", "Graph"]) {
      expect(first.stdout).toContain(`::group::${group}`);
    }
  });

  test("the step summary shows the gate, the table, the diagram, the tree and the referrers modes", () => {
    const s = first.summary;
    expect(s).toContain(`## ocigraph: \`${subject}\``);
    expect(s).toContain("✅ **Release gate passed**");
    expect(s).toContain("5 attached, 0 reused");
    expect(s).toContain(`| ${SBOM} | \`${(first.outputs["sbom-digest"] as string).slice(0, 19)}\` |`);
    expect(s).toContain("sbom/net-monitor.spdx.json");
    expect(s).toContain("### Promotion");
    expect(s).toMatch(/```mermaid\n.*\nflowchart BT/);
    expect(s).toContain("<details><summary>Tree</summary>");
    expect(s).toMatch(
      /\| .*\/net-monitor-[0-9a-f]+ \| subject \| tag-schema fallback \\\(no referrers API\\\) \|/,
    );
    expect(s).toMatch(/\| .*sample-staging\/net-monitor-[0-9a-f]+ \| promotion \| referrers API \|/);
  });

  test("the whole graph is in staging", async () => {
    const out = await ok(["discover", "--plain-http", "--format", "json", staging]);
    const promoted = JSON.parse(out) as GraphNode;
    expect(promoted.digest).toBe(subjectDigest);
    expect(countNodes(promoted)).toBe(5);
    expect(typesOf(promoted.referrers.find((r) => r.artifactType === SBOM) as GraphNode)).toEqual([SIG]);
  });

  test("a second identical run reuses every referrer and adds none", async () => {
    const again = await runAction(inputs, { workspace });
    expect(again.code).toBe(0);
    for (const key of [
      "sbom-digest",
      "signature-digest",
      "scan-results-digest",
      "attach-digests",
      "promoted-digest",
    ]) {
      expect([key, again.outputs[key]]).toEqual([key, first.outputs[key]]);
    }
    expect(again.summary).toContain("0 attached, 5 reused");
    const before = JSON.parse(first.outputs["graph"] as string) as GraphNode;
    const after = JSON.parse(again.outputs["graph"] as string) as GraphNode;
    expect(countNodes(after)).toBe(countNodes(before));
  });

  test("fail-on-duplicate turns a reuse into a failure naming the file", async () => {
    const dup = await runAction(
      {
        subject,
        "scan-results": "trivy.sarif",
        annotations: inputs["annotations"] as string,
        "plain-http": "true",
        "fail-on-duplicate": "true",
      },
      { workspace },
    );
    expect(dup.code).toBe(1);
    expect(dup.stdout).toMatch(
      /::error::scan-results \(trivy\.sarif\): an identical application\/sarif\+json artifact already refers to/,
    );
  });

  test("a pure gate step passes when the graph holds what is required", async () => {
    const gate = await runAction(
      { subject, require: `${SBOM} > ${SIG}, ${DSSE}`, "plain-http": "true" },
      { workspace },
    );
    expect(gate.code).toBe(0);
    expect(gate.outputs["gate"]).toBe("passed");
    expect(gate.summary).toContain("✅ **Release gate passed**");
  });

  test("the gate fails with one message listing everything missing, and does not promote", async () => {
    const target = `${testRegistries().referrers}/${uniqueName("never")}:v1`;
    const gate = await runAction(
      {
        subject,
        require: `${SBOM}\napplication/vnd.example.vex\n${SARIF} > ${SIG}`,
        "promote-to": target,
        "plain-http": "true",
      },
      { workspace },
    );
    expect(gate.code).toBe(1);
    expect(gate.outputs["gate"]).toBe("failed");
    expect(gate.outputs["promoted-digest"]).toBe("");
    expect(gate.stdout).toContain(
      `::error::${subject} lacks 2 required artifacts: application/vnd.example.vex (no application/vnd.example.vex refers to it); ` +
        `${SARIF} > ${SIG} (it has ${SARIF}, but no ${SIG} refers to it)`,
    );
    expect(gate.summary).toContain("❌ **Release gate failed**");
    expect(gate.summary).toContain("Not promoted: the release gate failed.");
    const tags = await ok(["tags", "--plain-http", target.replace(/:v1$/, "")]).catch(
      (e: Error) => e.message,
    );
    expect(tags).not.toContain("v1");
  });

  test("a file that is not there fails the step naming it", async () => {
    const missing = await runAction(
      { subject, sbom: "dist/*.spdx.json", "plain-http": "true" },
      { workspace },
    );
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain('::error::sbom: "dist/*.spdx.json" matches no file');
    expect(missing.outputs).toEqual({});
  });

  test("username and password reach an htpasswd registry; the password is masked", async () => {
    const auth = testRegistries().distributionAuth;
    const ref = `${auth.host}/${uniqueName("private")}:v1`;
    await pushImage(ref, workspace, ["-u", auth.username, "-p", auth.password]);
    const run = await runAction(
      {
        subject: ref,
        sbom: "sbom/net-monitor.spdx.json",
        username: auth.username,
        password: auth.password,
        "plain-http": "true",
      },
      { workspace },
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`::add-mask::${auth.password}`);
    expect(run.outputs["sbom-digest"]).toMatch(/^sha256:/);
  });
});
