import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Agent, MockAgent } from "undici";
import type { Challenge } from "../../../src/auth/challenge.js";
import { fetchBearerToken, MAX_TOKEN_RESPONSE_BYTES } from "../../../src/auth/token.js";
import { isOcigraphError, type OcigraphError } from "../../../src/oci/errors.js";

interface Seen {
  method: string;
  url: URL;
  headers: IncomingMessage["headers"];
  body: string;
}
type Handler = (req: Seen, res: ServerResponse) => void;

/** A token service on loopback that answers each expected request in turn and fails on any other. */
class FakeTokenService {
  private server: Server | undefined;
  private readonly handlers: Handler[] = [];
  readonly seen: Seen[] = [];
  readonly unexpected: string[] = [];
  base = "";

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const seen: Seen = {
          method: req.method ?? "",
          url: new URL(req.url ?? "/", this.base),
          headers: req.headers,
          body: Buffer.concat(chunks).toString("utf8"),
        };
        this.seen.push(seen);
        const handler = this.handlers.shift();
        if (handler === undefined) {
          this.unexpected.push(`${seen.method} ${seen.url.pathname}`);
          res.writeHead(500).end("unexpected request");
          return;
        }
        handler(seen, res);
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    const { port } = this.server.address() as AddressInfo;
    this.base = `http://127.0.0.1:${port}`;
  }

  expect(handler: Handler): void {
    this.handlers.push(handler);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server?.closeAllConnections();
      this.server?.close(() => resolve());
    });
  }

  verify(): void {
    expect(this.unexpected).toEqual([]);
    expect(this.handlers).toHaveLength(0);
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

const NOW = Date.parse("2024-05-01T12:00:00Z");
const SCOPES = ["repository:a:pull", "repository:b:pull,push"];

async function rejection(p: Promise<unknown>): Promise<OcigraphError> {
  try {
    await p;
  } catch (err) {
    if (isOcigraphError(err)) return err;
    throw err;
  }
  throw new Error("expected a rejection");
}

describe("fetchBearerToken", () => {
  let svc: FakeTokenService;
  let dispatcher: Agent;
  let challenge: Challenge;

  beforeEach(async () => {
    svc = new FakeTokenService();
    await svc.start();
    dispatcher = new Agent();
    challenge = { scheme: "bearer", params: { realm: `${svc.base}/token`, service: "reg.test" } };
  });

  afterEach(async () => {
    await dispatcher.close();
    await svc.stop();
  });

  it("gets an anonymous token with GET, one scope parameter per scope, no Authorization", async () => {
    svc.expect((req, res) => json(res, 200, { token: "anon", expires_in: 300 }));
    const t = await fetchBearerToken({ challenge, scopes: SCOPES, dispatcher, now: () => NOW });
    expect(t).toEqual({ token: "anon", expiresAt: NOW + 300_000 });
    const req = svc.seen[0];
    expect(req?.method).toBe("GET");
    expect(req?.url.pathname).toBe("/token");
    expect(req?.url.searchParams.get("service")).toBe("reg.test");
    expect(req?.url.searchParams.getAll("scope")).toEqual(SCOPES);
    expect(req?.headers.authorization).toBeUndefined();
    svc.verify();
  });

  it("sends username/password as Basic auth on the GET and prefers access_token", async () => {
    svc.expect((req, res) => json(res, 200, { token: "t-old", access_token: "t-new" }));
    const t = await fetchBearerToken({
      challenge,
      scopes: ["repository:a:pull"],
      credential: { username: "alice", password: "s3cret:x" },
      dispatcher,
      now: () => NOW,
    });
    expect(t.token).toBe("t-new");
    expect(t.expiresAt).toBe(NOW + 60_000);
    expect(svc.seen[0]?.headers.authorization).toBe(
      `Basic ${Buffer.from("alice:s3cret:x").toString("base64")}`,
    );
    svc.verify();
  });

  it("uses the OAuth2 refresh_token grant with a refresh token", async () => {
    svc.expect((req, res) => json(res, 200, { access_token: "oauth", expires_in: 120, refresh_token: "r2" }));
    const t = await fetchBearerToken({
      challenge,
      scopes: SCOPES,
      credential: { username: "alice", refreshToken: "r1" },
      dispatcher,
      now: () => NOW,
    });
    expect(t).toEqual({ token: "oauth", expiresAt: NOW + 120_000, refreshToken: "r2" });
    const req = svc.seen[0];
    expect(req?.method).toBe("POST");
    expect(req?.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(req?.headers.authorization).toBeUndefined();
    const form = new URLSearchParams(req?.body);
    expect(Object.fromEntries(form)).toEqual({
      grant_type: "refresh_token",
      refresh_token: "r1",
      service: "reg.test",
      client_id: "ocigraph",
      scope: SCOPES.join(" "),
    });
    svc.verify();
  });

  it("uses the OAuth2 password grant only when forced, with the given client id", async () => {
    svc.expect((req, res) => json(res, 200, { access_token: "pw" }));
    await fetchBearerToken({
      challenge,
      scopes: [],
      credential: { username: "bob", password: "pw" },
      dispatcher,
      forceOAuth2: true,
      clientId: "my-ci",
      userAgent: "ocigraph/test",
    });
    const req = svc.seen[0];
    expect(req?.method).toBe("POST");
    expect(req?.headers["user-agent"]).toBe("ocigraph/test");
    expect(Object.fromEntries(new URLSearchParams(req?.body))).toEqual({
      grant_type: "password",
      username: "bob",
      password: "pw",
      service: "reg.test",
      client_id: "my-ci",
    });
    svc.verify();
  });

  it("returns a ready access token without asking anyone", async () => {
    const t = await fetchBearerToken({
      challenge,
      scopes: SCOPES,
      credential: { accessToken: "ready" },
      dispatcher,
      now: () => NOW,
    });
    expect(t).toEqual({ token: "ready", expiresAt: NOW + 60_000 });
    svc.verify();
  });

  it("counts expiry from issued_at, but never from a time ahead of ours", async () => {
    svc.expect((req, res) =>
      json(res, 200, { token: "a", expires_in: 100, issued_at: "2024-05-01T11:59:00Z" }),
    );
    svc.expect((req, res) =>
      json(res, 200, { token: "b", expires_in: 100, issued_at: "2024-05-01T13:00:00Z" }),
    );
    svc.expect((req, res) => json(res, 200, { token: "c", expires_in: "soon", issued_at: "garbage" }));
    const opts = { challenge, scopes: [], dispatcher, now: () => NOW };
    expect((await fetchBearerToken(opts)).expiresAt).toBe(NOW - 60_000 + 100_000);
    expect((await fetchBearerToken(opts)).expiresAt).toBe(NOW + 100_000);
    expect((await fetchBearerToken(opts)).expiresAt).toBe(NOW + 60_000);
    svc.verify();
  });

  it("keeps query parameters already in the realm", async () => {
    challenge.params["realm"] = `${svc.base}/token?account=me`;
    svc.expect((req, res) => json(res, 200, { token: "t" }));
    await fetchBearerToken({ challenge, scopes: ["repository:a:pull"], dispatcher });
    expect(svc.seen[0]?.url.searchParams.get("account")).toBe("me");
    expect(svc.seen[0]?.url.searchParams.get("scope")).toBe("repository:a:pull");
    svc.verify();
  });

  it("reports a 401 as UNAUTHORIZED with host, status and the server's words, never the secret", async () => {
    svc.expect((req, res) =>
      json(res, 401, {
        errors: [{ code: "UNAUTHORIZED", message: "bad password hunter2 for alice\nline2" }],
      }),
    );
    const err = await rejection(
      fetchBearerToken({
        challenge,
        scopes: [],
        credential: { username: "alice", password: "hunter2" },
        dispatcher,
      }),
    );
    expect(err.code).toBe("UNAUTHORIZED");
    expect(err.status).toBe(401);
    expect(err.hasRegistryCode("UNAUTHORIZED")).toBe(true);
    expect(err.message).toContain(new URL(svc.base).host);
    expect(err.message).toContain("401");
    expect(err.message).toContain("bad password *** for alice line2");
    expect(err.message).not.toContain("hunter2");
    expect(JSON.stringify(err.registryErrors)).not.toContain("hunter2");
    svc.verify();
  });

  it("reports OAuth2 errors, 403 as DENIED, 5xx as REGISTRY", async () => {
    svc.expect((req, res) =>
      json(res, 400, { error: "invalid_grant", error_description: "refresh token expired" }),
    );
    svc.expect((req, res) => res.writeHead(403).end("denied by policy"));
    svc.expect((req, res) => res.writeHead(503).end());
    const e1 = await rejection(
      fetchBearerToken({ challenge, scopes: [], credential: { refreshToken: "rt-secret" }, dispatcher }),
    );
    expect(e1.code).toBe("UNAUTHORIZED");
    expect(e1.message).toContain("invalid_grant; refresh token expired");
    expect(e1.message).not.toContain("rt-secret");
    const e2 = await rejection(fetchBearerToken({ challenge, scopes: [], dispatcher }));
    expect(e2.code).toBe("DENIED");
    expect(e2.message).toContain("denied by policy");
    const e3 = await rejection(fetchBearerToken({ challenge, scopes: [], dispatcher }));
    expect(e3.code).toBe("REGISTRY");
    expect(e3.status).toBe(503);
    svc.verify();
  });

  it("a 403 hint claims no pull access it has not seen", async () => {
    const refused = { errors: [{ code: "DENIED", message: "identity has no role on repository team/app" }] };
    svc.expect((req, res) => json(res, 403, refused));
    svc.expect((req, res) => json(res, 403, refused));
    svc.expect((req, res) => json(res, 403, refused));
    const credential = { refreshToken: "rt" };
    const push = await rejection(
      fetchBearerToken({ challenge, scopes: ["repository:team/app:pull,push"], credential, dispatcher }),
    );
    const del = await rejection(
      fetchBearerToken({ challenge, scopes: ["repository:team/app:delete"], credential, dispatcher }),
    );
    const pull = await rejection(
      fetchBearerToken({ challenge, scopes: ["repository:team/app:pull"], credential, dispatcher }),
    );
    for (const e of [push, del]) {
      expect(e.code).toBe("DENIED");
      // the same answer comes for an identity with no role at all: nothing says it may pull
      expect(e.hint).not.toMatch(/may pull|can pull/);
      expect(e.hint).toContain("lacks push or delete permission on this repository (perhaps any permission)");
      expect(e.hint).toContain("AcrPush");
    }
    expect(pull.hint).toContain("no pull access to this repository");
    expect(pull.hint).toContain("AcrPull");
    svc.verify();
  });

  it("fails when a 200 answer holds no token", async () => {
    svc.expect((req, res) => json(res, 200, { token: "" }));
    svc.expect((req, res) => res.writeHead(200).end("<html>"));
    expect((await rejection(fetchBearerToken({ challenge, scopes: [], dispatcher }))).code).toBe("REGISTRY");
    expect((await rejection(fetchBearerToken({ challenge, scopes: [], dispatcher }))).code).toBe("REGISTRY");
    svc.verify();
  });

  it("stops reading an answer over 1 MiB", async () => {
    svc.expect((req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(`{"token":"${"x".repeat(MAX_TOKEN_RESPONSE_BYTES)}"}`);
    });
    expect((await rejection(fetchBearerToken({ challenge, scopes: [], dispatcher }))).code).toBe("TOO_LARGE");
    svc.verify();
  });

  it("refuses a missing or non-http realm without sending anything", async () => {
    const cases: Record<string, string>[] = [{}, { realm: "not a url" }, { realm: "ftp://x/token" }];
    for (const params of cases) {
      const err = await rejection(
        fetchBearerToken({ challenge: { scheme: "bearer", params }, scopes: [], dispatcher }),
      );
      expect(err.code).toBe("REGISTRY");
    }
    svc.verify();
  });

  it("reports an unreachable token service as NETWORK", async () => {
    const base = svc.base;
    await svc.stop();
    const err = await rejection(
      fetchBearerToken({
        challenge: { scheme: "bearer", params: { realm: `${base}/token` } },
        scopes: [],
        dispatcher,
      }),
    );
    expect(err.code).toBe("NETWORK");
    await svc.start(); // afterEach stops it again
  });
});

describe("fetchBearerToken realm policy", () => {
  it("refuses a plain-http realm off loopback unless allowed", async () => {
    const mock = new MockAgent();
    mock.disableNetConnect();
    mock
      .get("http://auth.example.test")
      .intercept({ path: (p) => p.startsWith("/token"), method: "GET" })
      .reply(200, { token: "plain" });
    const challenge: Challenge = { scheme: "bearer", params: { realm: "http://auth.example.test/token" } };
    const creds = { username: "u", password: "p" };
    const err = await rejection(
      fetchBearerToken({ challenge, scopes: [], credential: creds, dispatcher: mock }),
    );
    expect(err.code).toBe("REGISTRY");
    expect(err.message).toContain("plain http");
    const t = await fetchBearerToken({
      challenge,
      scopes: [],
      credential: creds,
      dispatcher: mock,
      allowInsecureRealm: true,
    });
    expect(t.token).toBe("plain");
    mock.assertNoPendingInterceptors();
    await mock.close();
  });

  it("drops user info written into the realm", async () => {
    const mock = new MockAgent();
    mock.disableNetConnect();
    mock
      .get("https://auth.example.test")
      .intercept({ path: "/token", method: "GET", headers: (h) => !("authorization" in h) })
      .reply(200, { token: "t" });
    const challenge: Challenge = {
      scheme: "bearer",
      params: { realm: "https://evil:pw@auth.example.test/token" },
    };
    await expect(fetchBearerToken({ challenge, scopes: [], dispatcher: mock })).resolves.toMatchObject({
      token: "t",
    });
    await mock.close();
  });
});
