/**
 * Which Entra ID credential to use, from explicit choices (CLI flags, action inputs) over the
 * environment a CI job offers. Pure: reads only the `env` it is given.
 *
 * Environment names follow `@azure/identity` (`AZURE_CLIENT_ID`, `AZURE_TENANT_ID`,
 * `AZURE_CLIENT_SECRET`, `AZURE_CLIENT_CERTIFICATE_PATH`, `AZURE_FEDERATED_TOKEN_FILE`,
 * `AZURE_AUTHORITY_HOST`) and GitHub Actions (`ACTIONS_ID_TOKEN_REQUEST_URL`/`_TOKEN`).
 */
import { OcigraphError } from "../../oci/errors.js";

/** The kinds of Entra ID credential ocigraph can use; `auto` picks one from the environment. */
export const ENTRA_CREDENTIAL_KINDS = [
  "auto",
  "github-oidc",
  "client-secret",
  "client-certificate",
  "workload-identity",
  "managed-identity",
  "azure-cli",
] as const;
export type EntraCredentialKind = (typeof ENTRA_CREDENTIAL_KINDS)[number];

/** Audience of the GitHub Actions ID token that Entra federated credentials expect. */
export const DEFAULT_OIDC_AUDIENCE = "api://AzureADTokenExchange";
/** The ACR resource in the public cloud; the scope asked is `<audience>/.default`. */
export const DEFAULT_ACR_AUDIENCE = "https://containerregistry.azure.net";

/** What a front end collected; every field optional (unset = from the environment, else the default). */
export interface EntraInputs {
  kind?: EntraCredentialKind;
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
  certificatePath?: string;
  certificatePassword?: string;
  federatedTokenFile?: string;
  /** Audience of the GitHub ID token. Default `api://AzureADTokenExchange`. */
  oidcAudience?: string;
  /** e.g. `https://login.microsoftonline.us`; default: `AZURE_AUTHORITY_HOST`, else the public cloud. */
  authorityHost?: string;
  /** ACR audience (`https://containerregistry.azure.net`) or a full scope ending in `/.default`. */
  acrAudience?: string;
}

/** A resolved choice: one concrete kind (or `auto` = Azure CLI, then managed identity) and its inputs. */
export interface EntraSettings extends Pick<
  EntraInputs,
  | "tenantId"
  | "clientId"
  | "clientSecret"
  | "certificatePath"
  | "certificatePassword"
  | "federatedTokenFile"
  | "authorityHost"
> {
  kind: Exclude<EntraCredentialKind, "auto"> | "cli-or-managed-identity" | "azure-pipelines";
  /** Audience of the GitHub ID token, the default filled in. */
  oidcAudience: string;
  idTokenRequestUrl?: string;
  idTokenRequestToken?: string;
  /** The scope asked from Entra, e.g. `https://containerregistry.azure.net/.default`. */
  scope: string;
  /** `azure-pipelines`: the AzureRM service connection's id. */
  serviceConnectionId?: string;
  /** `azure-pipelines`: the job's `System.AccessToken`, which asks Azure DevOps for the ID token. */
  systemAccessToken?: string;
}

/** How a front end names the inputs {@link resolveEntraSettings} may find missing (default: CLI flags). */
export interface EntraInputNames {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  certificatePath: string;
  federatedTokenFile: string;
}

const CLI_NAMES: EntraInputNames = {
  tenantId: "--azure-tenant-id",
  clientId: "--azure-client-id",
  clientSecret: "AZURE_CLIENT_SECRET",
  certificatePath: "--azure-client-certificate",
  federatedTokenFile: "--azure-federated-token-file",
};

function pick(...values: (string | undefined)[]): string | undefined {
  for (const v of values) if (v !== undefined && v.trim() !== "") return v.trim();
  return undefined;
}

/** `<audience>/.default`, unless the audience already is a `/.default` scope. */
export function acrScope(audience: string | undefined): string {
  const a = (audience ?? DEFAULT_ACR_AUDIENCE).replace(/\/+$/, "");
  return a.endsWith("/.default") ? a : `${a}/.default`;
}

function need(value: string | undefined, kind: string, what: string, flag: string, env: string): string {
  if (value === undefined) {
    throw new OcigraphError("INVALID_INPUT", `Entra ID sign-in with ${kind} needs the ${what}.`, {
      hint: flag === env ? `Set ${env}.` : `Give ${flag} or set ${env}.`,
    });
  }
  return value;
}

