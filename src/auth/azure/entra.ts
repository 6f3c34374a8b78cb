/** An `@azure/identity` credential for the settings {@link resolveEntraSettings} chose. */
import type { AccessToken, TokenCredential, TokenCredentialOptions } from "@azure/identity";
import type { Dispatcher } from "undici";
import { githubIdToken } from "./github-oidc.js";
import { jwtExpiresAt } from "./jwt.js";
import { entraError } from "./entra-errors.js";
import { settingsSecrets, type EntraSettings } from "./settings.js";

const KNOWN_AUTHORITY_HOSTS: ReadonlySet<string> = new Set([
  "login.microsoftonline.com",
  "login.microsoftonline.us",
  "login.chinacloudapi.cn",
  "login.partner.microsoftonline.cn",
]);

/** Options of {@link createEntraCredential}. */
export interface EntraCredentialOptions {
  /** Told every secret as soon as it is known (client secret, ID tokens, access tokens): mask it. */
  onSecret?: (secret: string) => void;
  /** For the GitHub ID-token request. Default: undici's global dispatcher. */
  dispatcher?: Dispatcher;
  /** For every `@azure/identity` request (Entra ID, managed identity, Azure DevOps' ID token). */
  httpClient?: TokenCredentialOptions["httpClient"];
  /** Clock, for tests. Default `Date.now`. */
  now?: () => number;
}

/** A token counts as expired this long before it says (a request must still reach the registry). */
const EXPIRY_MARGIN_MS = 2 * 60_000;

/** Gets Entra ID access tokens for one scope; failures are OcigraphErrors with a cause and a fix. */
export interface EntraTokenSource {
  /** The access token for `settings.scope`. */
  getToken(): Promise<string>;
  readonly settings: EntraSettings;
}

/** Authority options: the host, and no instance discovery for hosts Entra's discovery does not list. */
export function authority(settings: EntraSettings): {
  authorityHost?: string;
  disableInstanceDiscovery?: boolean;
} {
  if (settings.authorityHost === undefined) return {};
  const host = new URL(settings.authorityHost).hostname.toLowerCase();
  return {
    authorityHost: settings.authorityHost,
    ...(KNOWN_AUTHORITY_HOSTS.has(host) ? {} : { disableInstanceDiscovery: true }),
  };
}

/** `@azure/identity`, loaded on first use: most runs never sign in to Entra ID, and it is slow to load. */
type Identity = typeof import("@azure/identity");
function loadIdentity(): Promise<Identity> {
  // An import at first use: the bundle splits it into its own files, never read otherwise.
  // The import resolves the package's ESM build; its types match the CommonJS ones used here.
  return import("@azure/identity") as unknown as Promise<Identity>;
}

/**
 * A credential that builds its `@azure/identity` credential on the first token request.
 * `build` receives the loaded module.
 */
export function lazyCredential(build: (identity: Identity) => TokenCredential): TokenCredential {
  let real: Promise<TokenCredential> | undefined;
  return {
    async getToken(scopes, options) {
      real ??= loadIdentity().then(build);
      return (await real).getToken(scopes, options);
    },
  };
}

/** The `@azure/identity` credential for `settings` (no network traffic until a token is asked). */
export function identityCredential(
  settings: EntraSettings,
  opts: EntraCredentialOptions = {},
): TokenCredential {
  return lazyCredential((id) => buildCredential(id, settings, opts));
}

/**
 * A source of GitHub ID tokens that asks the runtime once and reuses the token until shortly before
 * its `exp`: MSAL asks for an assertion at each token request, and a run needs one ID token.
 */
function githubAssertion(settings: EntraSettings, opts: EntraCredentialOptions): () => Promise<string> {
  let cached: { token: string; expiresAt: number } | undefined;
  let pending: Promise<string> | undefined;
  const now = opts.now ?? Date.now;
  return async () => {
    if (cached && now() < cached.expiresAt - EXPIRY_MARGIN_MS) return cached.token;
    pending ??= githubIdToken({
      requestUrl: settings.idTokenRequestUrl ?? "",
      requestToken: settings.idTokenRequestToken ?? "",
      audience: settings.oidcAudience,
      ...(opts.dispatcher ? { dispatcher: opts.dispatcher } : {}),
    })
      .then((token) => {
        opts.onSecret?.(token);
        cached = { token, expiresAt: jwtExpiresAt(token) ?? now() + 5 * 60_000 };
        return token;
      })
      .finally(() => (pending = undefined));
    return pending;
  };
}

