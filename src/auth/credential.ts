/** Registry credentials and the providers that look them up per host. */

/**
 * What a user can authenticate to a registry with. Every field is optional; an empty object means
 * anonymous. When several are set, `accessToken` wins, then `refreshToken`, then username/password.
 */
export interface Credential {
  username?: string;
  password?: string;
  /** OAuth2 refresh token (docker's `identitytoken`). */
  refreshToken?: string;
  /** A ready bearer access token. */
  accessToken?: string;
}

/**
 * Finds the credential for a registry host (`host[:port]`, e.g. `ghcr.io`, `localhost:5000`).
 * Resolves `undefined` when it has none for that host; rejects only when the lookup itself failed.
 */
export type CredentialProvider = (host: string) => Promise<Credential | undefined>;

/** A provider asking each of `providers` in turn and answering with the first credential found. */
export function chainProviders(...providers: CredentialProvider[]): CredentialProvider {
  return async (host) => {
    for (const provider of providers) {
      const cred = await provider(host);
      if (cred !== undefined) return cred;
    }
    return undefined;
  };
}

/**
 * A provider that answers `cred` for `host` only (compared case-insensitively; `docker.io` also
 * matches `registry-1.docker.io` and `index.docker.io`, where Docker Hub's API lives).
 */
export function staticProvider(host: string, cred: Credential): CredentialProvider {
  const want = canonicalHost(host);
  return async (asked) => (canonicalHost(asked) === want ? cred : undefined);
}

const DOCKER_HUB_ALIASES: ReadonlySet<string> = new Set([
  "docker.io",
  "index.docker.io",
  "registry-1.docker.io",
  "registry.hub.docker.com",
]);

/** Lowercases a host and maps Docker Hub's aliases to `docker.io`. */
export function canonicalHost(host: string): string {
  const h = host.trim().toLowerCase();
  return DOCKER_HUB_ALIASES.has(h) ? "docker.io" : h;
}
