import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { acrCredentialProvider, isAcrLoginServer } from "../../../../src/auth/azure/acr-provider.js";
import type { Challenge } from "../../../../src/auth/challenge.js";
import type { EntraTokenSource } from "../../../../src/auth/azure/entra.js";
import { exchangeAadToken } from "../../../../src/auth/azure/exchange.js";
import { resolveEntraSettings } from "../../../../src/auth/azure/settings.js";
import { isOcigraphError } from "../../../../src/oci/errors.js";

const jwt = (claims: object) =>
  `eyJhbGciOiJub25lIn0.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.sig`;

/** An ACR /oauth2/exchange on loopback answering `status`; records each form it got. */
async function exchangeServer(status = 200, expSeconds = Math.floor(Date.now() / 1000) + 3 * 3600) {
  const forms: URLSearchParams[] = [];
  const other: string[] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      if (req.method !== "POST" || req.url !== "/oauth2/exchange") {
        other.push(`${req.method} ${req.url}`);
        return res.writeHead(500).end();
      }
      forms.push(new URLSearchParams(body));
      if (status !== 200) {
        res.writeHead(status, { "content-type": "application/json" });
        return res.end(
          JSON.stringify({
            errors: [
              { code: "UNAUTHORIZED", message: `echo ${new URLSearchParams(body).get("access_token")}` },
            ],
          }),
        );
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ refresh_token: jwt({ exp: expSeconds }) }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { host, forms, other, stop: () => new Promise<void>((r) => server.close(() => r())) };
}

/** ACR's own challenge: the realm is the login server's /oauth2/token. */
const own = (host: string): Challenge => ({
  scheme: "bearer",
  params: { realm: `http://${host}/oauth2/token`, service: host },
});

function fakeEntra(): EntraTokenSource & { calls: number } {
  const settings = resolveEntraSettings(
    { kind: "client-secret", clientId: "c", tenantId: "t1", clientSecret: "s" },
    {},
  );
  const source = {
    calls: 0,
    settings,
    async getToken() {
      source.calls++;
      return "aad-token-value";
    },
  };
  return source;
}

describe("acrCredentialProvider", () => {
  it("exchanges once per host, shares concurrent asks, and answers the null-GUID refresh credential", async () => {
    const srv = await exchangeServer();
    try {
      const entra = fakeEntra();
      const provider = acrCredentialProvider({ entra, hosts: [srv.host], plainHttp: true });
      const creds = await Promise.all([
        provider(srv.host, own(srv.host)),
        provider(srv.host, own(srv.host)),
        provider(srv.host.toUpperCase(), own(srv.host)),
      ]);
      await provider(srv.host, own(srv.host));
      expect(provider.exchanges).toBe(1);
      expect(entra.calls).toBe(1);
      expect(creds[0]).toEqual({
        username: "00000000-0000-0000-0000-000000000000",
        refreshToken: expect.stringMatching(/^eyJ/),
      });
      const form = srv.forms[0];
      expect(Object.fromEntries(form?.entries() ?? [])).toEqual({
        grant_type: "access_token",
        service: srv.host,
        tenant: "t1",
        access_token: "aad-token-value",
      });
      expect(srv.other).toEqual([]);
    } finally {
      await srv.stop();
    }
  });

  it("exchanges again when the refresh token is about to expire", async () => {
    const srv = await exchangeServer(200, Math.floor(Date.now() / 1000) + 60);
    try {
      const provider = acrCredentialProvider({ entra: fakeEntra(), hosts: [srv.host], plainHttp: true });
      await provider(srv.host, own(srv.host));
      await provider(srv.host, own(srv.host));
      expect(provider.exchanges).toBe(2);
    } finally {
      await srv.stop();
    }
  });

  it("never answers (nor sends the Entra token) for another host", async () => {
    const entra = fakeEntra();
    const provider = acrCredentialProvider({ entra, hosts: ["myreg.azurecr.io"] });
    expect(await provider("ghcr.io")).toBeUndefined();
    expect(await provider("evil.azurecr.io.example.com")).toBeUndefined();
    expect(entra.calls).toBe(0);
  });

  it("recognises ACR login servers of the Azure clouds", () => {
    expect(isAcrLoginServer("MyReg.azurecr.io")).toBe(true);
    expect(isAcrLoginServer("myreg.azurecr.us")).toBe(true);
    expect(isAcrLoginServer("azurecr.io")).toBe(false);
    expect(isAcrLoginServer("myreg.azurecr.io.evil.com")).toBe(false);
  });
});

describe("exchangeAadToken failures", () => {
  it.each([
    [404, "UNSUPPORTED", /does not offer Entra ID sign-in/],
    [401, "UNAUTHORIZED", /refused the Entra ID token/],
    [403, "DENIED", /denied the Entra ID identity/],
    [500, "REGISTRY", /no refresh token/],
  ])("HTTP %d is %s with a fix, and the token is redacted", async (status, code, message) => {
    const srv = await exchangeServer(status);
    try {
      const err = await exchangeAadToken({
        origin: `http://${srv.host}`,
        service: srv.host,
        aadToken: "secret-aad",
      }).catch((e: unknown) => e);
      expect(isOcigraphError(err, code as "UNSUPPORTED")).toBe(true);
      expect((err as Error).message).toMatch(message);
      expect((err as { hint?: string }).hint).toBeTruthy();
      expect(JSON.stringify({ m: (err as Error).message })).not.toContain("secret-aad");
    } finally {
      await srv.stop();
    }
  });
});
