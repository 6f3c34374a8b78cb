// A stand-in for Azure Container Registry's front door: one origin serving ACR's documented token
// endpoints (/oauth2/exchange, /oauth2/token; https://github.com/Azure/acr/blob/main/docs/AAD-OAuth.md)
// and proxying /v2/ to a real CNCF distribution configured for token auth with this service as realm.
import { createServer, request, type Server } from "node:http";
import { createHash, createPublicKey, type KeyObject } from "node:crypto";
import { AcrManifestCatalog } from "./acr-metadata";
import { close, json, listen, readBody, readBytes } from "./http";
import { nowSeconds, signJwt, verifyJwt } from "./jwt";
import { ACR_AUDIENCE } from "./entra";
import type { KeyAndCert } from "./pki";

export const TOKEN_ISSUER = "ocigraph-test-acr";

/** Which actions an Entra identity (object id) may take, like ACR's AcrPull / AcrPush / AcrDelete roles. */
export type Role = "AcrPull" | "AcrPush" | "AcrDelete";

export class AcrStandIn {
  private server: Server | undefined;
  /** "127.0.0.1:PORT": the login server (registry and token service on one origin, as in ACR). */
  host = "";
  /** Where distribution listens; set once it has started. */
  upstream = "";
  exchanges = 0;
  tokenRequests = 0;
  readonly roles = new Map<string, Role[]>();
  /** Lifetime (s) of access tokens; short values exercise refresh during a run. */
  accessTokenLifetime = 300;
  /**
   * Refuse expired access tokens here, to the second (distribution allows 60 s of leeway),
   * so a test can make a token expire in the middle of a run.
   */
  strictExpiry = false;
  /** 401s this stand-in answered for expired access tokens. */
  expiredRefusals = 0;
  /** Delay before each proxied registry request (ms): a slow registry, so runs outlive tokens. */
  proxyDelayMs = 0;
  /** Every refresh and access token issued (tests scan logs for them). */
  readonly issued: string[] = [];
  /** ACR's metadata API (`/acr/v1`) and manifest locks, over every manifest pushed through here. */
  readonly catalog = new AcrManifestCatalog(
    () => this.host,
    (authorization, repository, action) => this.allowed(authorization, repository, action),
  );

  constructor(
    private readonly tenantId: string,
    private readonly entraKey: KeyObject,
    private readonly signer: KeyAndCert,
  ) {}

