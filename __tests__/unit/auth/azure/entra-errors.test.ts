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
    expect(e.message).toBe("Entra ID sign-in (client-secret) failed: something odd with *** and ***");
    expect((e.cause as Error).message).not.toContain("tok123");
  });
});
