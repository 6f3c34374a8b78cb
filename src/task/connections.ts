/**
 * The task's service connections, read through azure-pipelines-task-lib: a Docker registry
 * connection (username/password, or an ACR connection's service principal) and an AzureRM
 * connection (Entra ID sign-in to ACR).
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Credential } from "../auth/credential.js";
import type { AzureRmEndpoint } from "../auth/azure/index.js";
import { OcigraphError } from "../oci/errors.js";
import { parseRegistryHost } from "../oci/host.js";

/** The task-lib functions the connections need. */
export interface EndpointReader {
  getEndpointUrl(id: string, optional: boolean): string | undefined;
  getEndpointAuthorizationScheme(id: string, optional: boolean): string | undefined;
  getEndpointAuthorizationParameter(id: string, key: string, optional: boolean): string | undefined;
  getEndpointDataParameter(id: string, key: string, optional: boolean): string | undefined;
  setSecret(secret: string): void;
}

/** Where each Docker registry connection scheme keeps the server, the user and the secret. */
const DOCKER_SCHEMES: Record<
  string,
  { server: string; serverLabel: string; username: string; password: string; credentialLabel: string }
> = {
  usernamepassword: {
    server: "registry",
    serverLabel: "registry URL",
    username: "username",
    password: "password",
    credentialLabel: "username and password",
  },
  serviceprincipal: {
    server: "loginServer",
    serverLabel: "login server",
    username: "serviceprincipalid",
    password: "serviceprincipalkey",
    credentialLabel: "service principal id and key",
  },
};

/**
 * Credentials of a Docker registry service connection, for its registry only.
 * `UsernamePassword` connections give username and password; Azure Container Registry connections
 * made with a service principal give its id and key, which ACR accepts as username and password.
 */
export function dockerRegistryCredential(
  tl: EndpointReader,
  id: string,
): { host: string; credential: Credential } {
  const given = tl.getEndpointAuthorizationScheme(id, true) ?? "UsernamePassword";
  const scheme = given.toLowerCase();
  const missing = (what: string): OcigraphError =>
    new OcigraphError("INVALID_INPUT", `the Docker registry service connection ${id} has no ${what}`, {
      hint: "edit the service connection in the project settings, or pick another one",
    });
  const fields = Object.hasOwn(DOCKER_SCHEMES, scheme) ? DOCKER_SCHEMES[scheme] : undefined;
  if (fields) {
    const server =
      tl.getEndpointAuthorizationParameter(id, fields.server, true) || tl.getEndpointUrl(id, true);
    const username = tl.getEndpointAuthorizationParameter(id, fields.username, true);
    const password = tl.getEndpointAuthorizationParameter(id, fields.password, true);
    if (!server) throw missing(fields.serverLabel);
    if (!username || !password) throw missing(fields.credentialLabel);
    tl.setSecret(password);
    const host = parseRegistryHost(server, `the ${fields.serverLabel} of the service connection ${id}`);
    return { host, credential: { username, password } };
  }
  throw new OcigraphError(
    "UNSUPPORTED",
    `the Docker registry service connection ${id} uses the ${given} scheme, which ocigraph cannot sign in with`,
    {
      hint: "use a username/password Docker registry connection, or an AzureRM connection in azureSubscription",
    },
  );
}

/**
 * What an AzureRM service connection holds. A service principal's certificate is written to a
 * file under `tempDir` (the agent's temp directory, cleaned after the job).
 */
export async function azureRmEndpoint(
  tl: EndpointReader,
  id: string,
  tempDir: string,
): Promise<AzureRmEndpoint> {
  const param = (key: string): string | undefined =>
    tl.getEndpointAuthorizationParameter(id, key, true) || undefined;
  const scheme = tl.getEndpointAuthorizationScheme(id, true);
  if (!scheme) {
    throw new OcigraphError("INVALID_INPUT", `the AzureRM service connection ${id} was not found`, {
      hint: "check the azureSubscription input and that the pipeline may use the connection",
    });
  }
  const key = param("serviceprincipalkey");
  if (key) tl.setSecret(key);
  const certificate = param("servicePrincipalCertificate");
  let certificatePath: string | undefined;
  if (certificate) {
    certificatePath = join(tempDir, `ocigraph-spn-${id.replace(/[^A-Za-z0-9-]/g, "")}.pem`);
    await writeFile(certificatePath, certificate, { mode: 0o600 });
  }
  const authority = tl.getEndpointDataParameter(id, "environmentAuthorityUrl", true);
  const tenantId = param("tenantid");
  const servicePrincipalId = param("serviceprincipalid");
  const authenticationType = param("authenticationType");
  return {
    id,
    scheme,
    ...(tenantId ? { tenantId } : {}),
    ...(servicePrincipalId ? { servicePrincipalId } : {}),
    ...(authenticationType ? { authenticationType } : {}),
    ...(key ? { servicePrincipalKey: key } : {}),
    ...(certificatePath ? { certificatePath } : {}),
    ...(authority ? { authorityHost: authority } : {}),
  };
}
