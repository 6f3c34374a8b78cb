import { createRequire as __ocigraphRequire } from "node:module"; import { fileURLToPath as __ocigraphPath } from "node:url"; import { dirname as __ocigraphDir } from "node:path"; const require = __ocigraphRequire(import.meta.url); const __filename = __ocigraphPath(import.meta.url); const __dirname = __ocigraphDir(__filename);
import {
  OcigraphError
} from "./chunk-N65ZBPAW.mjs";

// src/auth/azure/settings.ts
var ENTRA_CREDENTIAL_KINDS = [
  "auto",
  "github-oidc",
  "client-secret",
  "client-certificate",
  "workload-identity",
  "managed-identity",
  "azure-cli"
];
var DEFAULT_OIDC_AUDIENCE = "api://AzureADTokenExchange";
var DEFAULT_ACR_AUDIENCE = "https://containerregistry.azure.net";
var CLI_NAMES = {
  tenantId: "--azure-tenant-id",
  clientId: "--azure-client-id",
  clientSecret: "AZURE_CLIENT_SECRET",
  certificatePath: "--azure-client-certificate",
  federatedTokenFile: "--azure-federated-token-file"
};
function pick(...values) {
  for (const v of values) if (v !== void 0 && v.trim() !== "") return v.trim();
  return void 0;
}
function acrScope(audience) {
  const a = (audience ?? DEFAULT_ACR_AUDIENCE).replace(/\/+$/, "");
  return a.endsWith("/.default") ? a : `${a}/.default`;
}
function need(value, kind, what, flag, env) {
  if (value === void 0) {
    throw new OcigraphError("INVALID_INPUT", `Entra ID sign-in with ${kind} needs the ${what}.`, {
      hint: flag === env ? `Set ${env}.` : `Give ${flag} or set ${env}.`
    });
  }
  return value;
}
function resolveEntraSettings(inputs, env, names = CLI_NAMES) {
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
    ...tenantId ? { tenantId } : {},
    ...clientId ? { clientId } : {},
    ...authorityHost ? { authorityHost } : {}
  };
  let kind = inputs.kind ?? "auto";
  if (kind === "auto") {
    if (idTokenRequestUrl && clientId && tenantId) kind = "github-oidc";
    else if (federatedTokenFile) kind = "workload-identity";
    else if (clientSecret) kind = "client-secret";
    else if (certificatePath) kind = "client-certificate";
    else return { ...base, kind: "cli-or-managed-identity" };
  }
  const ids = (k) => ({
    tenantId: need(tenantId, k, "tenant id", names.tenantId, "AZURE_TENANT_ID"),
    clientId: need(clientId, k, "client id", names.clientId, "AZURE_CLIENT_ID")
  });
  switch (kind) {
    case "github-oidc":
      if (!idTokenRequestUrl || !idTokenRequestToken) {
        throw new OcigraphError(
          "INVALID_INPUT",
          "GitHub OIDC sign-in was asked for, but this job may not request an ID token (ACTIONS_ID_TOKEN_REQUEST_URL is not set).",
          { hint: "Add `permissions: id-token: write` to the workflow job (or run inside GitHub Actions)." }
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
          "AZURE_FEDERATED_TOKEN_FILE"
        )
      };
    case "client-secret":
      return {
        ...base,
        ...ids(kind),
        kind,
        clientSecret: need(clientSecret, kind, "client secret", names.clientSecret, "AZURE_CLIENT_SECRET")
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
          "AZURE_CLIENT_CERTIFICATE_PATH"
        ),
        ...certificatePassword ? { certificatePassword } : {}
      };
    case "managed-identity":
    case "azure-cli":
      return { ...base, kind };
  }
}
function settingsSecrets(settings) {
  return [
    settings.clientSecret,
    settings.certificatePassword,
    settings.idTokenRequestToken,
    settings.systemAccessToken
  ].filter((s) => s !== void 0 && s !== "");
}

// src/oci/host.ts
var DOCKER_HUB_ALIASES = /* @__PURE__ */ new Set([
  "docker.io",
  "index.docker.io",
  "registry-1.docker.io",
  "registry.hub.docker.com"
]);
function normalizeHost(text) {
  let h = text.trim();
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(h);
  if (scheme !== null) h = h.slice(scheme[0].length);
  const slash = h.indexOf("/");
  if (slash !== -1) h = h.slice(0, slash);
  h = h.toLowerCase();
  return DOCKER_HUB_ALIASES.has(h) ? "docker.io" : h;
}
var HOST_SYNTAX = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?$|^\[[0-9a-f:.]+\](:\d{1,5})?$/;
function parseRegistryHost(text, input = "registry") {
  const host = normalizeHost(text);
  if (!HOST_SYNTAX.test(host)) {
    throw new OcigraphError("INVALID_INPUT", `${input}: "${text}" is not a registry host`, {
      hint: "give host[:port], like myregistry.azurecr.io or localhost:5000"
    });
  }
  return host;
}
function isLoopback(host) {
  let h = host.trim().toLowerCase();
  if (h.startsWith("[")) h = h.slice(1, h.indexOf("]") === -1 ? void 0 : h.indexOf("]"));
  else if (/^[^:]+:\d+$/.test(h)) h = h.slice(0, h.lastIndexOf(":"));
  return h === "localhost" || h.endsWith(".localhost") || /^127\.\d+\.\d+\.\d+$/.test(h) || h === "::1";
}

export {
  ENTRA_CREDENTIAL_KINDS,
  DEFAULT_OIDC_AUDIENCE,
  acrScope,
  resolveEntraSettings,
  settingsSecrets,
  normalizeHost,
  parseRegistryHost,
  isLoopback
};