/**
 * Resolves what to sign in with. An explicit `kind` is always honoured (and its missing inputs
 * reported); `auto` tries, in order: GitHub OIDC (when the job may request an ID token and a client
 * and tenant id are known), a federated token file, a client secret, a client certificate, and finally
 * the Azure CLI session then managed identity.
 *
 * @throws OcigraphError INVALID_INPUT naming the missing input, or the missing `id-token: write`.
 */
export function resolveEntraSettings(
  inputs: EntraInputs,
  env: NodeJS.ProcessEnv,
  names: EntraInputNames = CLI_NAMES,
): EntraSettings {
  const tenantId = pick(inputs.tenantId, env["AZURE_TENANT_ID"]);
  const clientId = pick(inputs.clientId, env["AZURE_CLIENT_ID"]);
  const clientSecret = pick(inputs.clientSecret, env["AZURE_CLIENT_SECRET"]);
  const certificatePath = pick(inputs.certificatePath, env["AZURE_CLIENT_CERTIFICATE_PATH"]);
  const certificatePassword = pick(inputs.certificatePassword, env["AZURE_CLIENT_CERTIFICATE_PASSWORD"]);
  const federatedTokenFile = pick(inputs.federatedTokenFile, env["AZURE_FEDERATED_TOKEN_FILE"]);
  const idTokenRequestUrl = pick(env["ACTIONS_ID_TOKEN_REQUEST_URL"]);
  const idTokenRequestToken = pick(env["ACTIONS_ID_TOKEN_REQUEST_TOKEN"]);
  const authorityHost = pick(inputs.authorityHost, env["AZURE_AUTHORITY_HOST"]);
  const base = {
    oidcAudience: pick(inputs.oidcAudience) ?? DEFAULT_OIDC_AUDIENCE,
    scope: acrScope(pick(inputs.acrAudience)),
    ...(tenantId ? { tenantId } : {}),
    ...(clientId ? { clientId } : {}),
    ...(authorityHost ? { authorityHost } : {}),
  };

  let kind = inputs.kind ?? "auto";
  if (kind === "auto") {
    if (idTokenRequestUrl && clientId && tenantId) kind = "github-oidc";
    else if (federatedTokenFile) kind = "workload-identity";
    else if (clientSecret) kind = "client-secret";
    else if (certificatePath) kind = "client-certificate";
    else return { ...base, kind: "cli-or-managed-identity" };
  }
  const ids = (k: string) => ({
    tenantId: need(tenantId, k, "tenant id", names.tenantId, "AZURE_TENANT_ID"),
    clientId: need(clientId, k, "client id", names.clientId, "AZURE_CLIENT_ID"),
  });
  switch (kind) {
    case "github-oidc":
      if (!idTokenRequestUrl || !idTokenRequestToken) {
        throw new OcigraphError(
          "INVALID_INPUT",
          "GitHub OIDC sign-in was asked for, but this job may not request an ID token (ACTIONS_ID_TOKEN_REQUEST_URL is not set).",
          { hint: "Add `permissions: id-token: write` to the workflow job (or run inside GitHub Actions)." },
        );
      }
      return { ...base, ...ids(kind), kind, idTokenRequestUrl, idTokenRequestToken };
    case "workload-identity":
      return {
        ...base,
        ...ids(kind),
        kind,
        federatedTokenFile: need(
          federatedTokenFile,
          kind,
          "federated token file",
          names.federatedTokenFile,
          "AZURE_FEDERATED_TOKEN_FILE",
        ),
      };
    case "client-secret":
      return {
        ...base,
        ...ids(kind),
        kind,
        clientSecret: need(clientSecret, kind, "client secret", names.clientSecret, "AZURE_CLIENT_SECRET"),
      };
    case "client-certificate":
      return {
        ...base,
        ...ids(kind),
        kind,
        certificatePath: need(
          certificatePath,
          kind,
          "certificate file (PEM with the private key)",
          names.certificatePath,
          "AZURE_CLIENT_CERTIFICATE_PATH",
        ),
        ...(certificatePassword ? { certificatePassword } : {}),
      };
    case "managed-identity":
    case "azure-cli":
      return { ...base, kind };
  }
}

/** Every secret value in `settings` (for redaction and CI log masking). */
export function settingsSecrets(settings: EntraSettings): string[] {
  return [
    settings.clientSecret,
    settings.certificatePassword,
    settings.idTokenRequestToken,
    settings.systemAccessToken,
  ].filter((s): s is string => s !== undefined && s !== "");
}
