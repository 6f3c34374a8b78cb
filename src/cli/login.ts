/**
 * `ocigraph login <registry>` and `ocigraph logout <registry>`: docker-compatible credentials, so
 * later `docker`, `oras` or `notation` steps in the same job are signed in too.
 */
import type { Command } from "commander";
import { dockerConfigPath, removeCredential, storeCredential } from "../auth/docker-config.js";
import { OcigraphError } from "../oci/errors.js";
import { parseRegistryHost } from "../oci/host.js";
import { addAzureOptions, azureSettingsFromFlags, wantsAzure, type AzureFlags } from "./azure-options.js";
import { readPassword } from "./connection.js";
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
    const host = parseRegistryHost(registry);
    const basic =
      flags.username !== undefined || flags.password !== undefined || flags.passwordStdin === true;
    if (wantsAzure(flags) && basic) {
      throw new OcigraphError(
        "INVALID_INPUT",
        "give either --azure-* flags or --username/--password, not both",
      );
    }
    const env = io.env ?? process.env;
    const password = wantsAzure(flags) ? undefined : await readPassword(flags, io.stdin);
    // The HTTP client loads only when a login runs (start-up, see program.ts).
    const { checkLogin } = await import("../connect/login.js");
    const cred = await checkLogin(host, {
      ...(flags.username !== undefined ? { username: flags.username } : {}),
      ...(password !== undefined ? { password } : {}),
      ...(flags.plainHttp ? { plainHttp: true } : {}),
      ...(flags.insecure ? { insecure: true } : {}),
      ...(flags.caFile ? { caFile: flags.caFile } : {}),
      ...(flags.verbose ? { trace: (line: string) => io.stderr(`${line}\n`) } : {}),
      ...azureSettingsFromFlags(flags, env),
      ...(io.knobs ? { knobs: io.knobs } : {}),
      env,
    });
    const path = dockerConfigPath(flags.registryConfig, env);
    await storeCredential(path, host, cred);
    io.stdout(`Login Succeeded (${host}, saved in ${path})\n`);
  });

  program
    .command("logout")
    .description("remove a registry's credential from the docker config")
    .argument("<registry>", "registry host")
    .option("--registry-config <path>", "docker config file (default: $DOCKER_CONFIG or ~/.docker)")
    .action(async (registry: string, flags: { registryConfig?: string }) => {
      const host = parseRegistryHost(registry);
      await removeCredential(dockerConfigPath(flags.registryConfig, io.env ?? process.env), host);
      io.stdout(`Removed the credential for ${host}\n`);
    });
}
