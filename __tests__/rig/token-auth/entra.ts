// A stand-in for Entra ID's token endpoint (HTTPS, test CA), serving what @azure/identity's MSAL asks:
// the tenant's OpenID configuration, then the client-credentials grant with a client secret, a client
// assertion (federated token: GitHub OIDC, workload identity) or a certificate-signed assertion.
// Errors carry the AADSTS codes Entra uses.
import { createServer, type Server } from "node:https";
import { generateKeyPairSync, X509Certificate, type KeyObject } from "node:crypto";
import type { IncomingMessage, Server as HttpServer, ServerResponse } from "node:http";
import { close, json, listen, readBody } from "./http";
import { nowSeconds, signJwt, verifyJwt } from "./jwt";
import type { KeyAndCert } from "./pki";

/** A federated credential: tokens from this issuer, for this subject, become the app. */
export interface Federated {
  issuer: string;
  subject: string;
  audience: string;
}

export interface EntraApp {
  clientId: string;
  tenantId: string;
  objectId: string;
  secret?: string;
  federated?: Federated[];
  certificatePem?: string;
}

/** An issuer of federated tokens (GitHub's OIDC, a Kubernetes cluster): its URL and signing key. */
export interface TokenIssuer {
  url: string;
  key: KeyObject;
}

export const ACR_AUDIENCE = "https://containerregistry.azure.net";

export class EntraStandIn {
  private server: Server | undefined;
  base = "";
  readonly apps = new Map<string, EntraApp>();
  readonly issuers: TokenIssuer[] = [];
  /** Signs the access tokens it issues; the ACR stand-in verifies them with it. */
  readonly key = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
  tokenRequests = 0;
  readonly tenants = new Set<string>();
  /** Every access token issued (tests check where they went). */
  readonly issued: string[] = [];

  constructor(private readonly tls: KeyAndCert) {}

