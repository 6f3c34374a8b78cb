// The bundled front ends signing in to Azure Container Registry through Entra ID, against the
// token-auth rig (an Entra ID stand-in over HTTPS, an ACR stand-in with /oauth2/exchange in front
// of a CNCF distribution that accepts only its bearer tokens, a GitHub OIDC stand-in):
//   - dist/action.js with `azure-client-id` / `azure-tenant-id` in a job with `id-token: write`
//     (ACTIONS_ID_TOKEN_REQUEST_URL/_TOKEN), the authority host from AZURE_AUTHORITY_HOST as
//     @azure/identity reads it;
//   - dist/task.js with an AzureRM service connection (`azureSubscription`), a service principal
//     with a client secret, its cloud's authority from the endpoint's `environmentAuthorityUrl`.
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { ocigraph } from "../helpers/cli";
import { rigAvailable } from "../rig/env";
import { startTokenAuthRig, type TokenAuthRig } from "../rig/token-auth";
import { runAction, runTask, type ActionRun, type ServiceConnection, type TaskRun } from "./runner";
import { makeWorkspace, pushAcrSubject, typesOf, type GraphNode } from "./workspace";

const describeRig = rigAvailable() ? describe : describe.skip;
const SBOM = "application/spdx+json";
const SARIF = "application/sarif+json";
const JWT = /eyJ[\w-]{10,}\.eyJ[\w-]{10,}/;

