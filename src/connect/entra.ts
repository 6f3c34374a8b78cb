/**
 * Entra ID sign-in wired to the run: the `@azure/identity` credential and the ACR exchange both go
 * through the run's transport, and the exchange answers only the hosts the credential table allows.
 */
import {
  acrCredentialProvider,
  createEntraCredential,
  type AcrCredentialProvider,
  type EntraSettings,
} from "../auth/azure/index.js";
import { identityHttpClient } from "./azure-http.js";
import type { ConnectionSettings } from "./settings.js";
import type { Transport } from "./transport.js";

/**
 * The ACR credential provider for `entra`, or `undefined` without Entra settings. `plainHttp` says
 * how each host is reached (test registries over plain http exchange over plain http too).
 */
export function entraProvider(
  settings: ConnectionSettings,
  transport: Transport,
  plainHttp: (host: string) => boolean,
): AcrCredentialProvider | undefined {
  const entra: EntraSettings | undefined = settings.entra;
  if (!entra) return undefined;
  const source = createEntraCredential(entra, {
    dispatcher: transport.direct,
    httpClient: identityHttpClient(transport.direct),
    ...(settings.onSecret ? { onSecret: settings.onSecret } : {}),
  });
  return acrCredentialProvider({
    entra: source,
    hosts: settings.azureRegistries ?? [],
    plainHttp,
    dispatcher: transport.direct,
    ...(settings.onSecret ? { onSecret: settings.onSecret } : {}),
    ...(settings.trace ? { trace: settings.trace } : {}),
  });
}
