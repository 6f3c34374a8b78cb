/**
 * A `CredentialProvider` that signs in to Entra ID and exchanges the token for an ACR refresh token,
 * for the configured registry hosts only: Entra tokens are never sent anywhere else.
 */
import type { Dispatcher } from "undici";
import { canonicalHost, type Credential, type CredentialProvider } from "../credential.js";
import type { EntraTokenSource } from "./entra.js";
import { ACR_REFRESH_TOKEN_USERNAME, exchangeAadToken, type AcrRefreshToken } from "./exchange.js";

/** Suffixes of ACR login servers in the Azure clouds. */
export const ACR_HOST_SUFFIXES = [".azurecr.io", ".azurecr.cn", ".azurecr.us"] as const;

/** True for an ACR login server of one of the Azure clouds (`<name>.azurecr.io`, ...). */
export function isAcrLoginServer(host: string): boolean {
  const h = canonicalHost(host);
  return ACR_HOST_SUFFIXES.some((s) => h.endsWith(s) && h.length > s.length && !h.includes(":"));
}

/** Options of {@link acrCredentialProvider}. */
export interface AcrProviderOptions {
  entra: EntraTokenSource;
  /**
   * Hosts (`host[:port]`) to sign in to. Other hosts get `undefined` from the provider, except ACR
   * login servers when `anyAcrHost` is set.
   */
  hosts: readonly string[];
  /** Also answer for any `*.azurecr.io` (and sovereign-cloud) login server. Default false. */
  anyAcrHost?: boolean;
  /** The registry is reached over plain http (test registries only); the exchange follows. */
  plainHttp?: boolean;
  dispatcher?: Dispatcher;
  /** Told each ACR refresh token (mask it in CI logs). */
  onSecret?: (secret: string) => void;
  /** One line per exchange, without secrets (`--verbose`). */
  trace?: (line: string) => void;
  /** A refresh token counts as expired this long before its `exp`. Default 5 minutes. */
  marginMs?: number;
  now?: () => number;
}

/** The provider, plus the count of exchanges made (tests and `--verbose`). */
export interface AcrCredentialProvider extends CredentialProvider {
  readonly exchanges: number;
}

/**
 * For a configured host: gets an Entra access token, exchanges it at `<origin>/oauth2/exchange`, and
 * answers `{ username: 00000000-…, refreshToken }`. The refresh token is cached per host until shortly
 * before its `exp`, and concurrent asks share one exchange, so a run exchanges once per registry.
 */
export function acrCredentialProvider(opts: AcrProviderOptions): AcrCredentialProvider {
  const wanted = new Set(opts.hosts.map(canonicalHost));
  const cache = new Map<string, AcrRefreshToken>();
  const pending = new Map<string, Promise<AcrRefreshToken>>();
  const margin = opts.marginMs ?? 5 * 60_000;
  const now = opts.now ?? Date.now;
  let exchanges = 0;

  const refresh = async (host: string): Promise<AcrRefreshToken> => {
    const aadToken = await opts.entra.getToken();
    const origin = `${opts.plainHttp ? "http" : "https"}://${host}`;
    opts.trace?.(`> POST ${origin}/oauth2/exchange (Entra ID ${opts.entra.settings.kind})`);
    exchanges++;
    const token = await exchangeAadToken({
      origin,
      service: host,
      aadToken,
      ...(opts.entra.settings.tenantId ? { tenantId: opts.entra.settings.tenantId } : {}),
      ...(opts.dispatcher ? { dispatcher: opts.dispatcher } : {}),
    });
    opts.onSecret?.(token.refreshToken);
    opts.trace?.(`< ACR refresh token for ${host}, valid until ${new Date(token.expiresAt).toISOString()}`);
    return token;
  };

  const provider = async (asked: string): Promise<Credential | undefined> => {
    const host = canonicalHost(asked);
    if (!wanted.has(host) && !(opts.anyAcrHost === true && isAcrLoginServer(host))) return undefined;
    const cached = cache.get(host);
    if (cached && now() < cached.expiresAt - margin) {
      return { username: ACR_REFRESH_TOKEN_USERNAME, refreshToken: cached.refreshToken };
    }
    let inFlight = pending.get(host);
    if (!inFlight) {
      inFlight = refresh(host);
      pending.set(host, inFlight);
      inFlight.finally(() => pending.delete(host)).catch(() => undefined);
    }
    const token = await inFlight;
    cache.set(host, token);
    return { username: ACR_REFRESH_TOKEN_USERNAME, refreshToken: token.refreshToken };
  };
  Object.defineProperty(provider, "exchanges", { get: () => exchanges });
  return provider as AcrCredentialProvider;
}
