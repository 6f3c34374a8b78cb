/**
 * Which credentials each host gets: one table, in the order the sources are asked. An Entra ID token
 * is exchanged only with ACR login servers (`*.azurecr.io` and the sovereign suffixes) and the hosts
 * named with `--azure-registry`, and only when that host's challenge sends the client to its own
 * `/oauth2/token` (checked by the ACR provider); every other host gets its own credentials.
 */
import { isAcrLoginServer } from "../auth/azure/index.js";
import { chainProviders, labelled, staticProvider, type CredentialProvider } from "../auth/credential.js";
import { dockerConfigPath, dockerConfigProvider } from "../auth/docker-config.js";
import { normalizeHost } from "../oci/host.js";
import { OcigraphError } from "../oci/errors.js";
import type { ConnectionSettings, Side } from "./settings.js";

/** One source of credentials for a host, as the table names it. */
export type CredentialSource =
  /** `--from-username/--from-password` or `--to-*`: the side's own user. */
  | "side-user"
  /** Entra ID, exchanged for an ACR refresh token (when the challenge is ACR's own). */
  | "entra"
  /** A CI service connection bound to this host (the task's Docker registry connection). */
  | "service-connection"
  /** `-u/-p`, the `username`/`password` inputs. */
  | "user"
  /** The docker config: `auths`, `credHelpers`, `credsStore` (`--registry-config`, or the side's). */
  | "docker-config";

/** True when Entra ID sign-in is for `host` at all: an ACR login server, or named by the user. */
export function entraCovers(host: string, settings: Pick<ConnectionSettings, "azureRegistries">): boolean {
  const h = normalizeHost(host);
  return isAcrLoginServer(h) || (settings.azureRegistries ?? []).some((r) => normalizeHost(r) === h);
}

/** The credential sources for `host` (on one `side` of a copy), in the order they are asked. */
export function credentialSources(
  host: string,
  settings: ConnectionSettings,
  side?: Side,
): CredentialSource[] {
  const own = side ? settings[side] : undefined;
  const sources: CredentialSource[] = [];
  if (own?.username !== undefined || own?.password !== undefined) sources.push("side-user");
  if (settings.entra && entraCovers(host, settings)) sources.push("entra");
  const h = normalizeHost(host);
  if ((settings.hostCredentials ?? []).some((c) => normalizeHost(c.host) === h)) {
    sources.push("service-connection");
  }
  const sideUser = sources.includes("side-user");
  if (!sideUser && (settings.username !== undefined || settings.password !== undefined)) sources.push("user");
  sources.push("docker-config");
  return sources;
}

/** Both halves of a user, or an error naming the flags. */
function user(username: string | undefined, password: string | undefined, flags: string): CredentialProvider {
  if (!username || password === undefined) {
    throw new OcigraphError("INVALID_INPUT", `give both ${flags}`, {
      usage: true,
      hint: "or neither, to use the docker config's credentials",
    });
  }
  const credential = { username, password };
  return async () => credential;
}

/**
 * The docker config does not change during a run, but the registry client asks its provider at
 * every token fetch (so that an expiring ACR token can be renewed): answer each host once, so a
 * credential helper is spawned once per host, not once per token.
 */
export function remembered(provider: CredentialProvider): CredentialProvider {
  const answers = new Map<string, ReturnType<CredentialProvider>>();
  return (host) => {
    let answer = answers.get(host);
    if (!answer) {
      answer = provider(host);
      answers.set(host, answer);
      answer.catch(() => answers.delete(host));
    }
    return answer;
  };
}

/** What the table's sources are built from: the run's Entra provider and docker config readers. */
export interface CredentialParts {
  entra?: CredentialProvider;
  /** The docker config provider for a config path (`undefined`: the default location). */
  dockerConfig(path: string | undefined): CredentialProvider;
}

/**
 * How a refusal names each source, in the CLI's words (the Action and the task translate them):
 * the registry says "refused the credentials from <this>", or "looked in <these>" when none was found.
 */
export function sourceName(source: CredentialSource, settings: ConnectionSettings, side?: Side): string {
  switch (source) {
    case "side-user":
      return `--${side}-username/--${side}-password`;
    case "entra":
      return "Entra ID (--azure-credential)";
    case "service-connection":
      return "the service connection";
    case "user":
      return "-u/-p";
    case "docker-config": {
      const own = side ? settings[side] : undefined;
      const path = own?.registryConfig ?? settings.registryConfig;
      return `the docker config ${dockerConfigPath(path, settings.env ?? process.env)} (--registry-config)`;
    }
  }
}

/** The chain of providers {@link credentialSources} names for `host`. */
export function credentialProvider(
  host: string,
  settings: ConnectionSettings,
  parts: CredentialParts,
  side?: Side,
): CredentialProvider {
  const own = side ? settings[side] : undefined;
  const sideFlags = `--${side}-username and --${side}-password`;
  const providers = credentialSources(host, settings, side).map((source): CredentialProvider => {
    switch (source) {
      case "side-user":
        return user(own?.username, own?.password, sideFlags);
      case "entra":
        return parts.entra ?? (async () => undefined);
      case "service-connection":
        return chainProviders(
          ...(settings.hostCredentials ?? []).map((c) => staticProvider(c.host, c.credential)),
        );
      case "user":
        return user(settings.username, settings.password, "--username and --password (or --password-stdin)");
      case "docker-config":
        return parts.dockerConfig(own?.registryConfig ?? settings.registryConfig);
    }
  });
  const names = credentialSources(host, settings, side).map((source) => sourceName(source, settings, side));
  return chainProviders(...providers.map((p, i) => labelled(p, names[i] as string)));
}

/** Docker config providers, one per config file, each remembering its answers. */
export function dockerConfigs(env: NodeJS.ProcessEnv | undefined): CredentialParts["dockerConfig"] {
  const byPath = new Map<string, CredentialProvider>();
  return (path) => {
    const key = path ?? "";
    let provider = byPath.get(key);
    if (!provider) {
      provider = remembered(dockerConfigProvider({ ...(path ? { path } : {}), ...(env ? { env } : {}) }));
      byPath.set(key, provider);
    }
    return provider;
  };
}
