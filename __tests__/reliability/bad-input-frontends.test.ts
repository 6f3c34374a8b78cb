// Bad input through the two CI front ends (issue 6, item 6), table-driven like the CLI's
// __tests__/integration/bad-input.test.ts. Every case must fail the step with one message naming
// what is wrong:
//   - the action (dist/action.js as the runner runs it): a non-zero exit code, exactly one
//     `::error::` line, and no output set;
//   - the task (dist/task.js as the agent runs it): `##vso[task.complete result=Failed`, exactly
//     one error issue, and no output variable set;
// and write nothing: the registries' tags and referrers and the workspace stay exactly as they were.
// OCIGRAPH_SHOW_MESSAGES=1 prints each case's message (to review their wording).
import { createHash } from "node:crypto";
import { readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { ok } from "../helpers/cli";
import { uniqueName } from "../helpers/targets";
import { runAction, runTask, type ServiceConnection } from "../e2e/runner";
import { makeWorkspace, pushImage } from "../e2e/workspace";
import { testRegistries } from "../rig/env";
import { recordFigure, testFileOf } from "./figures";

/** The CLI's table in __tests__/integration/bad-input.test.ts (its "has at least 20 cases" guard). */
const CLI_CASES = 32;
const SIG = "application/vnd.example.signature";

interface Ctx {
  workspace: string;
  /** Anonymous distribution: `host/repo:v1`, with one referrer. */
  subject: string;
  /** htpasswd distribution: `host/repo:v1`. */
  authSubject: string;
  auth: { host: string; username: string; password: string };
  /** A repository on the referrers-API registry that promotions would create. */
  promoteTo: string;
  connection: ServiceConnection;
}

interface Case {
  name: string;
  /** Inputs by the front end's names (kebab-case for the action, camelCase for the task). */
  inputs: (c: Ctx) => Record<string, string>;
  /** Service connections the agent hands the task. */
  endpoints?: (c: Ctx) => ServiceConnection[];
  /** Extra environment (e.g. ENDPOINT_DATA_* the runner does not set). */
  env?: (c: Ctx) => NodeJS.ProcessEnv;
  /** Substrings the one error message must contain. */
  says: (c: Ctx) => string[];
}

const ctx = {} as Ctx;

const actionCases: Case[] = [
  {
    name: "missing subject",
    inputs: () => ({ subject: "", sbom: "sbom/net-monitor.spdx.json" }),
    says: () => ["the input subject is required"],
  },
  {
    name: "malformed subject (uppercase repository)",
    inputs: (c) => ({ subject: c.subject.replace(/\/[^/]+:v1$/, "/Net-Monitor:v1"), sbom: "sbom/*.json" }),
    says: () => ['the input subject: invalid reference "', '"Net-Monitor"'],
  },
  {
    name: "subject without tag or digest",
    inputs: (c) => ({ subject: c.subject.replace(/:v1$/, ""), sbom: "sbom/*.json" }),
    says: () => ["the input subject: invalid reference", "needs a tag or a digest"],
  },
  {
    name: "sbom glob matching nothing",
    inputs: (c) => ({ subject: c.subject, sbom: "dist/*.spdx.json" }),
    says: () => ['sbom: "dist/*.spdx.json" matches no file'],
  },
  {
    name: "unknown content type without sbom-artifact-type",
    inputs: (c) => ({ subject: c.subject, sbom: "notes.txt" }),
    says: () => ["cannot tell the artifact type of notes.txt", "sbom"],
  },
  {
    name: "invalid signature-artifact-type",
    inputs: (c) => ({
      subject: c.subject,
      signature: "signature.dsse.json",
      "signature-artifact-type": "not a type",
    }),
    says: () => ['the input signature-artifact-type ("not a type") is not a media type'],
  },
  {
    name: "attach line without a path",
    inputs: (c) => ({ subject: c.subject, attach: "application/vnd.example.readme" }),
    says: () => ["attach line 1", "needs an artifact type and at least one path"],
  },
  {
    name: "attach line with an invalid artifact type",
    inputs: (c) => ({ subject: c.subject, attach: "# docs\nnot-a-type docs" }),
    says: () => ["attach line 2", "needs an artifact type"],
  },
  {
    name: "attach line naming an unknown @parent",
    inputs: (c) => ({ subject: c.subject, attach: `@readme ${SIG} sbom.sig` }),
    says: () => ['attach line 1: "@readme" is not something to attach to'],
  },
  {
    name: "@signature when the signature input attached nothing",
    inputs: (c) => ({ subject: c.subject, sbom: "sbom/*.json", attach: `@signature ${SIG} sbom.sig` }),
    says: () => ["attach line 1 attaches to @signature, but the signature input gives 0 files"],
  },
  {
    name: "attach line naming a missing file",
    inputs: (c) => ({ subject: c.subject, attach: `${SIG} missing.sig` }),
    says: () => ["attach line 1: file not found: missing.sig"],
  },
  {
    name: "annotation line without =",
    inputs: (c) => ({ subject: c.subject, sbom: "sbom/*.json", annotations: "a=1\nnovalue" }),
    says: () => ['the input annotations: annotation "novalue" is not key=value'],
  },
  {
    name: "annotation key given twice",
    inputs: (c) => ({ subject: c.subject, sbom: "sbom/*.json", annotations: "k=1\nk=2" }),
    says: () => ['the input annotations: annotation "k" is given twice'],
  },
  {
    name: "require expression with a bad type",
    inputs: (c) => ({ subject: c.subject, require: "application/spdx+json > not a type" }),
    says: () => ['the input require: the requirement "application/spdx+json > not a type" has "not a type"'],
  },
  {
    name: "promote-to malformed",
    inputs: (c) => ({ subject: c.subject, "promote-to": `${c.promoteTo}:bad!tag` }),
    says: () => ["the input promote-to: invalid reference", '"bad!tag" is not a valid tag'],
  },
  {
    name: "promote-artifact-types without promote-to",
    inputs: (c) => ({ subject: c.subject, sbom: "sbom/*.json", "promote-artifact-types": SIG }),
    says: () => ["the input promote-artifact-types is set but promote-to is not"],
  },
  {
    name: "plain-http neither true nor false",
    inputs: (c) => ({ subject: c.subject, sbom: "sbom/*.json", "plain-http": "yes" }),
    says: () => ['the input plain-http is "yes", which is neither true nor false'],
  },
  {
    name: "username without password",
    inputs: (c) => ({ subject: c.authSubject, sbom: "sbom/*.json", username: c.auth.username }),
    says: () => ["give both username and password, or neither"],
  },
  {
    name: "unknown azure-credential",
    inputs: (c) => ({ subject: c.subject, sbom: "sbom/*.json", "azure-credential": "magic" }),
    says: () => ['the input azure-credential is "magic", which is not a credential kind'],
  },
  {
    name: "wrong password",
    inputs: (c) => ({
      subject: c.authSubject,
      sbom: "sbom/*.json",
      username: c.auth.username,
      password: "not-the-password",
    }),
    says: (c) => [c.auth.host, "401"],
  },
  {
    name: "plain-http off against a plain-HTTP registry",
    inputs: (c) => ({ subject: c.subject, sbom: "sbom/*.json", "plain-http": "false" }),
    says: (c) => [c.subject.split("/")[0] as string],
  },
];

/** A Docker registry service connection to the htpasswd registry. */
function dockerConnection(c: Ctx, override: Partial<ServiceConnection> = {}): ServiceConnection {
  return { ...c.connection, ...override, parameters: { ...c.connection.parameters, ...override.parameters } };
}

const taskCases: Case[] = [
  {
    name: "missing subject",
    inputs: () => ({ sbom: "sbom/net-monitor.spdx.json" }),
    says: () => ["the input subject is required"],
  },
  {
    name: "malformed subject (empty tag)",
    inputs: (c) => ({ subject: `${c.subject.replace(/:v1$/, "")}:`, sbom: "sbom/*.json" }),
    says: () => ["the input subject: invalid reference", '"" is not a valid tag'],
  },
  {
    name: "subject with an unsupported digest algorithm",
    inputs: (c) => ({
      subject: `${c.subject.replace(/:v1$/, "")}@md5:d41d8cd98f00b204e9800998ecf8427e`,
      sbom: "sbom/*.json",
    }),
    says: () => ["the input subject: invalid reference", '"md5"'],
  },
  {
    name: "scanResults glob matching nothing",
    inputs: (c) => ({ subject: c.subject, scanResults: "reports/**/*.sarif" }),
    says: () => ['scanResults: "reports/**/*.sarif" matches no file'],
  },
  {
    name: "unknown content type without signatureArtifactType",
    inputs: (c) => ({ subject: c.subject, signature: "notes.txt" }),
    says: () => ["cannot tell the artifact type of notes.txt", "signature"],
  },
  {
    name: "invalid scanResultsArtifactType",
    inputs: (c) => ({ subject: c.subject, scanResults: "trivy.sarif", scanResultsArtifactType: "sarif" }),
    says: () => ['the input scanResultsArtifactType ("sarif") is not a media type'],
  },
  {
    name: "attach line with an unbalanced quote",
    inputs: (c) => ({ subject: c.subject, attach: `${SIG} "sbom.sig` }),
    says: () => ["attach line 1", "unbalanced quote"],
  },
  {
    name: "@scan-results when scanResults attached nothing",
    inputs: (c) => ({ subject: c.subject, sbom: "sbom/*.json", attach: `@scan-results ${SIG} sbom.sig` }),
    says: () => ["attach line 1 attaches to @scan-results, but the scan-results input gives 0 files"],
  },
  {
    name: "annotation line with a blank in the key",
    inputs: (c) => ({ subject: c.subject, sbom: "sbom/*.json", annotations: "my key=v" }),
    says: () => ['the input annotations: annotation "my key=v" is not key=value'],
  },
  {
    name: "require expression with an empty link",
    inputs: (c) => ({ subject: c.subject, require: "application/spdx+json >" }),
    says: () => ["the input require: the requirement", "not an artifact type"],
  },
  {
    name: "promoteTo malformed",
    inputs: (c) => ({ subject: c.subject, promoteTo: "https://staging.example.com/net-monitor:v1" }),
    says: () => ['the input promoteTo: invalid reference "https://staging.example.com/net-monitor:v1"'],
  },
  {
    name: "failOnDuplicate neither true nor false",
    inputs: (c) => ({ subject: c.subject, sbom: "sbom/*.json", failOnDuplicate: "sometimes" }),
    says: () => ['the input failOnDuplicate is "sometimes", which is neither true nor false'],
  },
  {
    name: "wrong password in the inputs",
    inputs: (c) => ({
      subject: c.authSubject,
      sbom: "sbom/*.json",
      username: c.auth.username,
      password: "not-the-password",
    }),
    says: (c) => [c.auth.host, "401"],
  },
  {
    name: "Docker service connection with a wrong password",
    inputs: (c) => ({
      subject: c.authSubject,
      sbom: "sbom/*.json",
      dockerRegistryServiceConnection: c.connection.id,
    }),
    endpoints: (c) => [dockerConnection(c, { parameters: { password: "not-the-password" } })],
    says: (c) => [c.auth.host, "401"],
  },
  {
    name: "task without a service connection against a registry that needs one",
    inputs: (c) => ({ subject: c.authSubject, sbom: "sbom/*.json" }),
    says: (c) => [c.auth.host, "401"],
  },
  {
    name: "plainHttp off against a plain-HTTP registry",
    inputs: (c) => ({ subject: c.subject, sbom: "sbom/*.json", plainHttp: "false" }),
    says: (c) => [c.subject.split("/")[0] as string],
  },
  {
    name: "dockerRegistryServiceConnection naming no connection",
    inputs: (c) => ({
      subject: c.authSubject,
      sbom: "sbom/*.json",
      dockerRegistryServiceConnection: "9e0c0f5a-0000-4000-8000-000000000000",
    }),
    says: () => ["the Docker registry service connection 9e0c0f5a-0000-4000-8000-000000000000 has no"],
  },
  {
    name: "Docker service connection with a bad registry URL",
    inputs: (c) => ({
      subject: c.authSubject,
      sbom: "sbom/*.json",
      dockerRegistryServiceConnection: c.connection.id,
    }),
    endpoints: (c) => [
      dockerConnection(c, { url: "http://exa mple:5000", parameters: { registry: "http://exa mple:5000" } }),
    ],
    says: () => ['"http://exa mple:5000" is not a registry host'],
  },
  {
    name: "Docker service connection with an unsupported scheme",
    inputs: (c) => ({
      subject: c.authSubject,
      sbom: "sbom/*.json",
      dockerRegistryServiceConnection: c.connection.id,
    }),
    endpoints: (c) => [dockerConnection(c, { scheme: "Token" })],
    says: (c) => [`the Docker registry service connection ${c.connection.id} uses the Token scheme`],
  },
  {
    name: "azureSubscription naming no connection",
    inputs: (c) => ({
      subject: c.subject,
      sbom: "sbom/*.json",
      azureSubscription: "1d7c0a11-0000-4000-8000-000000000000",
    }),
    says: () => ["the AzureRM service connection 1d7c0a11-0000-4000-8000-000000000000 was not found"],
  },
  {
    name: "AzureRM service principal connection without its key",
    inputs: (c) => ({ subject: c.subject, sbom: "sbom/*.json", azureSubscription: "arm-no-key" }),
    endpoints: () => [
      {
        id: "arm-no-key",
        url: "https://management.azure.com/",
        scheme: "ServicePrincipal",
        parameters: {
          tenantid: "72f988bf-0000-4000-8000-000000000000",
          serviceprincipalid: "0b1c2d3e-0000-4000-8000-000000000000",
          authenticationType: "spnKey",
        },
      },
    ],
    says: () => ["The service connection arm-no-key has no service principal key"],
  },
];

function sha256(data: Buffer | string): string {
  return `sha256:${createHash("sha256").update(data).digest("hex")}`;
}

/** Every path under `root` with a hash of each file's content. */
async function tree(root: string): Promise<string[]> {
  const entries: string[] = [];
  async function walk(dir: string): Promise<void> {
    for (const name of (await readdir(dir)).sort()) {
      const path = join(dir, name);
      if ((await stat(path)).isDirectory()) {
        entries.push(`${relative(root, path)}/`);
        await walk(path);
      } else {
        entries.push(`${relative(root, path)} ${sha256(await readFile(path))}`);
      }
    }
  }
  await walk(root);
  return entries;
}

const ACCEPT = [
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.docker.distribution.manifest.v2+json",
].join(", ");

/**
 * A repository's state straight from the registry API (no process start per look): every tag
 * with the digest it points at. The tag-schema fallback index is a tag too, so a referrer added
 * to the subject changes this.
 */
async function repoState(
  reference: string,
  auth?: { username: string; password: string },
): Promise<string[]> {
  const slash = reference.indexOf("/");
  const host = reference.slice(0, slash);
  const name = reference.slice(slash + 1).replace(/:v1$/, "");
  const headers: Record<string, string> = auth
    ? { authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString("base64")}` }
    : {};
  const list = await fetch(`http://${host}/v2/${name}/tags/list`, { headers });
  const body = await list.text();
  if (list.status !== 200)
    return [`tags/list ${list.status} ${body.includes("NAME_UNKNOWN") ? "NAME_UNKNOWN" : ""}`];
  const tags = ((JSON.parse(body) as { tags?: string[] | null }).tags ?? []).sort();
  return Promise.all(
    tags.map(async (tag) => {
      const res = await fetch(`http://${host}/v2/${name}/manifests/${tag}`, {
        method: "HEAD",
        headers: { ...headers, accept: ACCEPT },
      });
      return `${tag} ${res.status} ${res.headers.get("docker-content-digest") ?? ""}`;
    }),
  );
}

interface Snapshot {
  subject: string[];
  authSubject: string[];
  promoteTo: string[];
  workspace: string[];
}

async function snapshot(c: Ctx): Promise<Snapshot> {
  const [subject, authSubject, promoteTo, workspace] = await Promise.all([
    repoState(c.subject),
    repoState(c.authSubject, c.auth),
    repoState(c.promoteTo),
    tree(c.workspace),
  ]);
  return { subject, authSubject, promoteTo, workspace };
}

const counted = { action: 0, task: 0, actionPassed: 0, taskPassed: 0 };

describe("bad input through the action and the task: the step fails, one message, nothing written", () => {
  let before: Snapshot;

  beforeAll(async () => {
    const { distribution, distributionAuth, referrers } = testRegistries();
    ctx.workspace = await makeWorkspace();
    await writeFile(join(ctx.workspace, "notes.txt"), "plain notes, no known format\n");
    ctx.subject = `${distribution}/${uniqueName("bad-frontend")}:v1`;
    ctx.auth = distributionAuth;
    ctx.authSubject = `${distributionAuth.host}/${uniqueName("bad-frontend")}:v1`;
    ctx.promoteTo = `${referrers}/${uniqueName("bad-frontend-staging")}`;
    ctx.connection = {
      id: "5f2b0d4e-2222-4c3a-9d3e-0123456789ab",
      url: `http://${distributionAuth.host}`,
      scheme: "UsernamePassword",
      parameters: {
        registry: `http://${distributionAuth.host}`,
        username: distributionAuth.username,
        password: distributionAuth.password,
        email: "",
      },
    };
    const subjectDigest = await pushImage(ctx.subject, ctx.workspace);
    await ok(["attach", ctx.subject, "--artifact-type", SIG, "sbom.sig", "--plain-http"], {
      cwd: ctx.workspace,
    });
    const authDigest = await pushImage(ctx.authSubject, ctx.workspace, [
      "-u",
      ctx.auth.username,
      "-p",
      ctx.auth.password,
    ]);
    before = await snapshot(ctx);
    // the baseline holds what it should, so "unchanged" below means something: v1 and the
    // tag-schema fallback index of its one referrer; v1; no repository at all
    expect(before.subject.map((l) => l.split(" ")[0])).toEqual(
      [`sha256-${subjectDigest.slice(7)}`, "v1"].sort(),
    );
    expect(before.subject.every((l) => / 200 sha256:[0-9a-f]{64}$/.test(l))).toBe(true);
    expect(before.authSubject).toEqual([`v1 200 ${authDigest}`]);
    expect(before.promoteTo).toEqual(["tags/list 404 NAME_UNKNOWN"]);
  });

  afterAll(async () => {
    await rm(ctx.workspace, { recursive: true, force: true });
    if (counted.action + counted.task === 0) return;
    recordFigure({
      name: "bad-input-frontends",
      title: "Bad input through the GitHub Action and the Azure Pipelines task",
      issueItem: 6,
      testFile: testFileOf(__filename),
      parameters: {
        "action cases": actionCases.length,
        "task cases": taskCases.length,
        "CLI cases (integration/bad-input.test.ts)": CLI_CASES,
        "cases across CLI, action and task": CLI_CASES + actionCases.length + taskCases.length,
      },
      scenarios: [
        {
          scenario:
            "action (dist/action.js): non-zero exit, one ::error:: line naming the problem, nothing written",
          runs: counted.action,
          passed: counted.actionPassed,
        },
        {
          scenario:
            "task (dist/task.js): task.complete result=Failed, one error issue naming the problem, nothing written",
          runs: counted.task,
          passed: counted.taskPassed,
        },
      ],
    });
  });

  it("has at least 40 cases with the CLI's", () => {
    expect(actionCases.length).toBeGreaterThanOrEqual(10);
    expect(taskCases.length).toBeGreaterThanOrEqual(10);
    expect(CLI_CASES + actionCases.length + taskCases.length).toBeGreaterThanOrEqual(40);
  });

  describe("action", () => {
    it.each(actionCases.map((c) => [c.name, c] as const))("%s", async (_name, testCase) => {
      counted.action++;
      const result = await runAction(
        { "plain-http": "true", ...testCase.inputs(ctx) },
        { workspace: ctx.workspace, env: testCase.env?.(ctx) ?? {} },
      );
      expect(result.code).not.toBe(0);
      const errors = result.stdout.split("\n").filter((l) => l.startsWith("::error"));
      expect(errors).toHaveLength(1);
      const error = errors[0] as string;
      if (process.env.OCIGRAPH_SHOW_MESSAGES === "1") process.stdout.write(`action: ${error}\n`);
      for (const part of testCase.says(ctx)) expect(error).toContain(part);
      expect(error).not.toMatch(/\n\s+at |TypeError|undefined/);
      expect(result.outputs).toEqual({});
      expect(await snapshot(ctx)).toEqual(before);
      counted.actionPassed++;
    });
  });

  describe("task", () => {
    it.each(taskCases.map((c) => [c.name, c] as const))("%s", async (_name, testCase) => {
      counted.task++;
      const result = await runTask(
        { plainHttp: "true", ...testCase.inputs(ctx) },
        {
          workspace: ctx.workspace,
          endpoints: testCase.endpoints?.(ctx) ?? [],
          env: testCase.env?.(ctx) ?? {},
        },
      );
      expect(result.result).toBe("Failed");
      expect(result.stdout).toContain("##vso[task.complete result=Failed");
      const issues = result.stdout.split("\n").filter((l) => l.startsWith("##vso[task.issue type=error"));
      expect(issues).toHaveLength(1);
      if (process.env.OCIGRAPH_SHOW_MESSAGES === "1") process.stdout.write(`task: ${result.message}\n`);
      for (const part of testCase.says(ctx)) expect(result.message).toContain(part);
      expect(result.message).not.toMatch(/\n\s+at |TypeError|undefined/);
      expect(result.variables).toEqual({});
      expect(await snapshot(ctx)).toEqual(before);
      counted.taskPassed++;
    });
  });
});
