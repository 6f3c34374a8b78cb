// The Entra ID token never reaches a host that is not ACR, whichever front end and command: the
// bundled CLI (attach, discover, copy -r, login), the Action (GitHub OIDC) and the task (AzureRM
// service connection), each signing in to the ACR stand-in in the same run. Two traps record all
// they receive: one not named for Entra ID that answers exactly like ACR (`Bearer realm=<itself>/oauth2/token`),
// and one named with --azure-registry whose challenge sends clients to a token service elsewhere.
import { join } from "node:path";
import { mkdir } from "node:fs/promises";
import { ocigraph, type CliRun } from "../helpers/cli";
import { rigAvailable } from "../rig/env";
import { startTokenAuthRig, type TokenAuthRig } from "../rig/token-auth";
import { RecordingRegistry } from "../rig/token-auth/recorder";
import { runAction, runTask } from "./runner";
import { makeWorkspace } from "./workspace";

const describeRig = rigAvailable() ? describe : describe.skip;
const ID = "5b2f7c1e-1111-4c3a-9d3e-0123456789ab";

describeRig("the Entra ID token never reaches a non-ACR host", () => {
  let rig: TokenAuthRig;
  let workspace: string;
  let dockerConfig: string;
  /** Looks exactly like ACR, but is no ACR login server and is not named. */
  let lookalike: RecordingRegistry;
  /** Named with --azure-registry, but its challenge names another token service. */
  let elsewhere: RecordingRegistry;

  const cliEntra = (...extra: string[]): string[] => ["--plain-http", ...rig.secretSignIn(), ...extra];
  const cli = (args: string[]): Promise<CliRun> =>
    ocigraph(args, { cwd: workspace, env: rig.env({ AZURE_CLIENT_SECRET: rig.apps.secret.secret }) });
  const hostEnv = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
    NODE_EXTRA_CA_CERTS: rig.pki.caFile,
    DOCKER_CONFIG: dockerConfig,
    ...extra,
  });
  /** Every token the rig issued: Entra ID access tokens, GitHub ID tokens, ACR refresh and access tokens. */
  const tokens = (): string[] => [...rig.entra.issued, ...rig.github.issued, ...rig.acr.issued];

  /** Runs `work`, then checks what the trap got meanwhile: requests (unless none are expected), no token. */
  async function trapped(trap: RecordingRegistry, work: () => Promise<unknown>, expectRequests = true) {
    const before = trap.requests.length;
    await work();
    const got = trap.requests.slice(before);
    if (expectRequests) expect(got.length).toBeGreaterThan(0);
    else expect(got).toEqual([]);
    expect(
      got
        .filter((r) => r.path.startsWith("/oauth2/exchange"))
        .map((r) => `${trap.host} ${r.method} ${r.path}`),
    ).toEqual([]);
    expect(trap.received(tokens())).toEqual([]);
  }

  beforeAll(async () => {
    rig = await startTokenAuthRig();
    workspace = await makeWorkspace();
    dockerConfig = join(rig.dir, "never-docker");
    await mkdir(dockerConfig, { recursive: true });
    lookalike = new RecordingRegistry({ acrLike: true });
    elsewhere = new RecordingRegistry({ acrLike: true, realm: `http://${rig.acr.host}/oauth2/token` });
    await Promise.all([lookalike.start(), elsewhere.start()]);
    const pushed = await cli(["push", `${rig.acr.host}/app:v1`, "image.txt", ...cliEntra()]);
    if (pushed.code !== 0) throw new Error(pushed.stderr);
  });

  afterAll(async () => {
    await Promise.allSettled([lookalike?.stop(), elsewhere?.stop()]);
    await rig?.stop();
  });

  describe("the CLI", () => {
    test.each([
      ["attach", (host: string) => ["attach", `${host}/app:v1`, "--artifact-type", "a/b", "image.txt"]],
      ["discover", (host: string) => ["discover", `${host}/app:v1`]],
    ])("%s on the look-alike and on the named host with a foreign realm", async (_verb, args) => {
      for (const trap of [lookalike, elsewhere]) {
        await trapped(trap, async () => {
          const result = await cli([...args(trap.host), ...cliEntra("--azure-registry", elsewhere.host)]);
          expect(result.code).toBe(1);
        });
      }
    });

    test("copy -r from ACR: the source signs in with Entra ID, the trap gets nothing", async () => {
      const exchanges = rig.acr.exchanges;
      await trapped(lookalike, async () => {
        const result = await cli([
          "copy",
          "-r",
          `${rig.acr.host}/app:v1`,
          `${lookalike.host}/app:v1`,
          ...cliEntra(),
        ]);
        expect(result.code).toBe(1);
        expect(result.stderr).toContain(lookalike.host);
      });
      expect(rig.acr.exchanges - exchanges).toBe(1);
    });

    test("login refuses Entra ID for the look-alike before sending anything", async () => {
      await trapped(
        lookalike,
        async () => {
          const result = await cli(["login", lookalike.host, ...cliEntra()]);
          expect(result.code).toBe(1);
          expect(result.stderr).toMatch(/is not an Azure Container Registry login server/);
        },
        false,
      );
    });

    test("login to the named host with a foreign realm signs nothing in", async () => {
      await trapped(elsewhere, async () => {
        const result = await cli(["login", elsewhere.host, ...cliEntra("--azure-registry", elsewhere.host)]);
        expect(result.code).toBe(1);
      });
    });
  });

  describe("the Action (GitHub OIDC)", () => {
    const inputs = (subject: string, extra: Record<string, string> = {}): Record<string, string> => ({
      subject,
      sbom: "sbom/net-monitor.spdx.json",
      "plain-http": "true",
      "azure-client-id": rig.apps.github.clientId,
      "azure-tenant-id": rig.tenantId,
      "azure-registry": rig.acr.host,
      ...extra,
    });
    const env = (): NodeJS.ProcessEnv =>
      hostEnv({
        AZURE_AUTHORITY_HOST: rig.entra.base,
        ACTIONS_ID_TOKEN_REQUEST_URL: rig.github.requestUrl,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: rig.github.requestToken,
      });

    test("attach and discover on the look-alike", async () => {
      await trapped(lookalike, async () => {
        const run = await runAction(inputs(`${lookalike.host}/app:v1`), { workspace, env: env() });
        expect(run.code).not.toBe(0);
      });
    });

    test("promote (copy -r) from ACR to the look-alike", async () => {
      const exchanges = rig.acr.exchanges;
      await trapped(lookalike, async () => {
        const run = await runAction(
          inputs(`${rig.acr.host}/app:v1`, { "promote-to": `${lookalike.host}/app:v1` }),
          {
            workspace,
            env: env(),
          },
        );
        expect(run.code).not.toBe(0);
        expect(run.stdout).toMatch(/Attached application\/spdx\+json/);
      });
      expect(rig.acr.exchanges - exchanges).toBe(1);
    });
  });

  describe("the task (AzureRM service connection)", () => {
    const task = (extra: Record<string, string>) =>
      runTask(
        {
          sbom: "sbom/net-monitor.spdx.json",
          plainHttp: "true",
          azureSubscription: ID,
          azureRegistry: rig.acr.host,
          ...extra,
        },
        {
          workspace,
          endpoints: [rig.servicePrincipalConnection(ID)],
          env: hostEnv({ [`ENDPOINT_DATA_${ID}_ENVIRONMENTAUTHORITYURL`]: `${rig.entra.base}/` }),
        },
      );

    test("attach and discover on the look-alike", async () => {
      await trapped(lookalike, async () => {
        const run = await task({ subject: `${lookalike.host}/app:v1` });
        expect(run.result).toBe("Failed");
      });
    });

    test("promote (copy -r) from ACR to the look-alike", async () => {
      const exchanges = rig.acr.exchanges;
      await trapped(lookalike, async () => {
        const run = await task({ subject: `${rig.acr.host}/app:v1`, promoteTo: `${lookalike.host}/app:v1` });
        expect(run.result).toBe("Failed");
        expect(run.stdout).toMatch(/Attached application\/spdx\+json/);
      });
      expect(rig.acr.exchanges - exchanges).toBe(1);
    });
  });
});
