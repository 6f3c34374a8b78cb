// Token, ACR exchange and GitHub ID-token requests carry secrets: through the real transport
// (whose redirect policy follows redirects for registry requests), a 307 from any of them is an
// error naming the target, and the target never hears a thing.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { fetchBearerToken } from "../../../src/auth/token";
import { exchangeAadToken } from "../../../src/auth/azure/exchange";
import { githubIdToken } from "../../../src/auth/azure/github-oidc";
import { createTransport } from "../../../src/connect/transport";
import { isOcigraphError } from "../../../src/oci/errors";

async function server(
  handler: http.RequestListener,
): Promise<{ origin: string; hits: string[]; close(): Promise<void> }> {
  const hits: string[] = [];
  const s = http.createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    handler(req, res);
  });
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  const { port } = s.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    hits,
    close: () => new Promise((resolve) => s.close(() => resolve())),
  };
}

describe("secret-bearing requests never follow redirects", () => {
  const transport = createTransport({ maxRetries: 1 });
  // The registry view follows redirects for registry requests: the secret-bearing requests must not.
  const dispatcher = transport.registry;
  let thief: Awaited<ReturnType<typeof server>>;
  let redirector: Awaited<ReturnType<typeof server>>;

  beforeAll(async () => {
    thief = await server((_q, res) =>
      res
        .writeHead(200, { "content-type": "application/json" })
        .end('{"token":"x","value":"x","refresh_token":"x"}'),
    );
    redirector = await server((_q, res) => res.writeHead(307, { location: `${thief.origin}/steal` }).end());
  });
  afterAll(async () => {
    await thief.close();
    await redirector.close();
    await transport.close();
  });

  async function expectRefused(work: Promise<unknown>): Promise<void> {
    const err = await work.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isOcigraphError(err)).toBe(true);
    expect((err as Error).message).toContain(`${thief.origin}/steal`);
    expect(thief.hits).toEqual([]);
  }

  it("the refresh-token POST", async () => {
    await expectRefused(
      fetchBearerToken({
        challenge: { scheme: "bearer", params: { realm: `${redirector.origin}/token`, service: "r" } },
        scopes: ["repository:a:pull"],
        credential: { refreshToken: "refresh-secret" },
        dispatcher,
      }),
    );
  });

  it("the basic-auth token GET", async () => {
    await expectRefused(
      fetchBearerToken({
        challenge: { scheme: "bearer", params: { realm: `${redirector.origin}/token` } },
        scopes: [],
        credential: { username: "u", password: "p" },
        dispatcher,
      }),
    );
  });

  it("the ACR exchange", async () => {
    await expectRefused(
      exchangeAadToken({
        origin: redirector.origin,
        service: "r",
        aadToken: "entra-secret",
        dispatcher,
      }),
    );
  });

  it("the GitHub ID-token request", async () => {
    await expectRefused(
      githubIdToken({
        requestUrl: `${redirector.origin}/id?x=1`,
        requestToken: "runtime-secret",
        audience: "api://AzureADTokenExchange",
        dispatcher,
      }),
    );
  });
});
