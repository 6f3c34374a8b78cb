/** `--azure-*` flags: Entra ID sign-in to Azure Container Registry for every command that connects. */
import { Option, type Command } from "commander";
import {
  ENTRA_CREDENTIAL_KINDS,
  resolveEntraSettings,
  type EntraCredentialKind,
} from "../auth/azure/settings.js"; // not index.js: that loads the HTTP client
import type { ConnectionSettings } from "../connect/settings.js";
import { parseRegistryHost } from "../oci/host.js";

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/**
 * Adds the `--azure-*` flags. The Entra ID token goes to ACR login servers (`*.azurecr.io`,
 * `*.azurecr.cn`, `*.azurecr.us`) and to the hosts named with `--azure-registry`, never elsewhere.
 */
export function addAzureOptions(command: Command): Command {
  return command
    .addOption(
      new Option("--azure-credential <kind>", "sign in to ACR with Entra ID using this credential").choices([
        ...ENTRA_CREDENTIAL_KINDS,
      ]),
    )
    .option("--azure-tenant-id <id>", "Entra tenant (default: AZURE_TENANT_ID)")
    .option("--azure-client-id <id>", "app or managed identity client id (default: AZURE_CLIENT_ID)")
    .option("--azure-client-certificate <path>", "PEM with the app's certificate and key")
    .option(
      "--azure-federated-token-file <path>",
      "workload identity token file (AZURE_FEDERATED_TOKEN_FILE)",
    )
    .option("--azure-authority-host <url>", "Entra authority, e.g. https://login.microsoftonline.us")
    .option("--azure-audience <url>", "ACR audience (default https://containerregistry.azure.net)")
    .option(
      "--azure-oidc-audience <aud>",
      "audience of the GitHub ID token (default api://AzureADTokenExchange)",
    )
    .option(
      "--azure-registry <host>",
      "another registry host to sign in to with Entra ID, besides *.azurecr.io (repeatable)",
      collect,
    );
}

export interface AzureFlags {
  azureCredential?: EntraCredentialKind;
  azureTenantId?: string;
  azureClientId?: string;
  azureClientCertificate?: string;
  azureFederatedTokenFile?: string;
  azureAuthorityHost?: string;
  azureAudience?: string;
  azureOidcAudience?: string;
  azureRegistry?: string[];
}

/** True when any `--azure-*` flag was given. */
export function wantsAzure(flags: AzureFlags): boolean {
  return (
    flags.azureCredential !== undefined ||
    flags.azureTenantId !== undefined ||
    flags.azureClientId !== undefined ||
    flags.azureClientCertificate !== undefined ||
    flags.azureFederatedTokenFile !== undefined ||
    flags.azureAuthorityHost !== undefined ||
    flags.azureAudience !== undefined ||
    flags.azureOidcAudience !== undefined ||
    (flags.azureRegistry?.length ?? 0) > 0
  );
}

/** The Entra ID part of the connection settings the flags ask for; empty without `--azure-*` flags. */
export function azureSettingsFromFlags(
  flags: AzureFlags,
  env: NodeJS.ProcessEnv,
): Pick<ConnectionSettings, "entra" | "azureRegistries"> {
  if (!wantsAzure(flags)) return {};
  const azureRegistries = (flags.azureRegistry ?? []).map((h) => parseRegistryHost(h, "--azure-registry"));
  const entra = resolveEntraSettings(
    {
      ...(flags.azureCredential ? { kind: flags.azureCredential } : {}),
      ...(flags.azureTenantId ? { tenantId: flags.azureTenantId } : {}),
      ...(flags.azureClientId ? { clientId: flags.azureClientId } : {}),
      ...(flags.azureClientCertificate ? { certificatePath: flags.azureClientCertificate } : {}),
      ...(flags.azureFederatedTokenFile ? { federatedTokenFile: flags.azureFederatedTokenFile } : {}),
      ...(flags.azureAuthorityHost ? { authorityHost: flags.azureAuthorityHost } : {}),
      ...(flags.azureAudience ? { acrAudience: flags.azureAudience } : {}),
      ...(flags.azureOidcAudience ? { oidcAudience: flags.azureOidcAudience } : {}),
    },
    env,
  );
  return { entra, ...(azureRegistries.length ? { azureRegistries } : {}) };
}
