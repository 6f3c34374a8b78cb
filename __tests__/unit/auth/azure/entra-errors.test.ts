import { entraError } from "../../../../src/auth/azure/entra-errors.js";
import { resolveEntraSettings } from "../../../../src/auth/azure/settings.js";

const settings = resolveEntraSettings(
  { kind: "client-secret", clientId: "app1", tenantId: "t1", clientSecret: "pw" },
  {},
);

describe("entraError", () => {
  it.each([
    ["AADSTS7000215: Invalid client secret provided.", "UNAUTHORIZED", /client secret of app app1/],
    [
      "endpoints_resolution_error: See https://aka.ms/msal.js.errors",
      "INVALID_INPUT",
      /does not know the tenant "t1"/,
    ],
    ["AADSTS700016: Application not found", "INVALID_INPUT", /not registered in tenant t1/],
    [
      "AADSTS700024: Client assertion is not within its valid time range.",
      "UNAUTHORIZED",
      /federated token: it has expired/,
    ],
    [
      "AADSTS700213: No matching federated identity record",
      "UNAUTHORIZED",
      /no federated credential matching/,
    ],
    ["AADSTS500011: The resource principal named x was not found", "INVALID_INPUT", /ACR audience/],
  ])("%s", (text, code, message) => {
    const e = entraError(new Error(`invalid_client (status code 401). More details:\n${text}`), settings, []);
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
    expect(e.hint).toBeTruthy();
  });

  it("keeps Entra's words for the unknown, without the secrets", () => {
    const e = entraError(new Error("something odd with pw and tok123"), settings, ["pw", "tok123"]);
    expect(e.message).toBe("Entra ID sign-in with a client secret failed: something odd with *** and ***.");
    expect((e.cause as Error).message).not.toContain("tok123");
  });

  it.each([
    [
      "ChainedTokenCredential authentication failed.\nCredentialUnavailableError: no az",
      "AggregateAuthenticationError",
    ],
    ["ManagedIdentityCredential: no endpoint", "CredentialUnavailableError"],
  ])("names the kind tried and what it needs, never an SDK class: %s", (text, name) => {
    const auto = resolveEntraSettings({}, {});
    const err = Object.assign(new Error(text), { name });
    const e = entraError(err, auto, []);
    expect(e.message).toBe(
      "Entra ID sign-in found no credential: no Azure CLI session (`az login`) and no managed identity on this machine.",
    );
    expect(e.hint).toMatch(/--azure-client-id and --azure-tenant-id/);
    expect(`${e.message} ${e.hint}`).not.toMatch(/[A-Z][a-z]+(Credential|Error)\b/);
  });

  it("drops SDK class names from an unknown failure", () => {
    const e = entraError(
      new Error("ClientSecretCredential authentication failed. tenant blocked"),
      settings,
      [],
    );
    expect(e.message).toBe("Entra ID sign-in with a client secret failed: tenant blocked.");
  });
});
