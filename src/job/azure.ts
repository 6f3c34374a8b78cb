/**
 * The Entra ID inputs of the action (`azure-*`) and the task (`azureSubscription`, `azureAudience`,
 * `azureRegistry`), checked like every other input: an error names the input to fix. Builds no
 * credential and sends nothing; `src/connect` signs in when a registry asks.
 */
import {
  DEFAULT_OIDC_AUDIENCE,
  ENTRA_CREDENTIAL_KINDS,
  acrScope,
  azurePipelinesSettings,
  resolveEntraSettings,
  type AzureRmEndpoint,
  type EntraCredentialKind,
  type EntraSettings,
} from "../auth/azure/index.js";
import type { ConnectionSettings } from "../connect/settings.js";
import { OcigraphError } from "../oci/errors.js";
import { parseRegistryHost } from "../oci/host.js";
import type { InputKey, JobInputs } from "./inputs.js";
import { namingInput } from "./naming.js";

/** The task's AzureRM service connection, as its front end read it. */
export interface ServiceConnectionInput {
  endpoint: AzureRmEndpoint;
  /** `System.AccessToken`, for workload identity federation. */
  systemAccessToken?: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A tenant is a GUID or a domain (`contoso.onmicrosoft.com`). */
const TENANT = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[a-z0-9.-]+\.[a-z]{2,})$/i;

function invalid(name: string, message: string, hint?: string): OcigraphError {
  return new OcigraphError("INVALID_INPUT", `the input ${name} ${message}`, hint ? { hint } : {});
}

/**
 * Entra ID settings from the inputs, or none when no Entra input is set (then only username and
 * password, service connections and the docker config are used).
 */
export function azureConnection(
  inputs: JobInputs,
  name: (key: InputKey) => string,
  env: NodeJS.ProcessEnv,
  serviceConnection?: ServiceConnectionInput,
): Pick<ConnectionSettings, "entra" | "azureRegistries"> {
  const azureRegistries = inputs.azureRegistry
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((h) => parseRegistryHost(h, `the input ${name("azureRegistry")}`));
  if (
    inputs.azureCredential &&
    !(ENTRA_CREDENTIAL_KINDS as readonly string[]).includes(inputs.azureCredential)
  ) {
    throw invalid(
      name("azureCredential"),
      `is "${inputs.azureCredential}", which is not a credential kind`,
      `use one of ${ENTRA_CREDENTIAL_KINDS.join(", ")}`,
    );
  }
  if (inputs.azureClientId && !GUID.test(inputs.azureClientId)) {
    throw invalid(
      name("azureClientId"),
      "is not a client id (a GUID)",
      "copy the app's Application (client) ID",
    );
  }
  if (inputs.azureTenantId && !TENANT.test(inputs.azureTenantId)) {
    throw invalid(name("azureTenantId"), "is not a tenant id (a GUID or a domain)");
  }
  if (inputs.azureAudience && !/^(https?|api):\/\/\S+$/i.test(inputs.azureAudience)) {
    throw invalid(
      name("azureAudience"),
      `("${inputs.azureAudience}") is not an audience URL`,
      "e.g. https://containerregistry.azure.net, or leave it empty",
    );
  }
  let entra: EntraSettings | undefined;
  if (serviceConnection) {
    entra = namingInput("azureSubscription", () =>
      azurePipelinesSettings(serviceConnection.endpoint, serviceConnection.systemAccessToken, {
        scope: acrScope(inputs.azureAudience || undefined),
        oidcAudience: DEFAULT_OIDC_AUDIENCE,
      }),
    );
  } else if (inputs.azureCredential || inputs.azureClientId || inputs.azureTenantId || inputs.azureAudience) {
    entra = resolveEntraSettings(
      {
        ...(inputs.azureCredential ? { kind: inputs.azureCredential as EntraCredentialKind } : {}),
        ...(inputs.azureClientId ? { clientId: inputs.azureClientId } : {}),
        ...(inputs.azureTenantId ? { tenantId: inputs.azureTenantId } : {}),
        ...(inputs.azureAudience ? { acrAudience: inputs.azureAudience } : {}),
      },
      env,
      {
        tenantId: name("azureTenantId"),
        clientId: name("azureClientId"),
        clientSecret: "AZURE_CLIENT_SECRET",
        certificatePath: "AZURE_CLIENT_CERTIFICATE_PATH",
        federatedTokenFile: "AZURE_FEDERATED_TOKEN_FILE",
      },
    );
  }
  if (azureRegistries.length && !entra) {
    throw invalid(
      name("azureRegistry"),
      "names registries for Entra ID sign-in, but no Entra ID sign-in is set up",
      "set up Entra ID sign-in too: the azure-* inputs of the action, or azureSubscription in the task",
    );
  }
  return { ...(entra ? { entra } : {}), ...(azureRegistries.length ? { azureRegistries } : {}) };
}