describeRig("the action and the task sign in to ACR through Entra ID", () => {
  let rig: TokenAuthRig;
  let workspace: string;
  let dockerConfig: string;

  const pushSubject = (repo: string): Promise<string> => pushAcrSubject(rig, repo, workspace);

  /** What the runner and the agent get from outside: the test CA and an empty docker config. */
  const hostEnv = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
    NODE_EXTRA_CA_CERTS: rig.pki.caFile,
    DOCKER_CONFIG: dockerConfig,
    ...extra,
  });

  /** Every secret and token the rig knows of, none of which may appear in a log. */
  const secrets = (): string[] => [
    rig.apps.secret.secret,
    rig.github.requestToken,
    ...rig.github.issued,
    ...rig.acr.issued,
  ];

  /** Lines a host shows: masking commands are consumed by the runner/agent, never printed. */
  const shown = (text: string): string =>
    text
      .split("\n")
      .filter((l) => !l.startsWith("::add-mask::") && !l.startsWith("##vso[task.setsecret]"))
      .join("\n");

  beforeAll(async () => {
    rig = await startTokenAuthRig();
    workspace = await makeWorkspace();
    dockerConfig = join(rig.dir, "frontends-docker");
    await mkdir(dockerConfig, { recursive: true });
  });

  afterAll(async () => {
    await rig?.stop();
  });

  describe("dist/action.js with azure-client-id and azure-tenant-id (GitHub OIDC)", () => {
    let subjectDigest: string;
    let subject: string;
    let run: ActionRun;
    let exchangesBefore: number;
    let idTokensBefore: number;

    beforeAll(async () => {
      subjectDigest = await pushSubject("action/net-monitor");
      subject = `${rig.acr.host}/action/net-monitor:v1`;
      exchangesBefore = rig.acr.exchanges;
      idTokensBefore = rig.github.issued.length;
      run = await runAction(
        {
          subject,
          sbom: "sbom/net-monitor.spdx.json",
          "scan-results": "trivy.sarif",
          require: SBOM,
          "plain-http": "true",
          "azure-client-id": rig.apps.github.clientId,
          "azure-tenant-id": rig.tenantId,
          "azure-registry": rig.acr.host,
        },
        {
          workspace,
          env: hostEnv({
            AZURE_AUTHORITY_HOST: rig.entra.base,
            ACTIONS_ID_TOKEN_REQUEST_URL: rig.github.requestUrl,
            ACTIONS_ID_TOKEN_REQUEST_TOKEN: rig.github.requestToken,
          }),
        },
      );
    });

    test("attaches through the ACR stand-in and sets its outputs", () => {
      expect(run.stdout).not.toMatch(/^::error::/m);
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      expect(run.outputs["subject-digest"]).toBe(subjectDigest);
      expect(run.outputs["sbom-digest"]).toMatch(/^sha256:[a-f0-9]{64}$/);
      expect(run.outputs["scan-results-digest"]).toMatch(/^sha256:[a-f0-9]{64}$/);
      expect(run.outputs["gate"]).toBe("passed");
      const graph = JSON.parse(run.outputs["graph"] as string) as GraphNode;
      expect(graph.digest).toBe(subjectDigest);
      expect(typesOf(graph)).toEqual([SARIF, SBOM]);
    });

    test("signed in with the job's GitHub ID token, exchanged once for an ACR refresh token", () => {
      expect(rig.github.issued.length - idTokensBefore).toBe(1);
      expect(rig.acr.exchanges - exchangesBefore).toBe(1);
    });

    test("masks the ID-token request token and every token it gets, before using them", () => {
      const masks = run.stdout
        .split("\n")
        .filter((l) => l.startsWith("::add-mask::"))
        .map((l) => l.slice("::add-mask::".length));
      expect(masks).toContain(rig.github.requestToken);
      const firstUse = run.stdout.indexOf("::group::");
      expect(run.stdout.indexOf(`::add-mask::${rig.github.requestToken}`)).toBeLessThan(firstUse);
      // the ID token and the ACR refresh token of this run are masked as they become known
      const idToken = rig.github.issued[rig.github.issued.length - 1] as string;
      expect(masks).toContain(idToken);
      expect(masks.some((m) => rig.acr.issued.includes(m))).toBe(true);
    });

    test("no secret or token in the log, the outputs or the summary", () => {
      for (const text of [shown(run.stdout), run.stderr, run.summary, JSON.stringify(run.outputs)]) {
        for (const secret of secrets()) expect(text).not.toContain(secret);
        expect(text).not.toMatch(JWT);
      }
    });

    test("the graph is in the registry behind the ACR stand-in", async () => {
      const tags = await ocigraph(
        [
          "discover",
          subject,
          "--format",
          "json",
          "--plain-http",
          "--azure-authority-host",
          rig.entra.base,
          "--azure-registry",
          rig.acr.host,
          "--azure-tenant-id",
          rig.tenantId,
          "--azure-client-id",
          rig.apps.secret.clientId,
        ],
        { cwd: workspace, env: rig.env({ AZURE_CLIENT_SECRET: rig.apps.secret.secret }) },
      );
      expect(tags.code).toBe(0);
      expect(typesOf(JSON.parse(tags.stdout) as GraphNode)).toEqual([SARIF, SBOM]);
    });

    test("without id-token: write the step fails saying so", async () => {
      const denied = await runAction(
        {
          subject,
          sbom: "sbom/net-monitor.spdx.json",
          "plain-http": "true",
          "azure-credential": "github-oidc",
          "azure-client-id": rig.apps.github.clientId,
          "azure-tenant-id": rig.tenantId,
          "azure-registry": rig.acr.host,
        },
        { workspace, env: hostEnv({ AZURE_AUTHORITY_HOST: rig.entra.base }) },
      );
      expect(denied.code).not.toBe(0);
      const errors = denied.stdout.split("\n").filter((l) => l.startsWith("::error::"));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/ACTIONS_ID_TOKEN_REQUEST_URL is not set.*id-token: write/);
    });
  });

  describe("dist/task.js with an AzureRM service connection (service principal, client secret)", () => {
    const ID = "0c1a6e0f-3333-4c3a-9d3e-0123456789ab";
    let subjectDigest: string;
    let subject: string;
    let connection: ServiceConnection;
    let run: TaskRun;
    let exchangesBefore: number;

    beforeAll(async () => {
      subjectDigest = await pushSubject("task/net-monitor");
      subject = `${rig.acr.host}/task/net-monitor:v1`;
      connection = rig.servicePrincipalConnection(ID);
      exchangesBefore = rig.acr.exchanges;
      run = await runTask(
        {
          subject,
          sbom: "sbom/net-monitor.spdx.json",
          scanResults: "trivy.sarif",
          require: SBOM,
          plainHttp: "true",
          azureSubscription: ID,
          azureRegistry: rig.acr.host,
        },
        {
          workspace,
          endpoints: [connection],
          // the agent sets the endpoint's data: its cloud's authority (here the Entra stand-in)
          env: hostEnv({ [`ENDPOINT_DATA_${ID}_ENVIRONMENTAUTHORITYURL`]: `${rig.entra.base}/` }),
        },
      );
    });

    test("attaches through the ACR stand-in and sets its output variables", () => {
      expect(run.stderr).toBe("");
      expect([run.result, run.message]).toEqual([
        "Succeeded",
        `${subject}: 2 artifact(s) attached or reused`,
      ]);
      expect(run.stdout).toContain("Using the AzureRM service connection (ServicePrincipal)");
      expect(run.variables["SubjectDigest"]).toBe(subjectDigest);
      expect(run.variables["SbomDigest"]).toMatch(/^sha256:[a-f0-9]{64}$/);
      expect(run.variables["Gate"]).toBe("passed");
      expect(typesOf(JSON.parse(run.variables["Graph"] as string) as GraphNode)).toEqual([SARIF, SBOM]);
      expect(rig.acr.exchanges - exchangesBefore).toBe(1);
    });

    test("the service principal key and the tokens are set secret before use", () => {
      expect(run.secrets).toContain(rig.apps.secret.secret);
      const firstUse = run.stdout.indexOf("##[group]");
      expect(run.stdout.indexOf(`##vso[task.setsecret]${rig.apps.secret.secret}`)).toBeGreaterThanOrEqual(0);
      expect(run.stdout.indexOf(`##vso[task.setsecret]${rig.apps.secret.secret}`)).toBeLessThan(firstUse);
      expect(run.secrets.some((s) => rig.acr.issued.includes(s))).toBe(true);
    });

    test("no secret or token in the log, the variables or the summary", () => {
      const variables = JSON.stringify(run.variables);
      for (const text of [shown(run.stdout), run.stderr, run.summary, variables]) {
        for (const secret of secrets()) expect(text).not.toContain(secret);
        expect(text).not.toMatch(JWT);
      }
    });

    test("a wrong key fails the task with Entra's refusal, the key never shown", async () => {
      const wrong = "wr0ng~key-0123456789abcdef";
      const denied = await runTask(
        {
          subject,
          sbom: "sbom/net-monitor.spdx.json",
          plainHttp: "true",
          azureSubscription: ID,
          azureRegistry: rig.acr.host,
        },
        {
          workspace,
          endpoints: [
            { ...connection, parameters: { ...connection.parameters, serviceprincipalkey: wrong } },
          ],
          env: hostEnv({ [`ENDPOINT_DATA_${ID}_ENVIRONMENTAUTHORITYURL`]: `${rig.entra.base}/` }),
        },
      );
      expect(denied.result).toBe("Failed");
      expect(denied.message).toMatch(/Entra ID refused the client secret/);
      expect(denied.secrets).toContain(wrong);
      expect(shown(denied.stdout)).not.toContain(wrong);
    });
  });
});