  get service(): string {
    return this.host;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const [path = "/", query = ""] = (req.url ?? "/").split("?");
      if (path.startsWith("/acr/v1/") && this.catalog.handle(req, res, path, new URLSearchParams(query)))
        return;
      if (path === "/oauth2/exchange" || path === "/oauth2/token") {
        const handler = path === "/oauth2/exchange" ? this.exchange.bind(this) : this.token.bind(this);
        if (req.method !== "POST")
          return json(res, 405, { errors: [{ code: "UNSUPPORTED", message: "POST only" }] });
        readBody(req)
          .then((body) => handler(new URLSearchParams(body), res))
          .catch((err: unknown) => json(res, 500, { errors: [{ code: "UNKNOWN", message: String(err) }] }));
        return;
      }
      if (this.strictExpiry && this.expired(req.headers.authorization)) {
        this.expiredRefusals++;
        const scope = /^\/v2\/(.+)\/(?:manifests|blobs|tags|referrers)\//.exec(path ?? "")?.[1];
        res.setHeader(
          "www-authenticate",
          `Bearer realm="http://${this.host}/oauth2/token",service="${this.service}"` +
            (scope ? `,scope="repository:${scope}:pull"` : ""),
        );
        req.resume();
        return json(res, 401, {
          errors: [{ code: "UNAUTHORIZED", message: "the access token has expired" }],
        });
      }
      if (this.proxyDelayMs > 0) {
        setTimeout(() => this.proxy(req, res), this.proxyDelayMs);
        return;
      }
      this.proxy(req, res);
    });
    this.host = `127.0.0.1:${await listen(this.server)}`;
  }

  /**
   * Manifest PUTs and DELETEs go through the metadata catalog: refused while the manifest is
   * locked (once the caller holds a token that allows the operation, as ACR checks auth first),
   * recorded when the registry accepts them.
   */
  private proxy(req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse): void {
    const manifest = /^\/v2\/(.+)\/manifests\/([^/?]+)$/.exec((req.url ?? "").split("?")[0] ?? "");
    if (!manifest || (req.method !== "PUT" && req.method !== "DELETE")) return this.forward(req, res);
    const [, repository = "", reference = ""] = manifest;
    const action = req.method === "PUT" ? "push" : "delete";
    const authorized = this.allowed(req.headers.authorization, repository, action);
    if (req.method === "DELETE") {
      if (authorized && this.catalog.refuse("DELETE", repository, reference, res)) return void req.resume();
      return this.forward(req, res, undefined, (status) => {
        if (status === 202) this.catalog.deleted(repository, reference);
      });
    }
    readBytes(req, 8 * 1024 * 1024)
      .then((body) => {
        if (authorized && this.catalog.refuse("PUT", repository, reference, res)) return;
        const digest = `sha256:${createHash("sha256").update(body).digest("hex")}`;
        const mediaType = String(req.headers["content-type"] ?? "").split(";")[0] ?? "";
        this.forward(req, res, body, (status) => {
          if (status === 201) this.catalog.pushed(repository, reference, digest, mediaType, body.length);
        });
      })
      .catch(() => res.destroy());
  }

  private forward(
    req: import("node:http").IncomingMessage,
    res: import("node:http").ServerResponse,
    body?: Buffer,
    onStatus?: (status: number) => void,
  ): void {
    const up = request(
      `http://${this.upstream}${req.url ?? "/"}`,
      { method: req.method, headers: req.headers },
      (upRes) => {
        onStatus?.(upRes.statusCode ?? 502);
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
      },
    );
    up.on("error", () => res.destroy());
    if (body) up.end(body);
    else req.pipe(up);
  }

  /** True for a bearer token this stand-in signed, unexpired, granting `action` on `repository`. */
  private allowed(authorization: string | undefined, repository: string, action: string): boolean {
    const token = /^Bearer (.+)$/.exec(authorization ?? "")?.[1];
    const verified = token ? verifyJwt(token, createPublicKey(this.signer.key)) : undefined;
    if (!verified || !(Number(verified.claims["exp"]) > nowSeconds())) return false;
    const access = verified.claims["access"] as
      { type?: string; name?: string; actions?: string[] }[] | undefined;
    return (access ?? []).some(
      (a) => a.type === "repository" && a.name === repository && (a.actions ?? []).includes(action),
    );
  }

  /** True for a bearer token whose `exp` has passed (signature checks stay with distribution). */
  private expired(authorization: string | undefined): boolean {
    const token = /^Bearer (.+)$/.exec(authorization ?? "")?.[1];
    const payload = token?.split(".")[1];
    if (!payload) return false;
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { exp?: number };
    return typeof claims.exp === "number" && claims.exp <= nowSeconds();
  }

  private unauthorized(res: import("node:http").ServerResponse, message: string): void {
    json(res, 401, { errors: [{ code: "UNAUTHORIZED", message }] });
  }

  private exchange(form: URLSearchParams, res: import("node:http").ServerResponse): void {
    this.exchanges++;
    if (form.get("grant_type") !== "access_token")
      return json(res, 400, { errors: [{ code: "UNSUPPORTED", message: "unsupported grant_type" }] });
    if (form.get("service") !== this.service)
      return this.unauthorized(res, `invalid service ${form.get("service") ?? ""}`);
    const aad = verifyJwt(form.get("access_token") ?? "", createPublicKey(this.entraKey));
    if (!aad) return this.unauthorized(res, "invalid access token");
    const c = aad.claims;
    if (c["aud"] !== ACR_AUDIENCE)
      return this.unauthorized(res, `the access token audience ${String(c["aud"])} is not accepted`);
    if (!(Number(c["exp"]) > nowSeconds())) return this.unauthorized(res, "the access token has expired");
    const tenant = form.get("tenant");
    if (c["tid"] !== this.tenantId || (tenant !== null && tenant !== this.tenantId)) {
      return this.unauthorized(res, `the registry does not belong to tenant ${String(c["tid"])}`);
    }
    const now = nowSeconds();
    const refresh = signJwt(
      {
        iss: TOKEN_ISSUER,
        aud: this.service,
        sub: c["oid"],
        tenant: c["tid"],
        grant_type: "refresh_token",
        iat: now,
        nbf: now,
        exp: now + 3 * 3600,
        permissions: { actions: ["read", "write"] },
      },
      this.signer.key,
    );
    this.issued.push(refresh);
    json(res, 200, { refresh_token: refresh });
  }

  private token(form: URLSearchParams, res: import("node:http").ServerResponse): void {
    this.tokenRequests++;
    if (form.get("grant_type") !== "refresh_token")
      return json(res, 400, { errors: [{ code: "UNSUPPORTED", message: "unsupported grant_type" }] });
    if (form.get("service") !== this.service) return this.unauthorized(res, "invalid service");
    const refresh = verifyJwt(form.get("refresh_token") ?? "", createPublicKey(this.signer.key));
    if (
      !refresh ||
      refresh.claims["grant_type"] !== "refresh_token" ||
      !(Number(refresh.claims["exp"]) > nowSeconds())
    ) {
      return this.unauthorized(res, "invalid refresh token");
    }
    const roles = this.roles.get(String(refresh.claims["sub"])) ?? [];
    // The stand-in's reading of the roles for ACR's metadata actions: reading metadata goes
    // with pull, changing it (locks) with push.
    const allowed = new Set<string>([
      ...(roles.includes("AcrPull") || roles.includes("AcrPush") ? ["pull", "metadata_read"] : []),
      ...(roles.includes("AcrPush") ? ["push", "metadata_write"] : []),
      ...(roles.includes("AcrDelete") ? ["delete"] : []),
    ]);
    const access: { type: string; name: string; actions: string[] }[] = [];
    for (const scope of (form.get("scope") ?? "").split(" ").filter(Boolean)) {
      const parts = scope.split(":");
      if (parts.length < 3 || parts[0] !== "repository") continue;
      const actions = (parts[parts.length - 1] ?? "").split(",").map((a) => (a === "*" ? "delete" : a));
      const name = parts.slice(1, -1).join(":");
      const granted = actions.filter((a) => allowed.has(a));
      if (granted.length < actions.length && !allowed.has("pull")) {
        return json(res, 403, {
          errors: [{ code: "DENIED", message: `identity has no role on repository ${name}` }],
        });
      }
      access.push({ type: "repository", name, actions: granted });
    }
    const now = nowSeconds();
    const token = signJwt(
      {
        iss: TOKEN_ISSUER,
        sub: refresh.claims["sub"],
        aud: this.service,
        iat: now,
        nbf: now,
        // Rounded up: a whole-second exp issued late in a second would otherwise live for almost
        // nothing, and a fresh token could be refused at once (the 1-second expiry test).
        exp: Math.ceil(Date.now() / 1000) + this.accessTokenLifetime,
        access,
      },
      this.signer.key,
      { x5c: [this.signer.certDerBase64] },
    );
    this.issued.push(token);
    json(res, 200, { access_token: token });
  }

  async stop(): Promise<void> {
    if (this.server) await close(this.server);
  }
}
