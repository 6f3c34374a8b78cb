import type { Readable } from "node:stream";
import type { Dispatcher } from "undici";
import { parseWwwAuthenticate, type Challenge } from "../auth/challenge.js";
import { hasSecret, type Credential, type CredentialProvider } from "../auth/credential.js";
import { mergeScopes, scopeKey, challengeScopes } from "../auth/scope.js";
import { TokenCache, fetchBearerToken, type BearerToken } from "../auth/token.js";
import { SecretSet, credentialSecrets, redactUrl } from "../auth/redact.js";
import { OcigraphError, isOcigraphError } from "../oci/errors.js";
import { isLoopback } from "../oci/host.js";
import { networkError } from "./errors.js";

/** A body that can be sent again: bytes, or a factory that re-opens the stream. */
export type RequestBody = Buffer | (() => Readable | Promise<Readable>);

export interface RegistryRequest {
  method: "GET" | "HEAD" | "PUT" | "POST" | "PATCH" | "DELETE";
  /** Path and query on the registry (`/v2/...`), or an absolute URL (upload locations). */
  path: string;
  /** Token scopes this request needs, e.g. `repository:foo:pull,push`. */
  scopes: readonly string[];
  headers?: Record<string, string>;
  body?: RequestBody;
  /**
   * Send once, never retried by the transport. For a write computed from an earlier read (the
   * fallback index): sent again after a backoff it would be a stale merge; the caller re-reads.
   */
  once?: boolean;
  /**
   * Called right before each send (the first, and the resend after a 401 challenge, which may
   * follow a token fetch): throws to cancel. A write built on a read checks its age here.
   */
  beforeSend?: () => void;
}

export interface RegistryResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Dispatcher.ResponseData["body"];
  /** The URL that was asked (redacted when traced). */
  url: URL;
  /** Redacts, in text from this answer, every secret the client has sent. */
  redact: (text: string) => string;
  /** On a 401 or 403: what was asked and which credentials were tried, for the error message. */
  auth?: AuthOutcome;
}

/** Which credentials a refused request carried. */
export interface AuthOutcome {
  method: RegistryRequest["method"];
  /** The source of the credential sent (`-u/-p`, the docker config, ...); undefined: none was found. */
  source?: string;
  /** Every source asked for this host, in order (where we looked). */
  looked: readonly string[];
  /**
   * A 401 whose Bearer challenge says `error="insufficient_scope"`: the token was good but lacks
   * the action (an identity that may pull, asked to push), not wrong credentials.
   */
  insufficientScope?: boolean;
}

export interface RegistryClientOptions {
  /** `host[:port]` of the registry API. */
  host: string;
  plainHttp?: boolean;
  dispatcher: Dispatcher;
  credentials?: CredentialProvider;
  /** Receives one line per request and response, secrets redacted (`--verbose`). */
  trace?: (line: string) => void;
  userAgent?: string;
  /** Headers-received timeout per request (ms); 0 means the default (60 s). */
  timeoutMs?: number;
  /** The names of the sources `credentials` asks, in order (for "no credentials: looked in ..."). */
  credentialSources?: readonly string[];
  /**
   * A Bearer realm on another host than the registry may receive the credentials (docker and
   * oras do this; Docker Hub needs it). False refuses (`--no-cross-host-realm`). Default true,
   * with a warning the first time.
   */
  crossHostRealm?: boolean;
  /** Receives warnings (one line each): a realm on another host getting credentials. */
  onWarning?: (message: string) => void;
}

type AuthState =
  { kind: "none" } | { kind: "basic"; header: string } | { kind: "bearer"; challenge: Challenge };

/**
 * One registry host: sends requests with the right credentials, answers 401 challenges
 * (Basic, or Bearer through the token service) once per scope set, and caches tokens per
 * scope until shortly before they expire. Authorization is only ever sent to this origin.
 */
export class RegistryClient {
  readonly origin: string;
  private auth: AuthState = { kind: "none" };
  private readonly tokens = new TokenCache();
  /** One token request in flight per scope set, shared by concurrent requests. */
  private readonly pendingTokens = new Map<string, Promise<BearerToken>>();
  /** Everything secret this client sent: an error body echoing it is redacted ({@link redact}). */
  private readonly secrets = new SecretSet();
  private warnedRealms = new Set<string>();

  constructor(private readonly options: RegistryClientOptions) {
    this.origin = `${options.plainHttp ? "http" : "https"}://${options.host}`;
  }

  get host(): string {
    return this.options.host;
  }

  /**
   * Asked on every token fetch, not remembered: providers cache what is worth caching (the ACR
   * provider renews its refresh token before `exp`, so a copy that outlives it goes on).
   */
  private async getCredential(challenge: Challenge): Promise<Credential | undefined> {
    const cred = this.options.credentials
      ? await this.options.credentials(this.options.host, challenge)
      : undefined;
    if (cred) this.secrets.add(...credentialSecrets(cred));
    this.lastCredentialSource = hasSecret(cred) ? (cred?.source ?? "the credentials given") : undefined;
    return cred;
  }