  async start(): Promise<void> {
    this.server = createServer({ key: this.tls.keyPem, cert: this.tls.certPem }, (req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        json(res, 500, { error: "server_error", error_description: String(err) });
      });
    });
    this.base = `https://127.0.0.1:${await listen(this.server)}`;
  }

  addApp(app: EntraApp): void {
    this.apps.set(app.clientId, app);
    this.tenants.add(app.tenantId);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? "";
    const url = new URL(req.url ?? "/", "https://x");
    const [, tenant, ...rest] = url.pathname.split("/");
    const route = rest.join("/");
    const aadError = (status: number, error: string, code: string, text: string) =>
      json(res, status, {
        error,
        error_description: `${code}: ${text} Trace ID: 0 Correlation ID: 0 Timestamp: ${new Date().toISOString()}`,
        error_codes: [Number(code.slice(6))],
      });
    if (tenant === undefined || !this.tenants.has(tenant)) {
      return aadError(400, "invalid_request", "AADSTS90002", `Tenant '${tenant ?? ""}' not found.`);
    }
    if (method === "GET" && route === "v2.0/.well-known/openid-configuration") {
      const b = `${this.base}/${tenant}`;
      return json(res, 200, {
        token_endpoint: `${b}/oauth2/v2.0/token`,
        authorization_endpoint: `${b}/oauth2/v2.0/authorize`,
        device_authorization_endpoint: `${b}/oauth2/v2.0/devicecode`,
        end_session_endpoint: `${b}/oauth2/v2.0/logout`,
        issuer: `${b}/v2.0`,
        jwks_uri: `${b}/discovery/v2.0/keys`,
        token_endpoint_auth_methods_supported: [
          "client_secret_post",
          "private_key_jwt",
          "client_secret_basic",
        ],
        response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
        scopes_supported: ["openid", "profile", "email", "offline_access"],
        subject_types_supported: ["pairwise"],
        id_token_signing_alg_values_supported: ["RS256"],
        tenant_region_scope: "NA",
        cloud_instance_name: "microsoftonline.com",
        http_logout_supported: true,
        frontchannel_logout_supported: true,
      });
    }
    if (method !== "POST" || route !== "oauth2/v2.0/token") {
      return json(res, 404, { error: "not_found" });
    }
    this.tokenRequests++;
    const form = new URLSearchParams(await readBody(req));
    const app = this.apps.get(form.get("client_id") ?? "");
    if (!app || app.tenantId !== tenant) {
      return aadError(
        400,
        "unauthorized_client",
        "AADSTS700016",
        `Application with identifier '${form.get("client_id") ?? ""}' was not found in the directory '${tenant}'.`,
      );
    }
    if (form.get("grant_type") !== "client_credentials") {
      return aadError(400, "unsupported_grant_type", "AADSTS70003", "The grant type is not supported.");
    }
    const scope = form.get("scope") ?? "";
    const resource = scope
      .split(" ")
      .find((s) => s.endsWith("/.default"))
      ?.slice(0, -"/.default".length);
    if (resource !== ACR_AUDIENCE) {
      return aadError(
        400,
        "invalid_resource",
        "AADSTS500011",
        `The resource principal named ${resource ?? scope} was not found in the tenant.`,
      );
    }
    const secret = form.get("client_secret");
    const assertion = form.get("client_assertion");
    if (secret !== null) {
      if (app.secret === undefined || secret !== app.secret) {
        return aadError(401, "invalid_client", "AADSTS7000215", "Invalid client secret provided.");
      }
    } else if (assertion !== null) {
      const problem = this.checkAssertion(app, assertion, `${this.base}/${tenant}/oauth2/v2.0/token`);
      if (problem) return aadError(400, "invalid_client", problem[0], problem[1]);
    } else {
      return aadError(
        401,
        "invalid_client",
        "AADSTS7000218",
        "The request body must contain client_assertion or client_secret.",
      );
    }
    const accessToken = this.accessToken(tenant, app.objectId, app.clientId);
    return json(res, 200, {
      token_type: "Bearer",
      expires_in: 3599,
      ext_expires_in: 3599,
      access_token: accessToken,
    });
  }

  /**
   * An ACR-audience access token as this Entra issues it, for an identity signed in some other way
   * (a managed identity endpoint, an Azure CLI session): the ACR stand-in accepts it.
   */
  accessToken(tenant: string, objectId: string, clientId: string, lifetime = 3600): string {
    const now = nowSeconds();
    const token = signJwt(
      {
        aud: ACR_AUDIENCE,
        iss: `${this.base}/${tenant}/`,
        tid: tenant,
        oid: objectId,
        appid: clientId,
        iat: now,
        nbf: now,
        exp: now + lifetime,
      },
      this.key,
    );
    this.issued.push(token);
    return token;
  }

  /** undefined when the assertion proves the app; else [AADSTS code, message]. */
  private checkAssertion(
    app: EntraApp,
    assertion: string,
    tokenEndpoint: string,
  ): [string, string] | undefined {
    const now = nowSeconds();
    // a certificate-signed assertion made by MSAL itself
    if (app.certificatePem) {
      const signed = verifyJwt(assertion, new X509Certificate(app.certificatePem).publicKey);
      if (signed) {
        if (signed.claims["aud"] !== tokenEndpoint || signed.claims["sub"] !== app.clientId) {
          return ["AADSTS700021", "Client assertion audience claim does not match Realm issuer."];
        }
        return Number(signed.claims["exp"]) < now
          ? ["AADSTS700024", "Client assertion is not within its valid time range."]
          : undefined;
      }
    }
    for (const issuer of this.issuers) {
      const signed = verifyJwt(assertion, issuer.key);
      if (!signed) continue;
      const { claims } = signed;
      const exp = Number(claims["exp"]);
      if (!(exp > now)) {
        return [
          "AADSTS700024",
          `Client assertion is not within its valid time range. Current time: ${new Date().toISOString()}, assertion valid to: ${new Date(exp * 1000).toISOString()}.`,
        ];
      }
      const match = (app.federated ?? []).find(
        (f) => f.issuer === claims["iss"] && f.subject === claims["sub"] && f.audience === claims["aud"],
      );
      if (!match) {
        return [
          "AADSTS700213",
          `No matching federated identity record found for presented assertion subject '${String(claims["sub"])}'.`,
        ];
      }
      return undefined;
    }
    return ["AADSTS50027", "JWT token is invalid or malformed."];
  }

  async stop(): Promise<void> {
    if (this.server) await close(this.server as unknown as HttpServer);
  }
}
