/**
 * Azure Container Registry sign-in through Entra ID: pick a credential from inputs and environment,
 * get an Entra token, exchange it for an ACR refresh token, hand that to the registry client.
 */
import type { Dispatcher } from "undici";
import { acrCredentialProvider, type AcrCredentialProvider } from "./acr-provider.js";
import { createEntraCredential } from "./entra.js";
import { resolveEntraSettings, type EntraInputs } from "./settings.js";

export { ACR_REFRESH_TOKEN_USERNAME } from "./exchange.js";
export { isAcrLoginServer, type AcrCredentialProvider } from "./acr-provider.js";
export { azurePipelinesCredential, type AzureRmEndpoint } from "./pipelines.js";
export {
  ENTRA_CREDENTIAL_KINDS,
  DEFAULT_ACR_AUDIENCE,
  DEFAULT_OIDC_AUDIENCE,
  type EntraCredentialKind,
  type EntraInputs,
} from "./settings.js";

/** Options of {@link azureCredentials}. */
export interface AzureCredentialsOptions {
  /** Registry hosts (`host[:port]`) Entra ID sign-in is for; nothing is sent to any other host. */
  hosts: readonly string[];
  /** Also sign in to any `*.azurecr.io` (and sovereign-cloud) login server. Default false. */
  anyAcrHost?: boolean;
  /** Default `process.env`, read when this is called. */
  env?: NodeJS.ProcessEnv;
  plainHttp?: boolean;
  dispatcher?: Dispatcher;
  trace?: (line: string) => void;
  /** Told every secret as it becomes known (mask it in CI logs). */
  onSecret?: (secret: string) => void;
}

/**
 * A credential provider answering ACR refresh tokens for `opts.hosts`, signing in with what `inputs`
 * and the environment offer. Throws at once for inputs that cannot work (a missing client id, OIDC
 * asked without `id-token: write`); network failures surface when a registry first needs a token.
 */
export function azureCredentials(inputs: EntraInputs, opts: AzureCredentialsOptions): AcrCredentialProvider {
  const settings = resolveEntraSettings(inputs, opts.env ?? process.env);
  const entra = createEntraCredential(settings, {
    ...(opts.onSecret ? { onSecret: opts.onSecret } : {}),
    ...(opts.dispatcher ? { dispatcher: opts.dispatcher } : {}),
  });
  return acrCredentialProvider({
    entra,
    hosts: opts.hosts,
    ...(opts.anyAcrHost ? { anyAcrHost: true } : {}),
    ...(opts.plainHttp ? { plainHttp: true } : {}),
    ...(opts.dispatcher ? { dispatcher: opts.dispatcher } : {}),
    ...(opts.trace ? { trace: opts.trace } : {}),
    ...(opts.onSecret ? { onSecret: opts.onSecret } : {}),
  });
}
