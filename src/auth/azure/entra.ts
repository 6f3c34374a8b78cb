/** An `@azure/identity` credential for the settings {@link resolveEntraSettings} chose. */
import {
  AzureCliCredential,
  ChainedTokenCredential,
  ClientAssertionCredential,
  ClientCertificateCredential,
  ClientSecretCredential,
  ManagedIdentityCredential,
  WorkloadIdentityCredential,
  type TokenCredential,
} from "@azure/identity";
import type { Dispatcher } from "undici";
import { OcigraphError } from "../../oci/errors.js";
import { githubIdToken } from "./github-oidc.js";
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
}

/** Gets Entra ID access tokens for one scope; failures are OcigraphErrors with a cause and a fix. */
export interface EntraTokenSource {
  /** The access token for `settings.scope`. */
  getToken(): Promise<string>;
  readonly settings: EntraSettings;
}

/** Authority options: the host, and no instance discovery for hosts Entra's discovery does not list. */
function authority(settings: EntraSettings): { authorityHost?: string; disableInstanceDiscovery?: boolean } {
  if (settings.authorityHost === undefined) return {};
  const host = new URL(settings.authorityHost).hostname.toLowerCase();
  return {
    authorityHost: settings.authorityHost,
    ...(KNOWN_AUTHORITY_HOSTS.has(host) ? {} : { disableInstanceDiscovery: true }),
  };
}

/** The `@azure/identity` credential for `settings` (no network traffic until a token is asked). */
export function identityCredential(
  settings: EntraSettings,
  opts: EntraCredentialOptions = {},
): TokenCredential {
  const common = authority(settings);
  const tenantId = settings.tenantId ?? "";
  const clientId = settings.clientId ?? "";
  switch (settings.kind) {
    case "github-oidc":
      return new ClientAssertionCredential(
        tenantId,
        clientId,
        async () => {
          const token = await githubIdToken({
            requestUrl: settings.idTokenRequestUrl ?? "",
            requestToken: settings.idTokenRequestToken ?? "",
            audience: settings.oidcAudience,
            ...(opts.dispatcher ? { dispatcher: opts.dispatcher } : {}),
          });
          opts.onSecret?.(token);
          return token;
        },
        common,
      );
    case "client-secret":
      return new ClientSecretCredential(tenantId, clientId, settings.clientSecret ?? "", common);
    case "client-certificate":
      return new ClientCertificateCredential(
        tenantId,
        clientId,
        {
          certificatePath: settings.certificatePath ?? "",
          ...(settings.certificatePassword ? { certificatePassword: settings.certificatePassword } : {}),
        },
        common,
      );
    case "workload-identity":
      return new WorkloadIdentityCredential({
        tenantId,
        clientId,
        tokenFilePath: settings.federatedTokenFile ?? "",
        ...common,
      });
    case "managed-identity":
      return new ManagedIdentityCredential(settings.clientId ? { clientId: settings.clientId } : {});
    case "azure-cli":
      return new AzureCliCredential(settings.tenantId ? { tenantId: settings.tenantId } : {});
    case "azure-pipelines":
      throw new OcigraphError("INVALID_INPUT", "Azure Pipelines sign-in needs a service connection.", {
        hint: "Use azurePipelinesCredential() with the connection's values.",
      });
    case "cli-or-managed-identity":
      return new ChainedTokenCredential(
        new AzureCliCredential(settings.tenantId ? { tenantId: settings.tenantId } : {}),
        new ManagedIdentityCredential(settings.clientId ? { clientId: settings.clientId } : {}),
      );
  }
}

/**
 * A token source over `credential` (default: the one `settings` describe). Every failure is turned into
 * an OcigraphError that names the cause and the fix, with all known secrets redacted.
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
  return {
    settings,
    async getToken() {
      let token: string | undefined;
      try {
        token = (await credential.getToken(settings.scope))?.token;
      } catch (err) {
        throw entraError(err, settings, secrets);
      }
      if (!token) throw entraError(new Error("no access token was returned"), settings, secrets);
      seen(token);
      return token;
    },
  };
}
