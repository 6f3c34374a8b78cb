/** `--azure-*` flags: Entra ID sign-in to Azure Container Registry for every command that connects. */
import { readFileSync } from "node:fs";
import { Option, type Command } from "commander";
import { Agent, type Dispatcher } from "undici";
import type { CredentialProvider } from "../auth/credential.js";
import { ENTRA_CREDENTIAL_KINDS, azureCredentials, type EntraCredentialKind } from "../auth/azure/index.js";
import { parseReference, apiHost } from "../oci/reference.js";

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Adds the `--azure-*` flags; the first argument's registry becomes the ACR host when any is given. */
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
      "another registry host to sign in to with Entra ID (repeatable)",
      collect,
    )
    .hook("preAction", (_self, action) => {
      if (action.getOptionValue("ociLayout") === true) return;
      // Registries the command names; a client is only ever opened for a host the command uses.
      const hosts = action.args.flatMap((arg, i) => {
        try {
          const ref = parseReference(arg);
          return i === 0 || /^[a-z0-9-]+(\.[a-z0-9-]+)+(:\d+)?$|^localhost(:\d+)?$/i.test(ref.registry)
            ? [apiHost(ref)]
            : [];
        } catch {
          return []; // not a reference (a file): the command itself reports bad ones
        }
      });
      action.setOptionValue("azureTargetHosts", hosts);
    });
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
  /** Set by the preAction hook: the registry hosts of the command's references. */
  azureTargetHosts?: string[];
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

/** Connection settings the ACR exchange shares with the registry. */
export interface AzureConnection {
  plainHttp?: boolean;
  insecure?: boolean;
  caFile?: string;
  trace?: (line: string) => void;
}

/** The Entra ID credential provider the flags ask for, or `undefined` when no `--azure-*` flag was given. */
export function azureProviderFromFlags(
  flags: AzureFlags,
  conn: AzureConnection,
  env: NodeJS.ProcessEnv = process.env,
): CredentialProvider | undefined {
  if (!wantsAzure(flags)) return undefined;
  const hosts = [...(flags.azureRegistry ?? []), ...(flags.azureTargetHosts ?? [])];
  let dispatcher: Dispatcher | undefined;
  if (conn.insecure || conn.caFile) {
    const ca = conn.caFile ? readFileSync(conn.caFile, "utf8") : undefined;
    dispatcher = new Agent({ connect: { rejectUnauthorized: !conn.insecure, ...(ca ? { ca: [ca] } : {}) } });
  }
  return azureCredentials(
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
    {
      hosts,
      anyAcrHost: true,
      env,
      ...(conn.plainHttp ? { plainHttp: true } : {}),
      ...(dispatcher ? { dispatcher } : {}),
      ...(conn.trace ? { trace: conn.trace } : {}),
    },
  );
}
