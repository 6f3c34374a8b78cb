/** A bounded in-memory cache of bearer tokens. Create one per client; there is no global instance. */
import { scopeKey } from "./scope.js";

/** Options of {@link TokenCache}. */
export interface TokenCacheOptions {
  /** Most tokens kept; the oldest is dropped first. Default 256. */
  maxEntries?: number;
  /** A token counts as expired this long before its `expiresAt`. Default 30 s. */
  marginMs?: number;
  /** Clock, for tests. Default `Date.now`. */
  now?: () => number;
}

interface Entry {
  token: string;
  expiresAt: number;
}

/**
 * Bearer tokens keyed by token service (`realm` + `service`) and the set of scopes (order and
 * duplicates do not matter: see `scopeKey`). An entry is served until 30 s before it expires.
 */
export class TokenCache {
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;
  private readonly marginMs: number;
  private readonly now: () => number;

  constructor(opts: TokenCacheOptions = {}) {
    this.maxEntries = opts.maxEntries !== undefined && opts.maxEntries > 0 ? opts.maxEntries : 256;
    this.marginMs = opts.marginMs ?? 30_000;
    this.now = opts.now ?? Date.now;
  }

  private static key(realm: string, service: string | undefined, scopes: readonly string[]): string {
    return JSON.stringify([realm, service ?? "", scopeKey(scopes)]);
  }

  /** The cached token, or `undefined` when there is none or it expires within the margin. */
  get(realm: string, service: string | undefined, scopes: readonly string[]): string | undefined {
    const key = TokenCache.key(realm, service, scopes);
    const e = this.entries.get(key);
    if (e === undefined) return undefined;
    if (this.now() >= e.expiresAt - this.marginMs) {
      this.entries.delete(key);
      return undefined;
    }
    return e.token;
  }

  /** Remembers `token` (`expiresAt` in epoch ms) for these realm, service and scopes. */
  set(realm: string, service: string | undefined, scopes: readonly string[], token: Entry): void {
    const key = TokenCache.key(realm, service, scopes);
    this.entries.delete(key);
    this.entries.set(key, { token: token.token, expiresAt: token.expiresAt });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done === true) break;
      this.entries.delete(oldest.value);
    }
  }

  /** Forgets one token (e.g. after the registry refused it), or all when called without arguments. */
  delete(realm?: string, service?: string, scopes?: readonly string[]): void {
    if (realm === undefined) this.entries.clear();
    else this.entries.delete(TokenCache.key(realm, service, scopes ?? []));
  }

  /** Number of entries held, expired ones included until they are next looked at. */
  get size(): number {
    return this.entries.size;
  }
}
