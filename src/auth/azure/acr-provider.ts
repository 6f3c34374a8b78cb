/**
 * A `CredentialProvider` that signs in to Entra ID and exchanges the token for an ACR refresh token,
 * for ACR login servers only: an Entra token is never sent anywhere else.
 */
import type { Dispatcher } from "undici";
import { normalizeHost } from "../../oci/host.js";
import type { Challenge } from "../challenge.js";
import type { Credential, CredentialProvider } from "../credential.js";
import type { EntraTokenSource } from "./entra.js";
import { ACR_REFRESH_TOKEN_USERNAME, exchangeAadToken, type AcrRefreshToken } from "./exchange.js";

/**
 * Suffixes of ACR login servers in the Azure clouds, as the Azure CLI's cloud definitions list them
 * (`acr_login_server_endpoint`: AzureCloud, AzureChinaCloud, AzureUSGovernment; Azure Germany had none).
 */
export const ACR_HOST_SUFFIXES = [".azurecr.io", ".azurecr.cn", ".azurecr.us"] as const;

/** True for an ACR login server of one of the Azure clouds (`<name>.azurecr.io`, ...), no port. */
export function isAcrLoginServer(host: string): boolean {
  const h = normalizeHost(host);
  return ACR_HOST_SUFFIXES.some((s) => h.endsWith(s) && h.length > s.length && !h.includes(":"));
}

/**
 * True when `challenge` sends the client to `host`'s own token endpoint (`<origin>/oauth2/token`),
 * as ACR does. A registry whose challenge names another realm is not an ACR (or is behind something
 * that answers for it): an exchanged token must not go there.
 */
export function challengesForOwnToken(
  host: string,
  origin: string,
  challenge: Challenge | undefined,
): boolean {
  if (challenge?.scheme !== "bearer") return false;
  const realm = Object.hasOwn(challenge.params, "realm") ? challenge.params["realm"] : undefined;
  let url: URL;
  try {
    url = new URL(realm ?? "");
  } catch {
    return false;
  }
  return (
    url.origin === new URL(origin).origin &&
    url.pathname.replace(/\/+$/, "") === "/oauth2/token" &&
    normalizeHost(url.host) === normalizeHost(host)
  );
}

/** Options of {@link acrCredentialProvider}. */
export interface AcrProviderOptions {
  entra: EntraTokenSource;
  /**
   * Hosts (`host[:port]`) named for Entra ID sign-in (`--azure-registry`), besides the ACR login
   * servers of {@link ACR_HOST_SUFFIXES}, which are always included.
   */
  hosts: readonly string[];
  /** The registry is reached over plain http (test registries only); the exchange follows. */
  plainHttp?: boolean | ((host: string) => boolean);
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
 * For a covered host whose challenge names its own `/oauth2/token`: gets an Entra access token,
 * exchanges it at `<origin>/oauth2/exchange`, and answers `{ username: 00000000-…, refreshToken }`.
 * Any other host, or a challenge naming another realm, gets `undefined` (the next provider answers).
 * The refresh token is cached per host until shortly before its `exp`, or until the token service
 * refuses it (`refused`); concurrent asks share one exchange.
 */
export function acrCredentialProvider(opts: AcrProviderOptions): AcrCredentialProvider {
  const named = new Set(opts.hosts.map(normalizeHost));
  const cache = new Map<string, AcrRefreshToken>();
  const pending = new Map<string, Promise<AcrRefreshToken>>();
  const margin = opts.marginMs ?? 5 * 60_000;
  const now = opts.now ?? Date.now;
  const plain = (host: string): boolean =>
    typeof opts.plainHttp === "function" ? opts.plainHttp(host) : opts.plainHttp === true;
  let exchanges = 0;

  // Checked here too, not only by the caller's credential table: defence in depth.
  const covers = (asked: string): boolean => named.has(normalizeHost(asked)) || isAcrLoginServer(asked);

  const refresh = async (host: string, origin: string): Promise<AcrRefreshToken> => {
    const aadToken = await opts.entra.getToken();
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

  const provider = async (asked: string, challenge?: Challenge): Promise<Credential | undefined> => {
    if (!covers(asked)) return undefined;
    const host = asked.toLowerCase();
    const origin = `${plain(host) ? "http" : "https"}://${host}`;
    if (!challengesForOwnToken(host, origin, challenge)) {
      opts.trace?.(`  ${host} does not ask for an ACR token: the Entra ID token is not sent there`);
      return undefined;
    }
    const cached = cache.get(host);
    if (cached && now() < cached.expiresAt - margin) {
      return { username: ACR_REFRESH_TOKEN_USERNAME, refreshToken: cached.refreshToken };
    }
    let inFlight = pending.get(host);
    if (!inFlight) {
      inFlight = refresh(host, origin);
      pending.set(host, inFlight);
      inFlight.finally(() => pending.delete(host)).catch(() => undefined);
    }
    const token = await inFlight;
    cache.set(host, token);
    return { username: ACR_REFRESH_TOKEN_USERNAME, refreshToken: token.refreshToken };
  };
  const result = provider as AcrCredentialProvider & { refused: CredentialProvider["refused"] };
  result.refused = (asked, credential) => {
    const host = asked.toLowerCase();
    if (cache.get(host)?.refreshToken === credential.refreshToken) cache.delete(host);
  };
  Object.defineProperty(result, "exchanges", { get: () => exchanges });
  return result;
}
