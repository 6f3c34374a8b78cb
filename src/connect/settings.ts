/**
 * What every front end collects about reaching registries: transport settings, the credential
 * sources, and the `OCIGRAPH_*` tuning knobs, read once from the environment at each entry point.
 */
import type { Credential } from "../auth/credential.js";
import type { EntraSettings } from "../auth/azure/index.js";
import type { RemoteTargetOptions } from "../registry/repository.js";

/**
 * Test and CI tuning, from `OCIGRAPH_*` environment variables (listed in the README). Unset or not
 * a positive whole number means the default.
 */
export interface EnvKnobs {
  /** `OCIGRAPH_MAX_RETRIES`: retries of an idempotent request (default 4). */
  maxRetries?: number;
  /** `OCIGRAPH_RETRY_DELAY_MS`: first backoff delay, doubled each retry (default 300). */
  retryDelayMs?: number;
  /** `OCIGRAPH_TIMEOUT_MS`: per-request deadline for everything but blob bodies (default 60000). */
  timeoutMs?: number;
  /** `OCIGRAPH_MAX_UNPACK_BYTES`: what one pulled directory may unpack to (default 8 GiB). */
  maxUnpackBytes?: number;
}

const KNOBS: readonly [keyof EnvKnobs, string][] = [
  ["maxRetries", "OCIGRAPH_MAX_RETRIES"],
  ["retryDelayMs", "OCIGRAPH_RETRY_DELAY_MS"],
  ["timeoutMs", "OCIGRAPH_TIMEOUT_MS"],
  ["maxUnpackBytes", "OCIGRAPH_MAX_UNPACK_BYTES"],
];

/** Reads the `OCIGRAPH_*` knobs; called once by each entry point (CLI, Action, task). */
export function readEnvKnobs(env: NodeJS.ProcessEnv): EnvKnobs {
  const knobs: EnvKnobs = {};
  for (const [key, name] of KNOBS) {
    const value = Number(env[name]);
    if (Number.isSafeInteger(value) && value > 0) knobs[key] = value;
  }
  return knobs;
}

/** The settings of one side of a copy (`--from-*`, `--to-*`), over the shared ones. */
export type SideSettings = Pick<
  ConnectionSettings,
  "ociLayout" | "plainHttp" | "username" | "password" | "registryConfig"
>;

export type Side = "from" | "to";

/** How to reach and authenticate to targets; what every front end collects from its inputs. */
export interface ConnectionSettings {
  /** The reference is an OCI image layout path (`<path>[:tag|@digest]`). */
  ociLayout?: boolean;
  plainHttp?: boolean;
  insecure?: boolean;
  caFile?: string;
  /** Sent to every registry of the command that has no more specific credential. */
  username?: string;
  password?: string;
  /** Docker config file to read credentials from (default: $DOCKER_CONFIG or ~/.docker). */
  registryConfig?: string;
  /** Copy's source and destination settings, over the shared ones. */
  from?: SideSettings;
  to?: SideSettings;
  /** Entra ID sign-in, used for ACR login servers and {@link azureRegistries} only. */
  entra?: EntraSettings;
  /** Registry hosts the user named for Entra ID sign-in (`--azure-registry`), besides `*.azurecr.*`. */
  azureRegistries?: readonly string[];
  /** Credentials a CI service connection holds, each answered for its own registry only. */
  hostCredentials?: readonly { host: string; credential: Credential }[];
  /** Told every secret as it becomes known (mask it in the CI log). */
  onSecret?: (secret: string) => void;
  /** One line per HTTP request/response, secrets redacted. */
  trace?: (line: string) => void;
  /** PATCH chunk size for uploads; 0 = one PUT. */
  chunkSize?: number;
  /** Tag-schema index timing and observer for every remote target (tests; defaults otherwise). */
  fallback?: Pick<RemoteTargetOptions, "fallbackTiming" | "onFallbackUpdate">;
  knobs?: EnvKnobs;
  /** False refuses to send credentials to a Bearer realm on another host (default: warn once). */
  crossHostRealm?: boolean;
  /**
   * Receives warnings, one line each (front ends neutralise them): forged referrer entries
   * ignored, a token service on another host receiving credentials.
   */
  warn?: (message: string) => void;
  /** Proxy variables, docker config location, credential helpers' PATH. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
}
