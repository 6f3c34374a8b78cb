/**
 * Bearer tokens from a registry's token service.
 * - Token: https://distribution.github.io/distribution/spec/auth/token/
 * - OAuth2: https://distribution.github.io/distribution/spec/auth/oauth/
 *
 * Which request is sent follows oras-go (`registry/remote/auth/client.go`): a ready access token is
 * used as is; a refresh token goes through the OAuth2 POST; username/password through the GET with
 * Basic auth (or the OAuth2 password grant with `forceOAuth2`); no credential through an anonymous GET.
 */
import type { Dispatcher } from "undici";
import { OcigraphError, type ErrorCode, type RegistryErrorDetail } from "../oci/errors.js";
import { isLoopback } from "../oci/host.js";
import type { Challenge } from "./challenge.js";
import type { Credential } from "./credential.js";
import { credentialSecrets, oneLine, redactText } from "./redact.js";
import { refuseRedirect, requestWithoutRedirect } from "./no-redirect.js";

export { TokenCache, type TokenCacheOptions } from "./token-cache.js";

/** A bearer access token and when it stops being valid. */
export interface BearerToken {
  token: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  /** A refresh token, when the service handed one out (OAuth2, or `offline_token`). */
  refreshToken?: string;
}

/** Options of {@link fetchBearerToken}. */
export interface FetchBearerTokenOptions {
  /** The `Bearer` challenge; its `realm` is the token service, `service` is sent along. */
  challenge: Challenge;
  /** Scopes to ask for, sent as given (merge the challenge's own `scope` in first: `challengeScopes`). */
  scopes: readonly string[];
  /** Missing or empty: an anonymous token. */
  credential?: Credential;
  dispatcher: Dispatcher;
  /** OAuth2 `client_id`. Default `"ocigraph"`. */
  clientId?: string;
  /**
   * Allow a plain-http realm on a non-loopback host. Set it only when the registry itself is reached
   * over plain http; otherwise credentials would cross the network in clear. Default false.
   */
  allowInsecureRealm?: boolean;
  /** Use the OAuth2 password grant instead of the GET with Basic auth for username/password. */
  forceOAuth2?: boolean;
  /** Sent as `User-Agent` when given. */
  userAgent?: string;
  signal?: AbortSignal;
  /** Clock, for tests. Default `Date.now`. */
  now?: () => number;
}

/** Lifetime assumed when the service does not say (`expires_in`), per the token spec. */
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 60;
/** Largest token response read. */
export const MAX_TOKEN_RESPONSE_BYTES = 1024 * 1024;

function realmUrl(challenge: Challenge, allowInsecure: boolean): URL {
  const realm = Object.hasOwn(challenge.params, "realm") ? challenge.params["realm"] : undefined;
  let url: URL | undefined;
  try {
    url = realm === undefined ? undefined : new URL(realm);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== "https:" && url.protocol !== "http:")) {
    throw new OcigraphError("REGISTRY", "The registry asked for a bearer token without a usable realm URL.", {
      hint: "The registry's WWW-Authenticate header must name an http(s) token service in realm=.",
    });
  }
  if (url.protocol === "http:" && !allowInsecure && !isLoopback(url.hostname)) {
    throw new OcigraphError(
      "REGISTRY",
      `The registry's token service http://${url.host} is plain http; refusing to send credentials there.`,
      {
        hint: "Only when the registry itself is reached over plain http (--plain-http) is a plain-http token service accepted.",
      },
    );
  }
  url.username = "";
  url.password = "";
  return url;
}

function secretsOf(cred: Credential | undefined): string[] {
  return cred === undefined ? [] : credentialSecrets(cred);
}

async function readLimited(body: Dispatcher.ResponseData["body"], host: string): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    size += b.length;
    if (size > MAX_TOKEN_RESPONSE_BYTES) {
      body.destroy();
      throw new OcigraphError("TOO_LARGE", `The token service ${host} answered more than 1 MiB.`);
    }
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === "object" && v !== null && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The server's own words from an error body: distribution `errors[]`, OAuth2 `error`, or plain text. */
function errorText(text: string): { said: string; details: RegistryErrorDetail[] } {
  const json = parseJson(text);
  const details: RegistryErrorDetail[] = [];
  if (json !== undefined) {
    const errors = json["errors"];
    if (Array.isArray(errors)) {
      for (const e of errors.slice(0, 10)) {
        if (typeof e !== "object" || e === null) continue;
        const o = e as Record<string, unknown>;
        if (typeof o["code"] !== "string") continue;
        details.push(
          typeof o["message"] === "string" ? { code: o["code"], message: o["message"] } : { code: o["code"] },
        );
      }
    }
    const parts = details.map((d) => (d.message === undefined ? d.code : `${d.code}: ${d.message}`));
    for (const k of ["error", "error_description", "message", "details"]) {
      const v = json[k];
      if (typeof v === "string" && v !== "") parts.push(v);
    }
    return { said: parts.join("; "), details };
  }
  return { said: text.trim(), details };
}

/**
 * What to try, by status: a 403 means the identity is known but lacks a role for these scopes. A
 * refused push or delete scope says nothing of pull (ACR refuses an identity with no role at all the
 * same way), so the hint claims no access it has not seen.
 */
function tokenHint(status: number, hadCredentials: boolean, scopes: readonly string[]): string {
  if (status === 403) {
    const pushing = scopes.some((s) => /:(?:[^:]*,)?(push|delete)(?:,|$)/.test(s));
    return pushing
      ? "The identity lacks push or delete permission on this repository (perhaps any permission): grant it push permission there (on ACR: AcrPush, which includes pull; AcrDelete to delete)."
      : "The identity has no pull access to this repository: grant it a pull role (on ACR: AcrPull).";
  }
  return hadCredentials
    ? "Check the credentials for this registry (log in again)."
    : "Log in: this registry wants credentials.";
}

