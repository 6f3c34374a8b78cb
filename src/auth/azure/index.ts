/**
 * Azure Container Registry sign-in through Entra ID: pick a credential from inputs and environment,
 * get an Entra token, exchange it for an ACR refresh token, hand that to the registry client.
 * `src/connect` wires these to the run's transport and to the hosts they are for.
 */
export { ACR_REFRESH_TOKEN_USERNAME } from "./exchange.js";
export {
  acrCredentialProvider,
  isAcrLoginServer,
  ACR_HOST_SUFFIXES,
  type AcrCredentialProvider,
} from "./acr-provider.js";
export { createEntraCredential, type EntraTokenSource } from "./entra.js";
export { azurePipelinesSettings, type AzureRmEndpoint } from "./pipelines.js";
export {
  ENTRA_CREDENTIAL_KINDS,
  DEFAULT_ACR_AUDIENCE,
  DEFAULT_OIDC_AUDIENCE,
  acrScope,
  resolveEntraSettings,
  type EntraCredentialKind,
  type EntraInputNames,
  type EntraInputs,
  type EntraSettings,
} from "./settings.js";