  /** The source of the credential last answered for this host (undefined: none found). */
  private lastCredentialSource: string | undefined;

  /** `response`, with what a 401 or 403 needs to explain itself. */
  private withAuth(response: RegistryResponse, method: RegistryRequest["method"]): RegistryResponse {
    if (response.status !== 401 && response.status !== 403) return response;
    const source = this.auth.kind === "none" ? undefined : this.lastCredentialSource;
    const header = response.headers["www-authenticate"];
    const insufficientScope =
      response.status === 401 &&
      parseWwwAuthenticate(Array.isArray(header) ? header.join(", ") : (header ?? "")).some(
        (c) => c.scheme === "bearer" && c.params["error"] === "insufficient_scope",
      );
    return {
      ...response,
      auth: {
        method,
        ...(source ? { source } : {}),
        looked: this.options.credentialSources ?? [],
        ...(insufficientScope ? { insufficientScope } : {}),
      },
    };
  }

  /** `text` with every secret this client has sent (or received as a token) replaced by `***`. */
  redact(text: string): string {
    return this.secrets.redact(text);
  }

  /** Sends a request, authenticating on a 401 challenge and retrying once with credentials. */
  async request(req: RegistryRequest): Promise<RegistryResponse> {
    const url = new URL(req.path, this.origin);
    if (url.origin !== this.origin && url.protocol === "http:" && !this.options.plainHttp) {
      throw new OcigraphError(
        "INVALID_CONTENT",
        `${this.host} sent a location that downgrades to plain http: refused`,
      );
    }
    const sameOrigin = url.origin === this.origin;
    let authorization = sameOrigin ? await this.authorizationFor(req.scopes, false) : undefined;
    req.beforeSend?.();
    let response = await this.send(req, url, authorization);
    if (response.status === 401 && sameOrigin) {
      const header = response.headers["www-authenticate"];
      const challenges = parseWwwAuthenticate(Array.isArray(header) ? header.join(", ") : (header ?? ""));
      await response.body.dump({ limit: 64 * 1024 }).catch(() => undefined);
      const usable =
        challenges.find((c) => c.scheme === "bearer") ?? challenges.find((c) => c.scheme === "basic");
      if (!usable) return this.withAuth(response, req.method);
      const challengeScope = challengeScopes(usable.params);
      this.auth =
        usable.scheme === "bearer" ? { kind: "bearer", challenge: usable } : await this.basicState(usable);
      authorization = await this.authorizationFor(mergeScopes([...req.scopes, ...challengeScope]), true);
      req.beforeSend?.();
      if (authorization === undefined) return this.withAuth(await this.send(req, url, undefined), req.method);
      response = await this.send(req, url, authorization);
    }
    return sameOrigin ? this.withAuth(response, req.method) : response;
  }

  private async basicState(challenge: Challenge): Promise<AuthState> {
    const cred = await this.getCredential(challenge);
    if (!cred?.username || cred.password === undefined) return { kind: "none" };
    const header = `Basic ${Buffer.from(`${cred.username}:${cred.password}`).toString("base64")}`;
    this.secrets.add(header);
    return { kind: "basic", header };
  }

  private async authorizationFor(scopes: readonly string[], refresh: boolean): Promise<string | undefined> {
    const auth = this.auth;
    if (auth.kind === "none") return undefined;
    if (auth.kind === "basic") return auth.header;
    const merged = mergeScopes([...scopes]);
    const { realm = "", service } = auth.challenge.params;
    const cached = refresh ? undefined : this.tokens.get(realm, service, merged);
    if (cached) return `Bearer ${cached}`;
    const key = scopeKey(merged);
    let pending = this.pendingTokens.get(key);
    if (!pending) {
      pending = this.fetchToken(auth.challenge, merged);
      this.pendingTokens.set(key, pending);
      pending.finally(() => this.pendingTokens.delete(key)).catch(() => undefined);
    }
    const token = await pending;
    this.secrets.add(token.token, ...(token.refreshToken ? [token.refreshToken] : []));
    this.tokens.set(realm, service, merged, token);
    return `Bearer ${token.token}`;
  }

