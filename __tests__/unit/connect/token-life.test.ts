// Token life: an ACR refresh token refused before its `exp` leads to one fresh exchange and a retry,
// and the Entra access token is kept until its own expiry, so the identity is asked once per run.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { AccessToken, TokenCredential } from "@azure/identity";
import { acrCredentialProvider } from "../../../src/auth/azure/acr-provider";
import { createEntraCredential } from "../../../src/auth/azure/entra";
import { resolveEntraSettings } from "../../../src/auth/azure/settings";
import { createTransport, type Transport } from "../../../src/connect/transport";
import { RegistryClient } from "../../../src/registry/client";

const jwt = (claims: object): string =>
  `eyJhbGciOiJub25lIn0.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.sig`;
const inHours = (h: number): number => Math.floor(Date.now() / 1000) + h * 3600;

/** An ACR-like origin: its own /oauth2/exchange and /oauth2/token, and a /v2/ that wants a bearer token. */
class FakeAcr {
  server: Server | undefined;
  host = "";
  exchanges = 0;
  tokenRequests = 0;
  /** Refresh tokens the token service refuses (revoked before their exp). */
  readonly revoked = new Set<string>();
  readonly issued: string[] = [];

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        const form = new URLSearchParams(body);
        if (req.url === "/oauth2/exchange") {
          this.exchanges++;
          const refresh = jwt({ exp: inHours(3), n: this.exchanges });
          this.issued.push(refresh);
          res.writeHead(200, { "content-type": "application/json" });
          return res.end(JSON.stringify({ refresh_token: refresh }));
        }
        if (req.url === "/oauth2/token") {
          this.tokenRequests++;
          const refresh = form.get("refresh_token") ?? "";
          if (this.revoked.has(refresh) || !this.issued.includes(refresh)) {
            res.writeHead(401, { "content-type": "application/json" });
            return res.end(JSON.stringify({ errors: [{ code: "UNAUTHORIZED", message: "revoked" }] }));
          }
          res.writeHead(200, { "content-type": "application/json" });
          return res.end(JSON.stringify({ access_token: `access-${refresh.length}`, expires_in: 300 }));
        }
        if (req.headers.authorization?.startsWith("Bearer access-")) return res.writeHead(200).end("{}");
        res.writeHead(401, {
          "www-authenticate": `Bearer realm="http://${this.host}/oauth2/token",service="${this.host}"`,
        });
        res.end();
      });
    });
    await new Promise<void>((r) => this.server?.listen(0, "127.0.0.1", r));
    this.host = `127.0.0.1:${(this.server?.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}

/** A TokenCredential standing in for `az` or MSAL: counts how often it is asked. */
function countingIdentity(lifetimeMs: number, now: () => number): TokenCredential & { calls: number } {
  const identity = {
    calls: 0,
    async getToken(): Promise<AccessToken> {
      identity.calls++;
      return { token: jwt({ aud: "acr", n: identity.calls }), expiresOnTimestamp: now() + lifetimeMs };
    },
  };
  return identity;
}

describe("token life", () => {
  let acr: FakeAcr;
  let transport: Transport;
  beforeEach(async () => {
    acr = new FakeAcr();
    await acr.start();
    transport = createTransport({ maxRetries: 1, minRetryDelayMs: 10 });
  });
  afterEach(async () => {
    await transport.close();
    await acr.stop();
  });

  test("a refresh token refused before its exp: one fresh exchange, then the request goes through", async () => {
    const settings = resolveEntraSettings({ kind: "azure-cli" }, {});
    const identity = countingIdentity(3_600_000, Date.now);
    const entra = createEntraCredential(settings, { credential: identity });
    const provider = acrCredentialProvider({
      entra,
      hosts: [acr.host],
      plainHttp: true,
      dispatcher: transport.direct,
    });
    const client = new RegistryClient({
      host: acr.host,
      plainHttp: true,
      dispatcher: transport.registry,
      credentials: provider,
    });
    const first = await client.request({ method: "GET", path: "/v2/", scopes: [] });
    await first.body.dump();
    expect(first.status).toBe(200);
    expect(acr.exchanges).toBe(1);

    // ACR revokes the refresh token long before its exp (3 h): the next token request is refused.
    for (const token of acr.issued) acr.revoked.add(token);
    const again = new RegistryClient({
      host: acr.host,
      plainHttp: true,
      dispatcher: transport.registry,
      credentials: provider,
    });
    const second = await again.request({ method: "GET", path: "/v2/", scopes: [] });
    await second.body.dump();
    expect(second.status).toBe(200);
    expect(acr.exchanges).toBe(2); // exactly one fresh exchange
    expect(acr.tokenRequests).toBe(3); // first token, the refused one, the retry
    expect(provider.exchanges).toBe(2);
    // Both exchanges used the one Entra access token: `az` / MSAL was asked once.
    expect(identity.calls).toBe(1);
  });

  test("a refresh token refused again after the fresh exchange fails, without a loop", async () => {
    const settings = resolveEntraSettings({ kind: "azure-cli" }, {});
    const entra = createEntraCredential(settings, { credential: countingIdentity(3_600_000, Date.now) });
    const provider = acrCredentialProvider({
      entra,
      hosts: [acr.host],
      plainHttp: true,
      dispatcher: transport.direct,
    });
    // Every refresh token is refused.
    acr.issued.push = function (this: string[], ...items: string[]) {
      for (const i of items) acr.revoked.add(i);
      return Array.prototype.push.apply(this, items);
    };
    const client = new RegistryClient({
      host: acr.host,
      plainHttp: true,
      dispatcher: transport.registry,
      credentials: provider,
    });
    await expect(client.request({ method: "GET", path: "/v2/", scopes: [] })).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
    expect(acr.exchanges).toBe(2);
  });

  test("the Entra access token is reused until its own expiry, then asked again", async () => {
    let clock = 1_000_000;
    const now = (): number => clock;
    const identity = countingIdentity(60 * 60_000, now);
    const entra = createEntraCredential(resolveEntraSettings({ kind: "azure-cli" }, {}), {
      credential: identity,
      now,
    });
    const a = await entra.getToken();
    clock += 30 * 60_000;
    const [b, c] = await Promise.all([entra.getToken(), entra.getToken()]);
    expect([b, c]).toEqual([a, a]);
    expect(identity.calls).toBe(1);
    clock += 29 * 60_000; // within the last two minutes of its life: renewed
    expect(await entra.getToken()).not.toBe(a);
    expect(identity.calls).toBe(2);
  });
});
