// Secrets (issue 6, item 8): representative runs with known secrets, every output they produce
// scanned. The CLI with an htpasswd password given with -p, with --password-stdin and through a
// docker config, all with --verbose (the HTTP trace); the action's `password` input; the task's
// Docker registry service connection; Entra ID sign-in to the ACR stand-in (client secret and
// GitHub OIDC, --verbose) from the CLI, the action and the task; and failing runs with a wrong
// password. No secret may appear in any stdout, stderr, step summary or output, in any form
// (as is, base64, base64url, URL-encoded, in a Basic credential), nor any JWT or Authorization
// header with a value; the action masks each secret with `::add-mask::` and the task with
// `##vso[task.setsecret]` before its first use.
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ocigraph, type CliRun } from "../helpers/cli";
import { maskedBeforeUse, scanForSecrets, type KnownSecret, type ScannedOutput } from "../helpers/secrets";
import { uniqueName } from "../helpers/targets";
import { runAction, runTask, type ActionRun, type TaskRun } from "../e2e/runner";
import { makeWorkspace, pushImage } from "../e2e/workspace";
import { testRegistries } from "../rig/env";
import { startTokenAuthRig, type TokenAuthRig } from "../rig/token-auth";
import { recordFigure, testFileOf } from "./figures";

const SIG = "application/vnd.example.signature";
const WRONG = "wr0ng-Pa55word~for-the-scan";