  /**
   * A refresh token the token service refuses with 401 before its time (ACR revoked it, or the
   * registry restarted its signing key) is reported to the provider, which forgets it; the token
   * is then asked once more with what the provider answers next (for ACR: a fresh exchange).
   */
  private async fetchToken(challenge: Challenge, scopes: string[]): Promise<BearerToken> {
    const ask = async (): Promise<{ credential: Credential | undefined; token: Promise<BearerToken> }> => {
      const credential = await this.getCredential(challenge);
      if (credential && (credential.password || credential.refreshToken)) this.checkRealmHost(challenge);
      const token = fetchBearerToken({
        challenge,
        scopes,
        ...(credential ? { credential } : {}),
        dispatcher: this.options.dispatcher,
        allowInsecureRealm: Boolean(this.options.plainHttp) || isLoopback(this.options.host),
      });
      return { credential, token };
    };
    const first = await ask();
    try {
      return await first.token;
    } catch (err) {
      const refused = first.credential?.refreshToken !== undefined && isOcigraphError(err, "UNAUTHORIZED");
      const provider = this.options.credentials;
      if (!refused || !provider?.refused || !first.credential) throw err;
      provider.refused(this.options.host, first.credential);
      return (await ask()).token;
    }
  }

  /**
   * A realm on another host receives the credentials, as docker does (Docker Hub's token service
   * is auth.docker.io); warned about once per realm host, refused with `crossHostRealm: false`.
   */
  private checkRealmHost(challenge: Challenge): void {
    let realmHost: string;
    try {
      realmHost = new URL(challenge.params["realm"] ?? "").hostname.toLowerCase();
    } catch {
      return; // fetchBearerToken reports the unusable realm
    }
    if (realmHost === hostnameOf(this.options.host)) return;
    if (this.options.crossHostRealm === false) {
      throw new OcigraphError(
        "DENIED",
        `${this.host} sends its credentials to a token service on another host (${realmHost}): refused`,
        { hint: "drop --no-cross-host-realm (input cross-host-realm: true) if you trust that token service" },
      );
    }
    if (this.warnedRealms.has(realmHost)) return;
    this.warnedRealms.add(realmHost);
    this.options.onWarning?.(
      `${this.host} sends its credentials to a token service on another host (${realmHost}); ` +
        "pass --no-cross-host-realm (input cross-host-realm: false) to refuse",
    );
  }

  private async send(
    req: RegistryRequest,
    url: URL,
    authorization: string | undefined,
  ): Promise<RegistryResponse> {
    const headers: Record<string, string> = {
      "user-agent": this.options.userAgent ?? "ocigraph",
      ...req.headers,
    };
    if (authorization) headers.authorization = authorization;
    const body = req.body === undefined ? undefined : Buffer.isBuffer(req.body) ? req.body : await req.body();
    this.options.trace?.(`> ${req.method} ${redactUrl(url.toString())}`);
    const timeoutMs = this.options.timeoutMs || 60_000;
    // headersTimeout/bodyTimeout only catch silence: a registry trickling a manifest, a
    // referrers page or an error body one byte at a time would hold the process forever.
    // Everything but blob transfers (whose size is known and verified, and which may be
    // legitimately long) is small, so it gets one deadline for the whole exchange.
    const deadline = /\/blobs\//.test(url.pathname) ? undefined : new AbortController();
    const timer = deadline
      ? setTimeout(
          () =>
            deadline.abort(
              new OcigraphError(
                "NETWORK",
                `${this.host} did not finish answering ${req.method} ${redactUrl(url.toString())} within ${timeoutMs} ms`,
                {
                  hint: "the registry or a proxy in front of it is stalling; run again later",
                },
              ),
            ),
          timeoutMs,
        ).unref()
      : undefined;
    try {
      const res = await this.options.dispatcher.request({
        origin: url.origin,
        path: url.pathname + url.search,
        method: req.method,
        headers,
        ...(body !== undefined ? { body } : {}),
        ...(deadline ? { signal: deadline.signal } : {}),
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        // Read by undici's retry interceptor (not in the request option types).
        ...(req.once ? { retryOptions: { maxRetries: 0 } } : {}),
      } as Dispatcher.RequestOptions);
      if (timer) res.body.once("close", () => clearTimeout(timer));
      this.options.trace?.(`< ${res.statusCode} ${req.method} ${redactUrl(url.toString())}`);
      return {
        status: res.statusCode,
        headers: res.headers,
        body: res.body,
        url,
        redact: (text) => this.redact(text),
      };
    } catch (err) {
      clearTimeout(timer);
      if (body !== undefined && !Buffer.isBuffer(body)) body.destroy();
      if (deadline?.signal.aborted && deadline.signal.reason instanceof OcigraphError)
        throw deadline.signal.reason;
      if (isOcigraphError(err)) throw err; // a refused redirect, already one sentence
      throw networkError(this.host, err);
    }
  }
}

function hostnameOf(hostPort: string): string {
  try {
    return new URL(`http://${hostPort}`).hostname.toLowerCase();
  } catch {
    return hostPort.toLowerCase();
  }
}

/** The first value of a header. */
export function headerValue(headers: RegistryResponse["headers"], name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}
