import { acrScope, resolveEntraSettings } from "../../../../src/auth/azure/settings.js";
import { isOcigraphError } from "../../../../src/oci/errors.js";

const ids = { AZURE_CLIENT_ID: "cid", AZURE_TENANT_ID: "tid" };
const gh = {
  ACTIONS_ID_TOKEN_REQUEST_URL: "https://runtime/x?api-version=2.0",
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: "rt",
};

describe("resolveEntraSettings", () => {
  it.each([
    [
      "GitHub OIDC when the job may request an ID token",
      { ...ids, ...gh, AZURE_CLIENT_SECRET: "s" },
      "github-oidc",
    ],
    ["a federated token file", { ...ids, AZURE_FEDERATED_TOKEN_FILE: "/t" }, "workload-identity"],
    ["a client secret", { ...ids, AZURE_CLIENT_SECRET: "s" }, "client-secret"],
    ["a client certificate", { ...ids, AZURE_CLIENT_CERTIFICATE_PATH: "/c.pem" }, "client-certificate"],
    ["the Azure CLI then managed identity otherwise", {}, "cli-or-managed-identity"],
    ["not GitHub OIDC without a client id", { ...gh, AZURE_TENANT_ID: "tid" }, "cli-or-managed-identity"],
  ])("auto picks %s", (_label, env, kind) => {
    expect(resolveEntraSettings({}, env).kind).toBe(kind);
  });

  it("lets explicit inputs win over the environment", () => {
    const s = resolveEntraSettings(
      { kind: "client-secret", clientId: "flag-id", tenantId: "flag-tenant" },
      { ...ids, ...gh, AZURE_CLIENT_SECRET: "s" },
    );
    expect(s).toMatchObject({
      kind: "client-secret",
      clientId: "flag-id",
      tenantId: "flag-tenant",
      clientSecret: "s",
    });
  });

  it("says which input an explicit kind lacks", () => {
    expect.assertions(3);
    try {
      resolveEntraSettings({ kind: "client-secret" }, { AZURE_TENANT_ID: "t" });
    } catch (err) {
      expect(isOcigraphError(err, "INVALID_INPUT")).toBe(true);
      expect((err as Error).message).toContain("client id");
      expect((err as { hint?: string }).hint).toContain("--azure-client-id");
    }
  });

  it("names the missing `id-token: write` when GitHub OIDC is asked outside a permitted job", () => {
    expect(() => resolveEntraSettings({ kind: "github-oidc" }, ids)).toThrow(/ACTIONS_ID_TOKEN_REQUEST_URL/);
  });

  it("defaults the audiences and takes sovereign-cloud ones", () => {
    const s = resolveEntraSettings({ kind: "azure-cli" }, {});
    expect(s.scope).toBe("https://containerregistry.azure.net/.default");
    expect(s.oidcAudience).toBe("api://AzureADTokenExchange");
    expect(acrScope("https://containerregistry.azure.us/")).toBe(
      "https://containerregistry.azure.us/.default",
    );
    expect(acrScope("https://x/.default")).toBe("https://x/.default");
    expect(
      resolveEntraSettings(
        { kind: "azure-cli" },
        { AZURE_AUTHORITY_HOST: "https://login.microsoftonline.us" },
      ).authorityHost,
    ).toBe("https://login.microsoftonline.us");
  });
});
