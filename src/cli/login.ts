/**
 * `ocigraph login <registry>` and `ocigraph logout <registry>`: docker-compatible credentials, so
 * later `docker`, `oras` or `notation` steps in the same job are signed in too.
 */
import type { Command } from "commander";
import { ACR_REFRESH_TOKEN_USERNAME } from "../auth/azure/index.js";
import { staticProvider, type Credential } from "../auth/credential.js";
import { dockerConfigPath, removeCredential, storeCredential } from "../auth/docker-config.js";
import { OcigraphError } from "../oci/errors.js";
import { RegistryClient } from "../registry/client.js";
import { createTransport } from "../registry/transport.js";
import { addAzureOptions, azureProviderFromFlags, wantsAzure, type AzureFlags } from "./azure-options.js";
import type { CliIo } from "./shared.js";

interface LoginFlags extends AzureFlags {
  username?: string;
  password?: string;
  passwordStdin?: boolean;
  registryConfig?: string;
  plainHttp?: boolean;
  insecure?: boolean;
  caFile?: string;
  verbose?: boolean;
}

/** `host[:port]` from what a user typed: `https://myreg.azurecr.io/` gives `myreg.azurecr.io`. */
export function registryHost(input: string): string {
  const host = input
    .trim()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//i, "")
    .replace(/\/.*$/, "")
    .toLowerCase();
  if (!/^[a-z0-9.-]+(:\d+)?$|^\[[0-9a-f:]+\](:\d+)?$/.test(host)) {
    throw new OcigraphError(
      "INVALID_INPUT",
      `"${input}" is not a registry host (like myregistry.azurecr.io).`,
    );
  }
  return host === "docker.io" ? "registry-1.docker.io" : host;
}

async function credentialFor(
  host: string,
  flags: LoginFlags,
  io: CliIo,
  trace?: (l: string) => void,
): Promise<Credential> {
  const basic = flags.username !== undefined || flags.password !== undefined || flags.passwordStdin === true;
  if (wantsAzure(flags)) {
    if (basic) {
      throw new OcigraphError(
        "INVALID_INPUT",
        "give either --azure-* flags or --username/--password, not both",
      );
    }
    const provider = azureProviderFromFlags(
      { ...flags, azureTargetHosts: [host] },
      {
        ...(flags.plainHttp ? { plainHttp: true } : {}),
        ...(flags.insecure ? { insecure: true } : {}),
        ...(flags.caFile ? { caFile: flags.caFile } : {}),
        ...(trace ? { trace } : {}),
      },
    );
    const cred = await provider?.(host);
    if (!cred?.refreshToken)
      throw new OcigraphError("INTERNAL", `no ACR refresh token was obtained for ${host}`);
    return { username: ACR_REFRESH_TOKEN_USERNAME, refreshToken: cred.refreshToken };
  }
  let password = flags.password;
  if (flags.passwordStdin) {
    if (password !== undefined)
      throw new OcigraphError("INVALID_INPUT", "give --password or --password-stdin, not both");
    password = (await io.stdin()).replace(/\r?\n$/, "");
  }
  if (!flags.username || !password) {
    throw new OcigraphError(
      "INVALID_INPUT",
      `login to ${host} needs --username and --password (or --password-stdin)`,
      {
        hint: "For Azure Container Registry, sign in with Entra ID instead: --azure-credential auto.",
      },
    );
  }
  return { username: flags.username, password };
}

/** Checks the credential against the registry: `GET /v2/` must answer 200 once authenticated. */
async function verify(
  host: string,
  cred: Credential,
  flags: LoginFlags,
  trace?: (l: string) => void,
): Promise<void> {
  const transport = createTransport({
    ...(flags.insecure ? { insecure: true } : {}),
    ...(flags.caFile ? { caFile: flags.caFile } : {}),
  });
  try {
    const client = new RegistryClient({
      host,
      dispatcher: transport,
      credentials: staticProvider(host, cred),
      ...(flags.plainHttp ? { plainHttp: true } : {}),
      ...(trace ? { trace } : {}),
    });
    const res = await client.request({ method: "GET", path: "/v2/", scopes: [] });
    await res.body.dump().catch(() => undefined);
    if (res.status === 401 || res.status === 403) {
      throw new OcigraphError(
        res.status === 401 ? "UNAUTHORIZED" : "DENIED",
        `${host} refused the credentials (HTTP ${res.status}).`,
        {
          status: res.status,
          hint: "Check the username and password (or token) for this registry.",
        },
      );
    }
    if (res.status !== 200) {
      throw new OcigraphError("REGISTRY", `${host} answered GET /v2/ with HTTP ${res.status}.`, {
        status: res.status,
      });
    }
  } finally {
    await transport.close();
  }
}

/** Adds `login` and `logout` to the program. */
export function registerLoginCommands(program: Command, io: CliIo): void {
  addAzureOptions(
    program
      .command("login")
      .description(
        "sign in to a registry and save the credential in the docker config (ACR: through Entra ID)",
      )
      .argument("<registry>", "registry host, e.g. myregistry.azurecr.io")
      .option("-u, --username <name>", "registry username")
      .option("-p, --password <password>", "registry password or token")
      .option("--password-stdin", "read the password from standard input")
      .option(
        "--registry-config <path>",
        "docker config file to write (default: $DOCKER_CONFIG or ~/.docker)",
      )
      .option("--plain-http", "talk to the registry over plain HTTP")
      .option("--insecure", "skip TLS certificate checks")
      .option("--ca-file <path>", "trust this CA certificate (PEM)")
      .option("-v, --verbose", "print an HTTP trace (secrets redacted) on stderr"),
  ).action(async (registry: string, flags: LoginFlags) => {
    const host = registryHost(registry);
    const trace = flags.verbose ? (line: string) => io.stderr(`${line}\n`) : undefined;
    const cred = await credentialFor(host, flags, io, trace);
    await verify(host, cred, flags, trace);
    const path = dockerConfigPath(flags.registryConfig);
    await storeCredential(path, host, cred);
    io.stdout(`Login Succeeded (${host}, saved in ${path})\n`);
  });

  program
    .command("logout")
    .description("remove a registry's credential from the docker config")
    .argument("<registry>", "registry host")
    .option("--registry-config <path>", "docker config file (default: $DOCKER_CONFIG or ~/.docker)")
    .action(async (registry: string, flags: { registryConfig?: string }) => {
      const host = registryHost(registry);
      await removeCredential(dockerConfigPath(flags.registryConfig), host);
      io.stdout(`Removed the credential for ${host}\n`);
    });
}
