/** Registry credentials and the providers that look them up per host. */
import { normalizeHost } from "../oci/host.js";
import type { Challenge } from "./challenge.js";

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
  /**
   * Where it came from, in the CLI's words (`-u/-p`, `the docker config /home/me/.docker/config.json`),
   * so a refusal can say which source to fix. Never a secret.
   */
  source?: string;
}

/** True when `cred` would authenticate (an empty object means anonymous). */
export function hasSecret(cred: Credential | undefined): boolean {
  return Boolean(cred && (cred.password !== undefined || cred.refreshToken || cred.accessToken));
}

/** `provider` with its answers labelled `source` (see {@link Credential.source}). */
export function labelled(provider: CredentialProvider, source: string): CredentialProvider {
  const out: CredentialProvider = async (host, challenge) => {
    const cred = await provider(host, challenge);
    return cred === undefined ? undefined : { ...cred, source };
  };
  if (provider.refused) out.refused = (host, credential) => provider.refused?.(host, credential);
  return out;
}

/**
 * Finds the credential for a registry host (`host[:port]`, e.g. `ghcr.io`, `localhost:5000`).
 * `challenge` is the registry's 401 challenge the credential will answer, when the registry sent
 * one: a provider that must only ever answer a given token service (ACR's exchange) checks it.
 * Resolves `undefined` when it has none for that host; rejects only when the lookup itself failed.
 */
export interface CredentialProvider {
  (host: string, challenge?: Challenge): Promise<Credential | undefined>;
  /**
   * Told that `credential`, which this provider answered for `host`, was refused (HTTP 401) before
   * it should have expired: forget it, so the next ask gets a fresh one. Optional.
   */
  refused?: (host: string, credential: Credential) => void;
}

/** A provider asking each of `providers` in turn and answering with the first credential found. */
export function chainProviders(...providers: CredentialProvider[]): CredentialProvider {
  const chained: CredentialProvider = async (host, challenge) => {
    for (const provider of providers) {
      const cred = await provider(host, challenge);
      if (cred !== undefined) return cred;
    }
    return undefined;
  };
  chained.refused = (host, credential) => {
    for (const provider of providers) provider.refused?.(host, credential);
  };
  return chained;
}

/**
 * A provider that answers `cred` for `host` only (compared case-insensitively; `docker.io` also
 * matches `registry-1.docker.io` and `index.docker.io`, where Docker Hub's API lives).
 */
export function staticProvider(host: string, cred: Credential): CredentialProvider {
  const want = normalizeHost(host);
  return async (asked) => (normalizeHost(asked) === want ? cred : undefined);
}
