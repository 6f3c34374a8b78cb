/**
 * Azure Pipelines AzureRM service connections, for the task front end. The task reads the endpoint
 * with azure-pipelines-task-lib (`getEndpointAuthorizationScheme`, `getEndpointAuthorizationParameter`,
 * `getVariable("System.AccessToken")`) and passes the values here, so this module needs no task-lib.
 */
import { OcigraphError } from "../../oci/errors.js";
import type { EntraSettings } from "./settings.js";

/** What an AzureRM service connection holds, as azure-pipelines-task-lib returns it. */
export interface AzureRmEndpoint {
  /** The service connection's id (the task input's value). */
  id: string;
  /** `WorkloadIdentityFederation`, `ServicePrincipal` or `ManagedServiceIdentity`. */
  scheme: string;
  /** `tenantid`. */
  tenantId?: string;
  /** `serviceprincipalid`. */
  servicePrincipalId?: string;
  /** `authenticationType`: `spnKey` (default) or `spnCertificate`. */
  authenticationType?: string;
  /** `serviceprincipalkey`. */
  servicePrincipalKey?: string;
  /** Path of the PEM written from `servicePrincipalCertificate` (the task writes it to a temp file). */
  certificatePath?: string;
  /** `environmentAuthorityUrl` of the endpoint's cloud, e.g. `https://login.microsoftonline.us/`. */
  authorityHost?: string;
}

/**
 * What to sign in with for a service connection: workload identity federation through
 * `AzurePipelinesCredential` (needs `System.AccessToken`), a service principal's secret or
 * certificate, or the agent's managed identity. Pure: builds no credential and sends nothing.
 *
 * @throws OcigraphError INVALID_INPUT when the connection lacks what its scheme needs.
 */
export function azurePipelinesSettings(
  endpoint: AzureRmEndpoint,
  systemAccessToken: string | undefined,
  base: Pick<EntraSettings, "scope" | "oidcAudience">,
): EntraSettings {
  const scheme = endpoint.scheme.toLowerCase();
  const authorityHost = endpoint.authorityHost?.replace(/\/+$/, "");
  const common = {
    ...base,
    ...(endpoint.tenantId ? { tenantId: endpoint.tenantId } : {}),
    ...(endpoint.servicePrincipalId ? { clientId: endpoint.servicePrincipalId } : {}),
    ...(authorityHost ? { authorityHost } : {}),
  };
  const missing = (what: string): OcigraphError =>
    new OcigraphError("INVALID_INPUT", `The service connection ${endpoint.id} has no ${what}.`, {
      hint: "Edit the AzureRM service connection in the project settings, or pick another one.",
    });
  if (scheme === "managedserviceidentity") {
    const settings: EntraSettings = { ...common, kind: "managed-identity" };
    delete settings.clientId;
    return settings;
  }
  if (!endpoint.tenantId) throw missing("tenant id");
  if (!endpoint.servicePrincipalId) throw missing("service principal (client) id");
  if (scheme === "workloadidentityfederation") {
    if (!systemAccessToken) {
      throw new OcigraphError(
        "INVALID_INPUT",
        "Workload identity federation needs the job's System.AccessToken, which is not available.",
        { hint: "Map it into the step: env: SYSTEM_ACCESSTOKEN: $(System.AccessToken)." },
      );
    }
    return { ...common, kind: "azure-pipelines", serviceConnectionId: endpoint.id, systemAccessToken };
  }
  if (scheme === "serviceprincipal") {
    if ((endpoint.authenticationType ?? "spnKey").toLowerCase() === "spncertificate") {
      if (!endpoint.certificatePath) throw missing("certificate");
      return { ...common, kind: "client-certificate", certificatePath: endpoint.certificatePath };
    }
    if (!endpoint.servicePrincipalKey) throw missing("service principal key");
    return { ...common, kind: "client-secret", clientSecret: endpoint.servicePrincipalKey };
  }
  throw new OcigraphError(
    "UNSUPPORTED",
    `The service connection ${endpoint.id} uses the ${endpoint.scheme} scheme, which ocigraph cannot sign in with.`,
    {
      hint: "Use an Azure Resource Manager connection with workload identity federation, a service principal or a managed identity.",
    },
  );
}