describe("secrets never reach a log, a summary or an output", () => {
  const outputs: ScannedOutput[] = [];
  const maskChecks: { label: string; masked: boolean; before: boolean }[] = [];
  let rig: TokenAuthRig;
  let workspace: string;
  let auth: { host: string; username: string; password: string };
  let authRepo: string;
  let secrets: () => KnownSecret[];

  function keepCli(label: string, run: CliRun): CliRun {
    outputs.push(
      { label: `${label} (stdout)`, text: run.stdout },
      { label: `${label} (stderr)`, text: run.stderr },
    );
    return run;
  }
  function keepAction(label: string, run: ActionRun): ActionRun {
    outputs.push(
      { label: `${label} (stdout)`, text: run.stdout },
      { label: `${label} (stderr)`, text: run.stderr },
      { label: `${label} (step summary)`, text: run.summary },
      { label: `${label} (outputs)`, text: JSON.stringify(run.outputs) },
    );
    return run;
  }
  function keepTask(label: string, run: TaskRun): TaskRun {
    outputs.push(
      { label: `${label} (stdout)`, text: run.stdout },
      { label: `${label} (stderr)`, text: run.stderr },
      { label: `${label} (summary)`, text: run.summary },
      { label: `${label} (variables)`, text: JSON.stringify(run.variables) },
    );
    return run;
  }

  /** Runs the CLI with --verbose (the HTTP trace on stderr) and keeps its output for the scan. */
  async function cli(
    label: string,
    args: string[],
    options: { input?: string; env?: NodeJS.ProcessEnv } = {},
  ) {
    return keepCli(label, await ocigraph([...args, "--verbose"], { cwd: workspace, ...options }));
  }

  beforeAll(async () => {
    auth = testRegistries().distributionAuth;
    workspace = await makeWorkspace();
    authRepo = `${auth.host}/${uniqueName("secret-scan")}`;
    rig = await startTokenAuthRig();
    secrets = () => [
      { label: "htpasswd password", value: auth.password, username: auth.username },
      { label: "wrong password", value: WRONG, username: auth.username },
      { label: "Entra client secret", value: rig.apps.secret.secret, username: rig.apps.secret.clientId },
      { label: "GitHub ID-token request token", value: rig.github.requestToken },
      ...rig.github.issued.map((value, i) => ({ label: `GitHub ID token ${i + 1}`, value })),
      ...rig.acr.issued.map((value, i) => ({
        label: `ACR refresh/access token ${i + 1}`,
        value,
        username: "00000000-0000-0000-0000-000000000000",
      })),
    ];
  });

  afterAll(async () => {
    await rig?.stop();
  });

  it("the CLI: -p, --password-stdin, a docker config, login, a wrong password (all --verbose)", async () => {
    const creds = ["-u", auth.username, "-p", auth.password, "--plain-http"];
    const image = `${authRepo}:v1`;
    expect((await cli("cli push -p", ["push", image, "image.txt", ...creds])).code).toBe(0);
    const attached = await cli(
      "cli attach --password-stdin",
      [
        "attach",
        image,
        "--artifact-type",
        SIG,
        "sbom.sig",
        "-u",
        auth.username,
        "--password-stdin",
        "--plain-http",
      ],
      { input: `${auth.password}\n` },
    );
    expect(attached.code).toBe(0);

    const config = await mkdtemp(join(tmpdir(), "ocigraph-secret-scan-docker-"));
    const encoded = Buffer.from(`${auth.username}:${auth.password}`).toString("base64");
    await writeFile(
      join(config, "config.json"),
      JSON.stringify({ auths: { [auth.host]: { auth: encoded } } }),
    );
    const viaConfig = ["--registry-config", join(config, "config.json"), "--plain-http"];
    expect((await cli("cli discover (docker config)", ["discover", image, ...viaConfig])).code).toBe(0);
    expect((await cli("cli tags (docker config)", ["tags", authRepo, ...viaConfig])).code).toBe(0);
    const out = await mkdtemp(join(tmpdir(), "ocigraph-secret-scan-pull-"));
    expect(
      (
        await cli("cli pull (DOCKER_CONFIG)", ["pull", image, "-o", out, "--plain-http"], {
          env: { DOCKER_CONFIG: config },
        })
      ).code,
    ).toBe(0);
    const copied = await cli("cli copy -r (docker config)", [
      "copy",
      "-r",
      image,
      `${authRepo}-copy:v1`,
      ...viaConfig,
    ]);
    expect(copied.code).toBe(0);

    const saved = join(await mkdtemp(join(tmpdir(), "ocigraph-secret-scan-login-")), "config.json");
    const login = await cli("cli login -p", [
      "login",
      auth.host,
      "-u",
      auth.username,
      "-p",
      auth.password,
      "--registry-config",
      saved,
      "--plain-http",
    ]);
    expect(login.code).toBe(0);

    const wrong = await cli("cli attach, wrong -p", [
      "attach",
      image,
      "--artifact-type",
      SIG,
      "sbom.sig",
      "-u",
      auth.username,
      "-p",
      WRONG,
      "--plain-http",
    ]);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toMatch(/401/);
  });

  it("the action: the password input, masked before use; a wrong password", async () => {
    const subject = `${auth.host}/${uniqueName("secret-scan-action")}:v1`;
    await pushImage(subject, workspace, ["-u", auth.username, "-p", auth.password]);
    const inputs = {
      subject,
      sbom: "sbom/net-monitor.spdx.json",
      attach: `@sbom ${SIG} sbom.sig`,
      username: auth.username,
      password: auth.password,
      "plain-http": "true",
    };
    const run = keepAction(
      "action password input",
      await runAction(inputs, { workspace, env: { RUNNER_DEBUG: "1" } }),
    );
    expect(run.code).toBe(0);
    maskChecks.push({
      label: "action: password",
      ...maskedBeforeUse(run.stdout, auth.password, "action", "::group::"),
    });

    const wrong = keepAction(
      "action wrong password",
      await runAction({ ...inputs, password: WRONG }, { workspace, env: { RUNNER_DEBUG: "1" } }),
    );
    expect(wrong.code).not.toBe(0);
    maskChecks.push({
      label: "action: wrong password",
      ...maskedBeforeUse(wrong.stdout, WRONG, "action", "::group::"),
    });
  });

  it("the task: a Docker registry service connection and the password input, set secret before use", async () => {
    const subject = `${auth.host}/${uniqueName("secret-scan-task")}:v1`;
    await pushImage(subject, workspace, ["-u", auth.username, "-p", auth.password]);
    const connection = {
      id: "5f2b0d4e-3333-4c3a-9d3e-0123456789ab",
      url: `http://${auth.host}`,
      scheme: "UsernamePassword",
      parameters: {
        registry: `http://${auth.host}`,
        username: auth.username,
        password: auth.password,
        email: "",
      },
    };
    const inputs = {
      subject,
      sbom: "sbom/net-monitor.spdx.json",
      plainHttp: "true",
      dockerRegistryServiceConnection: connection.id,
    };
    // system.debug on: task-lib's own debug lines are in the log too
    const debug = { SYSTEM_DEBUG: "true" };
    const run = keepTask(
      "task Docker connection",
      await runTask(inputs, { workspace, endpoints: [connection], env: debug }),
    );
    expect(run.result).toBe("Succeeded");
    maskChecks.push({
      label: "task: connection password",
      ...maskedBeforeUse(run.stdout, auth.password, "task", "##[group]"),
    });

    const wrongConnection = { ...connection, parameters: { ...connection.parameters, password: WRONG } };
    const wrong = keepTask(
      "task Docker connection, wrong password",
      await runTask(inputs, { workspace, endpoints: [wrongConnection], env: debug }),
    );
    expect(wrong.result).toBe("Failed");
    maskChecks.push({
      label: "task: wrong connection password",
      ...maskedBeforeUse(wrong.stdout, WRONG, "task", "##[group]"),
    });

    const viaInputs = keepTask(
      "task password input",
      await runTask(
        {
          subject,
          sbom: "sbom/net-monitor.spdx.json",
          plainHttp: "true",
          username: auth.username,
          password: auth.password,
        },
        { workspace, env: debug },
      ),
    );
    expect(viaInputs.result).toBe("Succeeded");
    maskChecks.push({
      label: "task: password input",
      ...maskedBeforeUse(viaInputs.stdout, auth.password, "task", "##[group]"),
    });
  });

  it("Entra ID: bearer tokens from the token-auth rig through the CLI (--verbose), the action and the task", async () => {
    const azure = [
      "--plain-http",
      "--azure-authority-host",
      rig.entra.base,
      "--azure-registry",
      rig.acr.host,
      "--azure-tenant-id",
      rig.tenantId,
    ];
    const image = `${rig.acr.host}/secret-scan/app:v1`;
    const secretEnv = rig.env({ AZURE_CLIENT_SECRET: rig.apps.secret.secret });
    const pushed = await cli(
      "cli push (client secret)",
      ["push", image, "image.txt", ...azure, "--azure-client-id", rig.apps.secret.clientId],
      { env: secretEnv },
    );
    expect(pushed.code).toBe(0);
    const oidcEnv = rig.env({
      ACTIONS_ID_TOKEN_REQUEST_URL: rig.github.requestUrl,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: rig.github.requestToken,
    });
    const attached = await cli(
      "cli attach (GitHub OIDC)",
      [
        "attach",
        image,
        "--artifact-type",
        SIG,
        "sbom.sig",
        ...azure,
        "--azure-client-id",
        rig.apps.github.clientId,
      ],
      { env: oidcEnv },
    );
    expect(attached.code).toBe(0);
    const discovered = await cli(
      "cli discover (client secret)",
      ["discover", image, ...azure, "--azure-client-id", rig.apps.secret.clientId],
      { env: secretEnv },
    );
    expect(discovered.code).toBe(0);
    const refused = await cli(
      "cli push, wrong client secret",
      ["push", image, "image.txt", ...azure, "--azure-client-id", rig.apps.secret.clientId],
      { env: rig.env({ AZURE_CLIENT_SECRET: WRONG }) },
    );
    expect(refused.code).not.toBe(0);

    const hostEnv = {
      NODE_EXTRA_CA_CERTS: rig.pki.caFile,
      DOCKER_CONFIG: join(rig.dir, "scan-docker"),
      RUNNER_DEBUG: "1",
    };
    await mkdir(hostEnv.DOCKER_CONFIG, { recursive: true });
    const action = keepAction(
      "action Entra (GitHub OIDC)",
      await runAction(
        {
          subject: image,
          sbom: "sbom/net-monitor.spdx.json",
          "plain-http": "true",
          "azure-client-id": rig.apps.github.clientId,
          "azure-tenant-id": rig.tenantId,
          "azure-registry": rig.acr.host,
        },
        {
          workspace,
          env: {
            ...hostEnv,
            AZURE_AUTHORITY_HOST: rig.entra.base,
            ACTIONS_ID_TOKEN_REQUEST_URL: rig.github.requestUrl,
            ACTIONS_ID_TOKEN_REQUEST_TOKEN: rig.github.requestToken,
          },
        },
      ),
    );
    expect(action.code).toBe(0);
    maskChecks.push({
      label: "action: ID-token request token",
      ...maskedBeforeUse(action.stdout, rig.github.requestToken, "action", "::group::"),
    });

    const id = "0c1a6e0f-4444-4c3a-9d3e-0123456789ab";
    const task = keepTask(
      "task AzureRM (client secret)",
      await runTask(
        {
          subject: image,
          scanResults: "trivy.sarif",
          plainHttp: "true",
          azureSubscription: id,
          azureRegistry: rig.acr.host,
        },
        {
          workspace,
          endpoints: [rig.servicePrincipalConnection(id)],
          env: {
            ...hostEnv,
            SYSTEM_DEBUG: "true",
            [`ENDPOINT_DATA_${id}_ENVIRONMENTAUTHORITYURL`]: rig.entra.base,
          },
        },
      ),
    );
    expect(task.result).toBe("Succeeded");
    maskChecks.push({
      label: "task: service principal key",
      ...maskedBeforeUse(task.stdout, rig.apps.secret.secret, "task", "##[group]"),
    });
  });

  it("the scanner finds a planted secret in every form it looks for", () => {
    const planted: KnownSecret = { label: "planted", value: "pl4nted~secret/value", username: "me" };
    const b64 = (t: string) => Buffer.from(t).toString("base64");
    const texts = [
      "as is: pl4nted~secret/value",
      `base64: ${b64("pl4nted~secret/value")}`,
      `url: ${encodeURIComponent("pl4nted~secret/value")}`,
      `header: Basic ${b64("me:pl4nted~secret/value")}`,
      `token: ${Buffer.from('{"alg":"RS256"}').toString("base64url")}.${Buffer.from('{"sub":"x"}').toString("base64url")}.sig`,
      "authorization: Bearer abcdefgh12345678",
    ];
    const findings = scanForSecrets(
      texts.map((text, i) => ({ label: `planted ${i}`, text })),
      [planted],
    );
    expect(new Set(findings.map((f) => f.output)).size).toBe(texts.length);
    // masking commands are consumed by the host: not a finding
    expect(
      scanForSecrets([{ label: "mask", text: "::add-mask::pl4nted~secret/value\n" }], [planted]),
    ).toEqual([]);
  });

  it("finds no secret anywhere, and every secret was masked before use", () => {
    const known = secrets();
    // the scan looks at something: the traces are there, the tokens were issued
    expect(outputs.length).toBeGreaterThanOrEqual(40);
    // (the --verbose trace prints each request and answer line; headers are not printed)
    const traceLines = outputs.reduce((n, o) => n + (o.text.match(/^[<>] [A-Z0-9]+ /gm)?.length ?? 0), 0);
    expect(traceLines).toBeGreaterThan(50);
    expect(outputs.some((o) => o.text.includes("/oauth2/"))).toBe(true);
    expect(rig.acr.issued.length).toBeGreaterThan(0);
    expect(rig.github.issued.length).toBeGreaterThan(0);
    const findings = scanForSecrets(outputs, known);
    const unmasked = maskChecks.filter((m) => !m.masked || !m.before);
    recordFigure({
      name: "secret-scan",
      title: "Secrets in logs, summaries and outputs",
      issueItem: 8,
      testFile: testFileOf(__filename),
      parameters: {
        "outputs scanned": outputs.length,
        "bytes scanned": outputs.reduce((n, o) => n + o.text.length, 0),
        "verbose trace lines": traceLines,
        "known secrets": known.length,
        "forms per secret": "as is, base64, base64url, URL-encoded, JSON-escaped, Basic user:secret",
        findings: findings.length,
      },
      scenarios: [
        {
          scenario:
            "outputs (stdout, stderr, summary, outputs) with no secret, no JWT, no Authorization value",
          runs: outputs.length,
          passed: outputs.length - new Set(findings.map((f) => f.output)).size,
        },
        {
          scenario:
            "secrets masked (::add-mask:: / ##vso[task.setsecret]) before the step's first registry work",
          runs: maskChecks.length,
          passed: maskChecks.length - unmasked.length,
        },
      ],
    });
    expect(findings).toEqual([]);
    expect(unmasked).toEqual([]);
  });
});