function statusCode(status: number): ErrorCode {
  if (status === 403) return "DENIED";
  if (status === 429 || status >= 500) return "REGISTRY";
  return "UNAUTHORIZED";
}

/**
 * Gets a bearer token from the token service a `Bearer` challenge names.
 *
 * @throws OcigraphError UNAUTHORIZED (401/400/other 4xx), DENIED (403), REGISTRY (429, 5xx, no token in
 *   the answer, realm missing or plain http), TOO_LARGE (answer over 1 MiB), NETWORK. Messages name the
 *   realm host, the status and what the service said; never a credential.
 */
export async function fetchBearerToken(opts: FetchBearerTokenOptions): Promise<BearerToken> {
  const now = opts.now ?? Date.now;
  const cred = opts.credential;
  if (cred?.accessToken !== undefined && cred.accessToken !== "") {
    return { token: cred.accessToken, expiresAt: now() + DEFAULT_TOKEN_LIFETIME_SECONDS * 1000 };
  }
  const url = realmUrl(opts.challenge, opts.allowInsecureRealm === true);
  const service = Object.hasOwn(opts.challenge.params, "service")
    ? opts.challenge.params["service"]
    : undefined;
  const headers: Record<string, string> = { accept: "application/json" };
  if (opts.userAgent !== undefined) headers["user-agent"] = opts.userAgent;

  const hasRefresh = cred?.refreshToken !== undefined && cred.refreshToken !== "";
  const hasUser = (cred?.username ?? "") !== "" || (cred?.password ?? "") !== "";
  let method: "GET" | "POST" = "GET";
  let body: string | undefined;
  if (hasRefresh || (hasUser && opts.forceOAuth2 === true)) {
    const form = new URLSearchParams();
    if (hasRefresh) {
      form.set("grant_type", "refresh_token");
      form.set("refresh_token", cred?.refreshToken ?? "");
    } else {
      form.set("grant_type", "password");
      form.set("username", cred?.username ?? "");
      form.set("password", cred?.password ?? "");
    }
    if (service !== undefined) form.set("service", service);
    form.set("client_id", opts.clientId ?? "ocigraph");
    if (opts.scopes.length > 0) form.set("scope", opts.scopes.join(" "));
    method = "POST";
    body = form.toString();
    headers["content-type"] = "application/x-www-form-urlencoded";
  } else {
    if (service !== undefined) url.searchParams.set("service", service);
    for (const scope of opts.scopes) url.searchParams.append("scope", scope);
    if (hasUser) {
      const basic = Buffer.from(`${cred?.username ?? ""}:${cred?.password ?? ""}`, "utf8").toString("base64");
      headers["authorization"] = `Basic ${basic}`;
    }
  }

  const host = url.host;
  const secrets = secretsOf(cred);
  const started = now();
  let res: Dispatcher.ResponseData;
  try {
    // Never follow a redirect: undici would re-send the body (a refresh token, a password) to
    // wherever the Location points, another origin or plain http included.
    res = await requestWithoutRedirect(url, {
      method,
      headers,
      body,
      dispatcher: opts.dispatcher,
      signal: opts.signal,
    });
  } catch (err) {
    throw new OcigraphError(
      "NETWORK",
      `Could not reach the token service ${host}: ${redactText(String((err as Error).message), secrets)}`,
      {
        cause: err,
        hint: "Check the network path to the registry's token service.",
      },
    );
  }
  await refuseRedirect(res, `The token service ${host}`, url);
  const text = await readLimited(res.body, host);

  if (res.statusCode < 200 || res.statusCode > 299) {
    const { said, details } = errorText(text);
    const clean = oneLine(redactText(said, secrets).slice(0, 300));
    const kind = hasRefresh ? "refresh token" : "credentials";
    const who =
      hasRefresh || hasUser ? `${kind}${cred?.source ? ` from ${cred.source}` : ""}` : "anonymous access";
    throw new OcigraphError(
      statusCode(res.statusCode),
      `The token service ${host} refused a token (${method}, ${who}): HTTP ${res.statusCode}${clean === "" ? "" : ` ${clean}`}`,
      {
        status: res.statusCode,
        // the server may echo what it was sent; reporters print these too
        registryErrors: details.map((d) =>
          d.message === undefined ? d : { ...d, message: redactText(d.message, secrets) },
        ),
        hint: tokenHint(res.statusCode, hasUser || hasRefresh, opts.scopes),
      },
    );
  }

  const json = parseJson(text);
  const pick = (k: string): string | undefined => {
    const v = json?.[k];
    return typeof v === "string" && v !== "" ? v : undefined;
  };
  const token = pick("access_token") ?? pick("token");
  if (token === undefined) {
    throw new OcigraphError(
      "REGISTRY",
      `The token service ${host} answered HTTP ${res.statusCode} without a token.`,
    );
  }
  const expiresIn = json?.["expires_in"];
  const lifetime =
    typeof expiresIn === "number" && Number.isFinite(expiresIn) && expiresIn > 0
      ? expiresIn
      : DEFAULT_TOKEN_LIFETIME_SECONDS;
  // a server clock ahead of ours must not make the token look fresher than it is
  const issuedRaw = pick("issued_at");
  const issued = issuedRaw === undefined ? Number.NaN : Date.parse(issuedRaw);
  const base = Number.isFinite(issued) ? Math.min(issued, started) : started;
  const out: BearerToken = { token, expiresAt: base + lifetime * 1000 };
  const refresh = pick("refresh_token");
  if (refresh !== undefined) out.refreshToken = refresh;
  return out;
}
