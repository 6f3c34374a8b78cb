/**
 * Entra ID sign-in for the front ends: the action's `azure-*` inputs, or the task's AzureRM
 * service connection, as a credential provider for the registries the job talks to.
 */
import { readFileSync } from "node:fs";
import { Agent, type Dispatcher } from "undici";
import type { CredentialProvider } from "../auth/credential.js";
import {
  ENTRA_CREDENTIAL_KINDS,
  azureCredentials,
  azurePipelinesCredential,
  type AzureRmEndpoint,
  type EntraCredentialKind,
} from "../auth/azure/index.js";
import { acrCredentialProvider } from "../auth/azure/acr-provider.js";
import { createEntraCredential } from "../auth/azure/entra.js";
import { DEFAULT_OIDC_AUDIENCE, acrScope } from "../auth/azure/settings.js";
import { OcigraphError } from "../oci/errors.js";
import { apiHost, parseReference } from "../oci/reference.js";

export interface AzureInputs {
  /** `auto` (default), `github-oidc`, `client-secret`, ... as the CLI's `--azure-credential`. */
  credential?: string;
  clientId?: string;
  tenantId?: string;
  /** ACR audience, default `https://containerregistry.azure.net`. */
  audience?: string;
}

export interface AzureConnection {
  plainHttp?: boolean;
  insecure?: boolean;
  caFile?: string;
  /** Told every secret as it becomes known (mask it in the CI log). */
  onSecret?: (secret: string) => void;
  env?: NodeJS.ProcessEnv;
}

/**
 * Registry hosts (`host[:port]`) of the given references; Entra tokens go to these only (and to
 * `*.azurecr.io`). A reference that does not parse is skipped: `buildJob` reports it, naming its input.
 */
export function registryHosts(...references: (string | undefined)[]): string[] {
  const hosts = new Set<string>();
  for (const reference of references) {
    if (!reference) continue;
    try {
      hosts.add(apiHost(parseReference(reference)));
    } catch {
      // reported by buildJob
    }
  }
  return [...hosts];
}

function dispatcherFor(conn: AzureConnection): Dispatcher | undefined {
  if (!conn.insecure && !conn.caFile) return undefined;
  const ca = conn.caFile ? readFileSync(conn.caFile, "utf8") : undefined;
  return new Agent({ connect: { rejectUnauthorized: !conn.insecure, ...(ca ? { ca: [ca] } : {}) } });
}

/**
 * The provider for the action's `azure-*` inputs, or `undefined` when none is set (then only
 * username/password and the docker config are used). With a client and tenant id inside a job
 * that may request an ID token (`permissions: id-token: write`), this signs in with GitHub OIDC.
 */
export function azureInputsProvider(
  inputs: AzureInputs,
  hosts: readonly string[],
  conn: AzureConnection = {},
): CredentialProvider | undefined {
  if (!inputs.credential && !inputs.clientId && !inputs.tenantId && !inputs.audience) return undefined;
  if (inputs.credential && !(ENTRA_CREDENTIAL_KINDS as readonly string[]).includes(inputs.credential)) {
    throw new OcigraphError(
      "INVALID_INPUT",
      `azure-credential "${inputs.credential}" is not a credential kind`,
      {
        hint: `use one of ${ENTRA_CREDENTIAL_KINDS.join(", ")}`,
      },
    );
  }
  const dispatcher = dispatcherFor(conn);
  return azureCredentials(
    {
      ...(inputs.credential ? { kind: inputs.credential as EntraCredentialKind } : {}),
      ...(inputs.clientId ? { clientId: inputs.clientId } : {}),
      ...(inputs.tenantId ? { tenantId: inputs.tenantId } : {}),
      ...(inputs.audience ? { acrAudience: inputs.audience } : {}),
    },
    {
      hosts,
      anyAcrHost: true,
      ...(conn.env ? { env: conn.env } : {}),
      ...(conn.plainHttp ? { plainHttp: true } : {}),
      ...(dispatcher ? { dispatcher } : {}),
      ...(conn.onSecret ? { onSecret: conn.onSecret } : {}),
    },
  );
}

/**
 * The provider for an AzureRM service connection (the task's `azureSubscription`): workload
 * identity federation (needs `System.AccessToken`), a service principal, or managed identity.
 */
export function azureServiceConnectionProvider(
  endpoint: AzureRmEndpoint,
  systemAccessToken: string | undefined,
  audience: string | undefined,
  hosts: readonly string[],
  conn: AzureConnection = {},
): CredentialProvider {
  const { credential, settings } = azurePipelinesCredential(endpoint, systemAccessToken, {
    scope: acrScope(audience || undefined),
    oidcAudience: DEFAULT_OIDC_AUDIENCE,
  });
  const dispatcher = dispatcherFor(conn);
  const entra = createEntraCredential(settings, {
    credential,
    ...(conn.onSecret ? { onSecret: conn.onSecret } : {}),
  });
  return acrCredentialProvider({
    entra,
    hosts,
    anyAcrHost: true,
    ...(conn.plainHttp ? { plainHttp: true } : {}),
    ...(dispatcher ? { dispatcher } : {}),
    ...(conn.onSecret ? { onSecret: conn.onSecret } : {}),
  });
}
