/**
 * `login`'s check: the credential a user gives (or Entra ID's ACR refresh token) must open
 * `GET /v2/` on the registry before it is saved. Goes through the same transport and credential
 * table as every other command.
 */
import { ACR_REFRESH_TOKEN_USERNAME } from "../auth/azure/index.js";
import type { Credential } from "../auth/credential.js";
import { OcigraphError } from "../oci/errors.js";
import { apiHost } from "../oci/reference.js";
import { entraCovers } from "./credentials.js";
import type { ConnectionSettings } from "./settings.js";
import { TargetFactory } from "./targets.js";

/**
 * Signs in to `host` with what `settings` give (Entra ID when `settings.entra` is set, else the
 * username and password) and answers the credential to save. Nothing else is consulted: the docker
 * config is what login writes, not what it checks.
 *
 * @throws OcigraphError INVALID_INPUT (Entra ID for a host that is no ACR), UNAUTHORIZED, DENIED, REGISTRY
 */
export async function checkLogin(host: string, settings: ConnectionSettings): Promise<Credential> {
  const usingEntra = settings.entra !== undefined;
  if (usingEntra && !entraCovers(host, settings)) {
    throw new OcigraphError(
      "INVALID_INPUT",
      `${host} is not an Azure Container Registry login server, so the Entra ID token is not sent there`,
      { hint: `name it with --azure-registry ${host} if it is one (a custom domain or a test registry)` },
    );
  }
  if (!usingEntra && (!settings.username || settings.password === undefined)) {
    throw new OcigraphError(
      "INVALID_INPUT",
      `login to ${host} needs --username and --password (or --password-stdin)`,
      { hint: "For Azure Container Registry, sign in with Entra ID instead: --azure-credential auto." },
    );
  }
  // Only the given credential is checked: login writes the docker config, it does not read it.
  const answered: Credential[] = [];
  const factory = new TargetFactory(
    { ...settings, hostCredentials: [] },
    { dockerConfig: false, onCredential: (_host, credential) => answered.push(credential) },
  );
  try {
    const client = factory.client(apiHost({ registry: host }));
    const res = await client.request({ method: "GET", path: "/v2/", scopes: [] });
    await res.body.dump().catch(() => undefined);
    if (res.status === 401 || res.status === 403) {
      throw new OcigraphError(
        res.status === 401 ? "UNAUTHORIZED" : "DENIED",
        `${host} refused the credentials (HTTP ${res.status}).`,
        { status: res.status, hint: "Check the username and password (or token) for this registry." },
      );
    }
    if (res.status !== 200) {
      throw new OcigraphError("REGISTRY", `${host} answered GET /v2/ with HTTP ${res.status}.`, {
        status: res.status,
      });
    }
  } finally {
    await factory.close();
  }
  const used = answered[answered.length - 1];
  if (!usingEntra) return { username: settings.username as string, password: settings.password as string };
  if (!used?.refreshToken) {
    throw new OcigraphError(
      "UNAUTHORIZED",
      `${host} did not ask for an ACR token at its own /oauth2/token, so no Entra ID sign-in took place`,
      { hint: "sign in with --username/--password, or check that this is an ACR login server" },
    );
  }
  return { username: ACR_REFRESH_TOKEN_USERNAME, refreshToken: used.refreshToken };
}
