// ACR sign-in through Entra ID, end to end: the bundled CLI signs in to the Entra stand-in with each
// identity kind, exchanges the token at the ACR stand-in's /oauth2/exchange, and pushes and attaches to
// a real CNCF distribution that only accepts the resulting bearer tokens.
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { ocigraph, run, type CliRun } from "../../helpers/cli";
import { rigAvailable, testRegistries } from "../../rig/env";
import { startTokenAuthRig, type TokenAuthRig } from "../../rig/token-auth";

const describeRig = rigAvailable() ? describe : describe.skip;

describeRig("ACR sign-in through Entra ID (token-auth distribution)", () => {
  let rig: TokenAuthRig;
  let files: string;
  const runs: CliRun[] = [];

  beforeAll(async () => {
    rig = await startTokenAuthRig();
    files = await mkdtemp(path.join(tmpdir(), "ocigraph-acr-files-"));
    await writeFile(path.join(files, "image.txt"), "an image\n");
    await writeFile(path.join(files, "sbom.json"), '{"spdxVersion":"SPDX-2.3"}\n');
  });

  afterAll(async () => {
    await rig?.stop();
  });

  const azure = (...extra: string[]) => [
    "--plain-http",
    "--verbose",
    "--azure-authority-host",
    rig.entra.base,
    "--azure-registry",
    rig.acr.host,
    "--azure-tenant-id",
    rig.tenantId,
    ...extra,
  ];

  async function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
    const result = await ocigraph(args, { cwd: files, env: rig.env(env) });
    runs.push(result);
    return result;
  }

  async function pushAndAttach(repo: string, flags: string[], env: NodeJS.ProcessEnv = {}): Promise<void> {
    const image = `${rig.acr.host}/${repo}:v1`;
    const before = rig.acr.exchanges;
    const pushed = await cli(["push", image, "image.txt", ...flags], env);
    expect(pushed.stderr).not.toMatch(/^Error/m);
    expect(pushed.code).toBe(0);
    expect(rig.acr.exchanges - before).toBe(1);
    const attached = await cli(
      [
        "attach",
        image,
        "--artifact-type",
        "application/spdx+json",
        "sbom.json:application/spdx+json",
        ...flags,
      ],
      env,
    );
    expect(attached.stderr).not.toMatch(/^Error/m);
    expect(attached.code).toBe(0);
    expect(attached.stdout).toContain("Attached to");
    // one exchange per run, however many requests and token scopes the run needed
    expect(rig.acr.exchanges - before).toBe(2);
    expect(rig.acr.tokenRequests).toBeGreaterThan(2);
  }

  it("client secret (AZURE_CLIENT_SECRET) pushes and attaches", async () => {
    await pushAndAttach("secret/app", azure("--azure-client-id", rig.apps.secret.clientId), {
      AZURE_CLIENT_SECRET: rig.apps.secret.secret,
    });
  });

  it("GitHub Actions OIDC pushes and attaches", async () => {
    await pushAndAttach(
      "github/app",
      azure("--azure-client-id", rig.apps.github.clientId, "--azure-credential", "github-oidc"),
      {
        ACTIONS_ID_TOKEN_REQUEST_URL: rig.github.requestUrl,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: rig.github.requestToken,
      },
    );
  });

  it("picks GitHub OIDC from the environment alone", async () => {
    const result = await cli(["push", `${rig.acr.host}/github/auto:v1`, "image.txt", ...azure()], {
      AZURE_CLIENT_ID: rig.apps.github.clientId,
      ACTIONS_ID_TOKEN_REQUEST_URL: rig.github.requestUrl,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: rig.github.requestToken,
    });
    expect(result.stderr).not.toMatch(/^Error/m);
    expect(result.code).toBe(0);
  });

  it("workload identity token file pushes and attaches", async () => {
    const tokenFile = path.join(rig.dir, "azure-identity-token");
    await writeFile(tokenFile, rig.cluster.token(rig.apps.workload.subject, 600));
    await pushAndAttach("workload/app", azure("--azure-client-id", rig.apps.workload.clientId), {
      AZURE_FEDERATED_TOKEN_FILE: tokenFile,
    });
  });

  it("client certificate pushes and attaches", async () => {
    await pushAndAttach(
      "cert/app",
      azure(
        "--azure-client-id",
        rig.apps.certificate.clientId,
        "--azure-client-certificate",
        rig.pki.client.bundleFile,
      ),
    );
  });

  it("renews access tokens that expire in the middle of a copy", async () => {
    const env = { AZURE_CLIENT_SECRET: rig.apps.secret.secret };
    const flags = azure("--azure-client-id", rig.apps.secret.clientId);
    for (let i = 0; i < 3; i++) {
      await writeFile(path.join(files, `layer-${i}.bin`), Buffer.alloc(256 * 1024, i + 1));
    }
    const source = `${rig.acr.host}/expiry/src:v1`;
    const pushed = await cli(["push", source, "layer-0.bin", "layer-1.bin", "layer-2.bin", ...flags], env);
    expect(pushed.code).toBe(0);
    rig.acr.accessTokenLifetime = 1;
    rig.acr.strictExpiry = true;
    const refusalsBefore = rig.acr.expiredRefusals;
    try {
      // A slow registry: the run outlives several access tokens. Within one registry the blobs
      // are mounted side by side, so the delay has to cover the few sequential steps left.
      rig.acr.proxyDelayMs = 700;
      const copied = await cli(
        ["copy", source, `${rig.acr.host}/expiry/dst:v1`, "--concurrency", "1", ...flags],
        env,
      );
      expect(copied.stderr).not.toMatch(/^Error/m);
      expect(copied.code).toBe(0);
      const tags = await cli(["tags", `${rig.acr.host}/expiry/dst`, ...flags], env);
      expect(tags.stdout.trim()).toBe("v1");
    } finally {
      rig.acr.accessTokenLifetime = 300;
      rig.acr.strictExpiry = false;
      rig.acr.proxyDelayMs = 0;
    }
    expect(rig.acr.expiredRefusals).toBeGreaterThan(refusalsBefore);
  });

  it("login saves the ACR refresh token for docker, oras and later runs; logout removes it", async () => {
    const config = path.join(rig.dir, "login", "config.json");
    const login = await cli(
      [
        "login",
        rig.acr.host,
        "--registry-config",
        config,
        ...azure("--azure-client-id", rig.apps.secret.clientId),
      ],
      { AZURE_CLIENT_SECRET: rig.apps.secret.secret },
    );
    expect(login.stderr).not.toMatch(/^Error/m);
    expect(login.code).toBe(0);
    const saved = JSON.parse(await readFile(config, "utf8")) as {
      auths: Record<string, { auth?: string; identitytoken?: string }>;
    };
    const entry = saved.auths[rig.acr.host];
    expect(Buffer.from(entry?.auth ?? "", "base64").toString()).toBe("00000000-0000-0000-0000-000000000000:");
    expect(entry?.identitytoken).toMatch(/^ey/);

    // a later run with no Azure flags signs in from the docker config
    const exchanges = rig.acr.exchanges;
    const pushed = await cli([
      "push",
      `${rig.acr.host}/login/app:v1`,
      "image.txt",
      "--plain-http",
      "--registry-config",
      config,
    ]);
    expect(pushed.code).toBe(0);
    expect(rig.acr.exchanges).toBe(exchanges);

    // and so does oras, a different client reading the same docker config
    const tags = await run(testRegistries().oras, [
      "repo",
      "tags",
      "--plain-http",
      "--registry-config",
      config,
      `${rig.acr.host}/login/app`,
    ]);
    expect(tags.stderr).toBe("");
    expect(tags.stdout.trim()).toBe("v1");

    const logout = await cli(["logout", rig.acr.host, "--registry-config", config]);
    expect(logout.code).toBe(0);
    const after = JSON.parse(await readFile(config, "utf8")) as { auths: Record<string, unknown> };
    expect(after.auths[rig.acr.host]).toBeUndefined();
  });

  describe("clear failures", () => {
    it("a wrong client secret", async () => {
      const result = await cli(
        [
          "push",
          `${rig.acr.host}/fail/app:v1`,
          "image.txt",
          ...azure("--azure-client-id", rig.apps.secret.clientId),
        ],
        { AZURE_CLIENT_SECRET: "not-the-secret-0123" },
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /Error: Entra ID refused the client secret of app .* \(wrong or expired\)/,
      );
      expect(result.stderr).not.toContain("not-the-secret-0123");
    });

    it("a tenant Entra does not know", async () => {
      const result = await cli(
        [
          "push",
          `${rig.acr.host}/fail/app:v1`,
          "image.txt",
          ...azure("--azure-client-id", rig.apps.secret.clientId),
          "--azure-tenant-id",
          "00000000-1111-2222-3333-444444444444",
        ],
        { AZURE_CLIENT_SECRET: rig.apps.secret.secret },
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/Error: Entra ID does not know the tenant/);
    });

    it("an expired federated token", async () => {
      const tokenFile = path.join(rig.dir, "expired-token");
      await writeFile(tokenFile, rig.cluster.token(rig.apps.workload.subject, -600));
      const result = await cli(
        [
          "push",
          `${rig.acr.host}/fail/app:v1`,
          "image.txt",
          ...azure("--azure-client-id", rig.apps.workload.clientId),
        ],
        { AZURE_FEDERATED_TOKEN_FILE: tokenFile },
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/Error: Entra ID refused the federated token: it has expired/);
    });

    it("GitHub OIDC without `id-token: write`", async () => {
      const result = await cli(
        [
          "push",
          `${rig.acr.host}/fail/app:v1`,
          "image.txt",
          ...azure("--azure-client-id", rig.apps.github.clientId, "--azure-credential", "github-oidc"),
        ],
        {},
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/ACTIONS_ID_TOKEN_REQUEST_URL is not set.*id-token: write/);
    });

    it("an identity without a role on the registry", async () => {
      const result = await cli(
        [
          "push",
          `${rig.acr.host}/fail/app:v1`,
          "image.txt",
          ...azure("--azure-client-id", rig.apps.noRole.clientId),
        ],
        { AZURE_CLIENT_SECRET: rig.apps.noRole.secret },
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/refused a token .*HTTP 403 DENIED: identity has no role/);
      // Blob uploads run side by side: the first refused request is a read (HEAD, pull role) or
      // an upload (POST, push role); either way the message names an ACR role to grant.
      expect(result.stderr).toMatch(
        /no pull access to this repository: grant it a pull role \(on ACR: AcrPull\)|lacks push or delete permission on this repository \(perhaps any permission\): grant it push permission there \(on ACR: AcrPush/,
      );
      // it has no role at all: the hint must not claim it may pull
      expect(result.stderr).not.toMatch(/may pull|can pull/);
    });

    it("an identity with AcrPull only, attaching", async () => {
      const image = `${rig.acr.host}/pullonly/app:v1`;
      const pushed = await cli(
        ["push", image, "image.txt", ...azure("--azure-client-id", rig.apps.secret.clientId)],
        {
          AZURE_CLIENT_SECRET: rig.apps.secret.secret,
        },
      );
      expect(pushed.code).toBe(0);
      rig.acr.roles.set(rig.apps.noRole.objectId, ["AcrPull"]);
      try {
        const result = await cli(
          [
            "attach",
            image,
            "--artifact-type",
            "application/spdx+json",
            "sbom.json:application/spdx+json",
            ...azure("--azure-client-id", rig.apps.noRole.clientId),
          ],
          { AZURE_CLIENT_SECRET: rig.apps.noRole.secret },
        );
        expect(result.code).toBe(1);
        // The token service hands out a pull-only token; the registry answers 401 insufficient_scope.
        // That is a missing role, not wrong credentials: no "log in again".
        expect(result.stderr).toMatch(
          /answered 401 \(insufficient_scope\): the credentials from Entra ID .* may not push here/,
        );
        expect(result.stderr).toContain(
          "grant the push permission on this repository (on ACR the AcrPush role",
        );
        expect(result.stderr).not.toMatch(/wrong or expired|log in again/);
      } finally {
        rig.acr.roles.delete(rig.apps.noRole.objectId);
      }
    });

    it("a registry without ACR's challenge never gets the Entra token, even when named", async () => {
      const { host } = testRegistries().distributionAuth;
      const before = rig.acr.exchanges;
      const result = await cli(
        [
          "push",
          `${host}/fail/app:v1`,
          "image.txt",
          ...azure("--azure-client-id", rig.apps.secret.clientId, "--azure-registry", host),
        ],
        { AZURE_CLIENT_SECRET: rig.apps.secret.secret },
      );
      expect(result.code).toBe(1);
      // htpasswd answers Basic: no /oauth2/token of its own, so nothing was exchanged or sent there.
      expect(result.stderr).toContain(`${host} does not ask for an ACR token`);
      expect(result.stderr).not.toContain("/oauth2/exchange");
      expect(result.stderr).toMatch(
        /wants credentials \(401(, UNAUTHORIZED)?\) and none were found for it; looked in Entra ID/,
      );
      expect(rig.acr.exchanges).toBe(before);
    });
  });

  afterAll(() => {
    // the log scan: no secret, assertion or token in any output of the whole file (all runs were --verbose)
    const secrets = [
      rig.apps.secret.secret,
      rig.apps.noRole.secret,
      rig.github.requestToken,
      ...rig.github.issued,
      ...rig.acr.issued,
    ];
    expect(runs.length).toBeGreaterThan(10);
    for (const run of runs) {
      for (const secret of secrets) {
        expect(run.stdout).not.toContain(secret);
        expect(run.stderr).not.toContain(secret);
      }
      expect(`${run.stdout}${run.stderr}`).not.toMatch(/eyJ[\w-]{10,}\.eyJ/);
    }
  });
});