function buildCredential(
  id: Identity,
  settings: EntraSettings,
  opts: EntraCredentialOptions,
): TokenCredential {
  const common = {
    ...authority(settings),
    ...(opts.httpClient ? { httpClient: opts.httpClient } : {}),
  };
  const http = opts.httpClient ? { httpClient: opts.httpClient } : {};
  const tenantId = settings.tenantId ?? "";
  const clientId = settings.clientId ?? "";
  switch (settings.kind) {
    case "github-oidc":
      return new id.ClientAssertionCredential(tenantId, clientId, githubAssertion(settings, opts), common);
    case "client-secret":
      return new id.ClientSecretCredential(tenantId, clientId, settings.clientSecret ?? "", common);
    case "client-certificate":
      return new id.ClientCertificateCredential(
        tenantId,
        clientId,
        {
          certificatePath: settings.certificatePath ?? "",
          ...(settings.certificatePassword ? { certificatePassword: settings.certificatePassword } : {}),
        },
        common,
      );
    case "workload-identity":
      return new id.WorkloadIdentityCredential({
        tenantId,
        clientId,
        tokenFilePath: settings.federatedTokenFile ?? "",
        ...common,
      });
    case "managed-identity":
      return new id.ManagedIdentityCredential({
        ...http,
        ...(settings.clientId ? { clientId: settings.clientId } : {}),
      });
    case "azure-cli":
      return new id.AzureCliCredential(settings.tenantId ? { tenantId: settings.tenantId } : {});
    case "azure-pipelines":
      return new id.AzurePipelinesCredential(
        tenantId,
        clientId,
        settings.serviceConnectionId ?? "",
        settings.systemAccessToken ?? "",
        common,
      );
    case "cli-or-managed-identity":
      return new id.ChainedTokenCredential(
        new id.AzureCliCredential(settings.tenantId ? { tenantId: settings.tenantId } : {}),
        new id.ManagedIdentityCredential({
          ...http,
          ...(settings.clientId ? { clientId: settings.clientId } : {}),
        }),
      );
  }
}

/**
 * A token source over `credential` (default: the one `settings` describe). The access token is kept
 * until shortly before its own expiry, so `az` or MSAL is asked once per run, not at every ACR
 * re-exchange. Every failure is turned into an OcigraphError that names the cause and the fix, with
 * all known secrets redacted.
 */
export function createEntraCredential(
  settings: EntraSettings,
  opts: EntraCredentialOptions & { credential?: TokenCredential } = {},
): EntraTokenSource {
  const secrets = settingsSecrets(settings);
  for (const s of secrets) opts.onSecret?.(s);
  const seen = (secret: string): void => {
    secrets.push(secret);
    opts.onSecret?.(secret);
  };
  const credential = opts.credential ?? identityCredential(settings, { ...opts, onSecret: seen });
  const now = opts.now ?? Date.now;
  let cached: AccessToken | undefined;
  let pending: Promise<AccessToken> | undefined;
  const fetch = async (): Promise<AccessToken> => {
    let token: AccessToken | null;
    try {
      token = await credential.getToken(settings.scope);
    } catch (err) {
      throw entraError(err, settings, secrets);
    }
    if (!token?.token) throw entraError(new Error("no access token was returned"), settings, secrets);
    seen(token.token);
    return token;
  };
  return {
    settings,
    async getToken() {
      if (cached && now() < cached.expiresOnTimestamp - EXPIRY_MARGIN_MS) return cached.token;
      pending ??= fetch().finally(() => (pending = undefined));
      cached = await pending;
      return cached.token;
    },
  };
}
