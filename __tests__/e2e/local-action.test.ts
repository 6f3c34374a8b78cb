// The Action's entry point (src/action/main.ts) under GitHub's own local runner for JavaScript
// actions, @github/local-action, against the rig's real registries: attach, gate and promote in
// one step, then a failing gate. local-action substitutes its own @actions/core, so the outputs
// and the summary seen here are what its stubs recorded, not what our code wrote by itself.
import { spawn } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { OUTPUTS } from "../../src/job/outputs";
import { uniqueName } from "../helpers/targets";
import { testRegistries } from "../rig/env";
import { countNodes, makeWorkspace, pushImage, type GraphNode } from "./workspace";

const ROOT = join(__dirname, "..", "..");
const LOCAL_ACTION = join(ROOT, "node_modules", "@github", "local-action", "bin", "local-action.js");
const SBOM = "application/spdx+json";
const SIG = "application/vnd.example.signature";
const SARIF = "application/sarif+json";

interface LocalRun {
  code: number;
  stdout: string;
  outputs: Record<string, string>;
  errors: string[];
  summary: string;
}

/** A dotenv value: double-quoted, with newlines and quotes escaped (dotenv expands `\n` there). */
const dotenv = (value: string): string =>
  `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;

/** Runs `local-action run <repo> src/action/main.ts <env file>` from the repository, as its README says. */
async function localAction(inputs: Record<string, string>, workspace: string): Promise<LocalRun> {
  const dir = await mkdtemp(join(tmpdir(), "ocigraph-local-action-"));
  const summaryFile = join(dir, "summary.md");
  await writeFile(summaryFile, "");
  const env: Record<string, string> = {
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_WORKSPACE: workspace,
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_REPOSITORY: "example/net-monitor",
    GITHUB_SHA: "0123456789abcdef0123456789abcdef01234567",
    GITHUB_RUN_ID: "4242",
    OCIGRAPH_MAX_RETRIES: "1",
    OCIGRAPH_RETRY_DELAY_MS: "50",
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  const envFile = join(dir, ".env");
  await writeFile(
    envFile,
    Object.entries(env)
      .map(([k, v]) => `${k}=${dotenv(v)}`)
      .join("\n"),
  );
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(INPUT_|GITHUB_|RUNNER_|ACTIONS_|AZURE_)/.test(k)),
  );
  const { code, stdout } = await new Promise<{ code: number; stdout: string }>((resolve, reject) => {
    // cwd is the repository: local-action finds tsx and the @actions/core to stub with npm there.
    const child = spawn(
      process.execPath,
      [LOCAL_ACTION, "run", ROOT, join(ROOT, "src", "action", "main.ts"), envFile],
      {
        cwd: ROOT,
        env: { ...inherited, FORCE_COLOR: "0", NO_COLOR: "1" },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.on("error", reject);
    child.on("close", (c) => resolve({ code: c ?? -1, stdout: out }));
  });
  const outputs: Record<string, string> = {};
  for (const [, name, value] of stdout.matchAll(/^::set-output name=([\w-]+)::(.*)$/gm))
    outputs[name as string] = value as string;
  const errors = [...stdout.matchAll(/^::error::(.*)$/gm)].map((m) => m[1] as string);
  return { code, stdout, outputs, errors, summary: await readFile(summaryFile, "utf8") };
}

describe("src/action/main.ts under @github/local-action", () => {
  let workspace: string;
  let subject: string;
  let subjectDigest: string;
  let staging: string;
  let first: LocalRun;

  beforeAll(async () => {
    const { distribution, referrers } = testRegistries();
    workspace = await makeWorkspace();
    subject = `${distribution}/${uniqueName("local-action")}:v1`;
    staging = `${referrers}/${uniqueName("local-action-staging")}:v1`;
    subjectDigest = await pushImage(subject, workspace);
    // Paths are absolute: local-action runs in the repository, not in the workspace.
    first = await localAction(
      {
        subject,
        sbom: join(workspace, "sbom", "*.spdx.json"),
        "scan-results": join(workspace, "trivy.sarif"),
        attach: `@sbom ${SIG} ${join(workspace, "sbom.sig")}`,
        "promote-to": staging,
        require: `${SBOM} > ${SIG}\n${SARIF}`,
        "plain-http": "true",
      },
      workspace,
    );
  }, 180_000);

  test("the stubs saw every output, and nothing failed", () => {
    expect(first.code).toBe(0);
    expect(first.errors).toEqual([]);
    expect(first.stdout).not.toContain("No outputs were set!");
    const o = first.outputs;
    // Every output the Action declares reached local-action's own setOutput.
    expect(Object.keys(o).sort()).toEqual(OUTPUTS.map((out) => out.action).sort());
    expect(o["subject-digest"]).toBe(subjectDigest);
    expect(o["promoted-digest"]).toBe(subjectDigest);
    expect(o["gate"]).toBe("passed");
    expect(o["sbom-digest"]).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(o["scan-results-digest"]).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(o["attach-digests"]).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(o["signature-digest"]).toBe("");
    const graph = JSON.parse(o["graph"] as string) as GraphNode;
    expect(graph.digest).toBe(subjectDigest);
    expect(countNodes(graph)).toBe(3);
  });

  test("the summary written through the stub shows the gate, the artifacts, the promotion and the graph", () => {
    const s = first.summary;
    expect(s).toContain("✅ **Release gate passed**");
    expect(s).toContain("### Artifacts");
    expect(s).toContain("### Promotion");
    expect(s).toContain("```mermaid");
    expect(s).toContain(SBOM);
    expect(s).toContain(SIG);
  });

  test("a gate that fails is reported through setFailed, listing what is missing", async () => {
    const run = await localAction(
      { subject: staging, require: "application/vnd.example.missing", "plain-http": "true" },
      workspace,
    );
    expect(run.outputs["gate"]).toBe("failed");
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toContain("application/vnd.example.missing");
    expect(run.summary).toContain("❌ **Release gate failed**");
  }, 120_000);
});
