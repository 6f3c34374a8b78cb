/**
 * Azure Pipelines AzureRM service connections, for the task front end. The task reads the endpoint
 * with azure-pipelines-task-lib (`getEndpointAuthorizationScheme`, `getEndpointAuthorizationParameter`,
 * `getVariable("System.AccessToken")`) and passes the values here, so this module needs no task-lib.
 */
import type { TokenCredential } from "@azure/identity";
import { OcigraphError } from "../../oci/errors.js";
import { authority, identityCredential, lazyCredential } from "./entra.js";
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
 * The Entra credential for a service connection: workload identity federation through
 * `AzurePipelinesCredential` (needs `System.AccessToken`), a service principal's secret or
 * certificate, or the agent's managed identity.
 *
 * @throws OcigraphError INVALID_INPUT when the connection lacks what its scheme needs.
 */
export function azurePipelinesCredential(
  endpoint: AzureRmEndpoint,
  systemAccessToken: string | undefined,
  base: Pick<EntraSettings, "scope" | "oidcAudience">,
): { credential: TokenCredential; settings: EntraSettings } {
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
    return { credential: identityCredential(settings), settings };
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
    const settings: EntraSettings = { ...common, kind: "azure-pipelines" };
    const { tenantId, servicePrincipalId } = endpoint;
    const credential = lazyCredential(
      (id) =>
        new id.AzurePipelinesCredential(
          tenantId,
          servicePrincipalId,
          endpoint.id,
          systemAccessToken,
          authority(settings),
        ),
    );
    return { credential, settings };
  }
  if (scheme === "serviceprincipal") {
    if ((endpoint.authenticationType ?? "spnKey").toLowerCase() === "spncertificate") {
      if (!endpoint.certificatePath) throw missing("certificate");
      const settings: EntraSettings = {
        ...common,
        kind: "client-certificate",
        certificatePath: endpoint.certificatePath,
      };
      return { credential: identityCredential(settings), settings };
    }
    if (!endpoint.servicePrincipalKey) throw missing("service principal key");
    const settings: EntraSettings = {
      ...common,
      kind: "client-secret",
      clientSecret: endpoint.servicePrincipalKey,
    };
    return { credential: identityCredential(settings), settings };
  }
  throw new OcigraphError(
    "UNSUPPORTED",
    `The service connection ${endpoint.id} uses the ${endpoint.scheme} scheme, which ocigraph cannot sign in with.`,
    {
      hint: "Use an Azure Resource Manager connection with workload identity federation, a service principal or a managed identity.",
    },
  );
}
