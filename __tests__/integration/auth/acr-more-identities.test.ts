// More identity kinds to an authenticated attach through the bundled front ends: a managed identity
// (App Service style IDENTITY_ENDPOINT/IDENTITY_HEADER endpoint on loopback) and an Azure CLI session
// (a fake `az` first on PATH) through the CLI, both handing out access tokens signed like the Entra
// stand-in's; and Azure Pipelines workload identity federation through dist/task.js, whose OIDC token
// (from SYSTEM_OIDCREQUESTURI with System.AccessToken) the Entra stand-in accepts as an assertion.
import { generateKeyPairSync, randomBytes, randomUUID } from "node:crypto";
import { chmod, mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";
import { runTask, type TaskRun } from "../../e2e/runner";
import { makeWorkspace } from "../../e2e/workspace";
import { ocigraph, type CliRun } from "../../helpers/cli";
import { rigAvailable } from "../../rig/env";
import { startTokenAuthRig, type TokenAuthRig } from "../../rig/token-auth";
import { ACR_AUDIENCE } from "../../rig/token-auth/entra";
import { close, json, listen, readBody } from "../../rig/token-auth/http";
import { nowSeconds, signJwt } from "../../rig/token-auth/jwt";

const describeRig = rigAvailable() ? describe : describe.skip;

describeRig(
  "ACR sign-in with a managed identity, an Azure CLI session and Azure Pipelines federation",
  () => {
    let rig: TokenAuthRig;
    let files: string;
    const runs: (CliRun | TaskRun)[] = [];
    const issued: string[] = [];

    beforeAll(async () => {
      rig = await startTokenAuthRig();
      files = await mkdtemp(path.join(tmpdir(), "ocigraph-acr-more-"));
      await writeFile(path.join(files, "image.txt"), "an image\n");
      await writeFile(path.join(files, "sbom.json"), '{"spdxVersion":"SPDX-2.3"}\n');
    });

    afterAll(async () => {
      await rig?.stop();
    });

    /** A new identity with AcrPush on the registry, and an Entra-signed ACR access token for it. */
    function identity(): { objectId: string; clientId: string; token: string } {
      const objectId = randomUUID();
      const clientId = randomUUID();
      rig.acr.roles.set(objectId, ["AcrPush", "AcrDelete"]);
      const token = rig.entra.accessToken(rig.tenantId, objectId, clientId);
      issued.push(token);
      return { objectId, clientId, token };
    }

    async function cli(args: string[], env: NodeJS.ProcessEnv): Promise<CliRun> {
      const result = await ocigraph(args, { cwd: files, env: rig.env(env) });
      runs.push(result);
      return result;
    }

    async function pushAndAttach(repo: string, flags: string[], env: NodeJS.ProcessEnv): Promise<void> {
      const image = `${rig.acr.host}/${repo}:v1`;
      let before = rig.acr.exchanges;
      // The stand-in is on loopback, not *.azurecr.io: it must be named to get the Entra token.
      const acr = ["--azure-registry", rig.acr.host];
      const pushed = await cli(
        ["push", image, "image.txt", "--plain-http", "--verbose", ...acr, ...flags],
        env,
      );
      expect(pushed.stderr).not.toMatch(/^Error/m);
      expect(pushed.code).toBe(0);
      expect(rig.acr.exchanges - before).toBe(1);
      before = rig.acr.exchanges;
      const attached = await cli(
        [
          "attach",
          image,
          "--artifact-type",
          "application/spdx+json",
          "sbom.json:application/spdx+json",
          "--plain-http",
          "--verbose",
          ...acr,
          ...flags,
        ],
        env,
      );
      expect(attached.stderr).not.toMatch(/^Error/m);
      expect(attached.code).toBe(0);
      expect(attached.stdout).toContain("Attached to");
      expect(rig.acr.exchanges - before).toBe(1);
    }

    describe("managed identity (App Service endpoint)", () => {
      let server: Server;
      let endpoint = "";
      const header = `mi-header-${randomBytes(12).toString("hex")}`;
      const requests: URL[] = [];
      let token = "";

      beforeAll(async () => {
        token = identity().token;
        issued.push(header);
        server = createServer((req, res) => {
          const url = new URL(req.url ?? "/", "http://x");
          requests.push(url);
          if (req.headers["x-identity-header"] !== header) {
            return json(res, 401, { statusCode: 401, message: "X-IDENTITY-HEADER is missing or wrong" });
          }
          if (url.searchParams.get("resource") !== ACR_AUDIENCE) {
            return json(res, 400, { statusCode: 400, message: `unknown resource ${url.search}` });
          }
          json(res, 200, {
            access_token: token,
            expires_on: String(nowSeconds() + 3600),
            resource: ACR_AUDIENCE,
            token_type: "Bearer",
          });
        });
        endpoint = `http://127.0.0.1:${await listen(server)}/msi/token`;
      });

      afterAll(async () => {
        if (server) await close(server);
      });

      it("pushes and attaches with --azure-credential managed-identity", async () => {
        await pushAndAttach("managed/app", ["--azure-credential", "managed-identity"], {
          IDENTITY_ENDPOINT: endpoint,
          IDENTITY_HEADER: header,
        });
        expect(requests.length).toBeGreaterThanOrEqual(2);
        expect(requests[0]?.pathname).toBe("/msi/token");
        expect(requests[0]?.searchParams.get("api-version")).toBe("2019-08-01");
      });
    });

    describe("Azure CLI session", () => {
      let bin = "";
      let argsLog = "";

      beforeAll(async () => {
        const { token } = identity();
        bin = path.join(rig.dir, "fake-az");
        await mkdir(bin, { recursive: true });
        argsLog = path.join(bin, "args.log");
        const response = path.join(bin, "response.json");
        const exp = nowSeconds() + 3600;
        await writeFile(
          response,
          JSON.stringify({
            accessToken: token,
            expiresOn: new Date(exp * 1000).toISOString().replace("T", " ").slice(0, 19),
            expires_on: exp,
            subscription: randomUUID(),
            tenant: rig.tenantId,
            tokenType: "Bearer",
          }),
        );
        const az = path.join(bin, "az");
        await writeFile(az, `#!/bin/sh\necho "$@" >> '${argsLog}'\ncat '${response}'\n`);
        await chmod(az, 0o755);
      });

      it("pushes and attaches with --azure-credential azure-cli", async () => {
        await pushAndAttach(
          "cli/app",
          [
            "--azure-credential",
            "azure-cli",
            "--azure-tenant-id",
            rig.tenantId,
            "--azure-registry",
            rig.acr.host,
          ],
          {
            PATH: `${bin}${path.delimiter}${process.env["PATH"] ?? ""}`,
          },
        );
        const calls = (await readFile(argsLog, "utf8")).trim().split("\n");
        expect(calls.length).toBeGreaterThanOrEqual(2);
        expect(calls[0]).toBe(
          `account get-access-token --output json --resource ${ACR_AUDIENCE} --tenant ${rig.tenantId}`,
        );
      });
    });

    describe("Azure Pipelines workload identity federation (dist/task.js)", () => {
      const ID = "5e7d2c1a-4444-4b2f-8e1d-0123456789ab";
      const systemAccessToken = `azp-${randomBytes(18).toString("hex")}`;
      const issuer = {
        url: `https://vstoken.dev.azure.com/${randomUUID()}`,
        key: generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey,
      };
      const subject = "sc://example/Net Monitor/acr-wif";
      const oidcRequests: { url: URL; auth: string | undefined; redirect: string | undefined }[] = [];
      const oidcTokens: string[] = [];
      let server: import("node:https").Server;
      let oidcRequestUri = "";
      let clientId = "";

      beforeAll(async () => {
        clientId = randomUUID();
        const objectId = randomUUID();
        rig.entra.issuers.push(issuer);
        rig.entra.addApp({
          clientId,
          objectId,
          tenantId: rig.tenantId,
          federated: [{ issuer: issuer.url, subject, audience: "api://AzureADTokenExchange" }],
        });
        rig.acr.roles.set(objectId, ["AcrPush", "AcrDelete"]);
        issued.push(systemAccessToken);
        // the Azure DevOps OIDC endpoint: POST {SYSTEM_OIDCREQUESTURI}?api-version=7.1&serviceConnectionId=...
        server = createHttpsServer(
          { key: rig.pki.server.keyPem, cert: rig.pki.server.certPem },
          (req, res) => {
            void readBody(req).then(() => {
              const url = new URL(req.url ?? "/", "https://x");
              oidcRequests.push({
                url,
                auth: req.headers.authorization,
                redirect: req.headers["x-tfs-fedauthredirect"] as string | undefined,
              });
              if (req.method !== "POST" || req.headers.authorization !== `Bearer ${systemAccessToken}`) {
                return json(res, 401, { message: "TF400813: The user is not authorized." });
              }
              if (url.searchParams.get("serviceConnectionId") !== ID) {
                return json(res, 404, { message: "service connection not found" });
              }
              const now = nowSeconds();
              const oidcToken = signJwt(
                {
                  iss: issuer.url,
                  sub: subject,
                  aud: "api://AzureADTokenExchange",
                  iat: now - 5,
                  nbf: now - 5,
                  exp: now + 600,
                },
                issuer.key,
                { kid: "azp" },
              );
              oidcTokens.push(oidcToken);
              issued.push(oidcToken);
              json(res, 200, { oidcToken });
            });
          },
        );
        oidcRequestUri = `https://127.0.0.1:${await listen(server as unknown as Server)}/example/_apis/distributedtask/hubs/build/plans/p1/jobs/j1/oidctoken`;
      });

      afterAll(async () => {
        if (server) await close(server as unknown as Server);
      });

      it("attaches with a WorkloadIdentityFederation service connection", async () => {
        // the subject, pushed by the CLI with another identity
        const image = `${rig.acr.host}/pipelines/app:v1`;
        const pushed = await cli(
          [
            "push",
            image,
            "image.txt",
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
          { AZURE_CLIENT_SECRET: rig.apps.secret.secret },
        );
        expect(pushed.code).toBe(0);

        const workspace = await makeWorkspace();
        const before = rig.acr.exchanges;
        const run = await runTask(
          {
            subject: image,
            sbom: "sbom/net-monitor.spdx.json",
            plainHttp: "true",
            azureSubscription: ID,
            azureRegistry: rig.acr.host,
          },
          {
            workspace,
            endpoints: [
              {
                id: ID,
                url: "https://management.azure.com/",
                scheme: "WorkloadIdentityFederation",
                parameters: { tenantid: rig.tenantId, serviceprincipalid: clientId },
              },
            ],
            env: {
              NODE_EXTRA_CA_CERTS: rig.pki.caFile,
              DOCKER_CONFIG: path.join(rig.dir, "task-docker"),
              // the agent hands secret variables to tasks as SECRET_<NAME>
              SECRET_SYSTEM_ACCESSTOKEN: systemAccessToken,
              SYSTEM_OIDCREQUESTURI: oidcRequestUri,
              [`ENDPOINT_DATA_${ID}_ENVIRONMENTAUTHORITYURL`]: `${rig.entra.base}/`,
            },
          },
        );
        runs.push(run);
        expect(run.stderr).toBe("");
        expect([run.result, run.message]).toEqual([
          "Succeeded",
          `${image}: 1 artifact(s) attached or reused`,
        ]);
        expect(run.stdout).toContain("Using the AzureRM service connection (WorkloadIdentityFederation)");
        expect(rig.acr.exchanges - before).toBe(1);
        expect(oidcRequests.length).toBeGreaterThanOrEqual(1);
        expect(oidcRequests[0]?.url.searchParams.get("api-version")).toBe("7.1");
        expect(oidcRequests[0]?.redirect).toBe("Suppress");
      });
    });

    afterAll(() => {
      // no access token, refresh token or identity header in any output (all runs were --verbose)
      const secrets = [...issued, ...rig.acr.issued];
      expect(runs.length).toBe(6);
      for (const run of runs) {
        // The task tells the agent its secrets to mask; the agent does not show those lines. Nor does it
        // show System.AccessToken, a secret variable of its own, which azure-pipelines-task-lib's
        // getVariable echoes in a debug line.
        const stdout = run.stdout
          .split("\n")
          .filter(
            (line) =>
              !line.startsWith("##vso[task.setsecret]") &&
              !line.startsWith("##vso[task.debug]System.AccessToken="),
          )
          .join("\n");
        for (const secret of secrets) {
          expect(stdout).not.toContain(secret);
          expect(run.stderr).not.toContain(secret);
        }
        expect(`${stdout}${run.stderr}`).not.toMatch(/eyJ[\w-]{10,}\.eyJ/);
      }
    });
  },
);
