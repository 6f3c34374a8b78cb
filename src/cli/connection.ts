import { InvalidArgumentError, Option, type Command } from "commander";
import type { ConnectionSettings } from "../connect/settings.js";
import { OcigraphError } from "../oci/errors.js";
import { type AzureFlags, addAzureOptions, azureSettingsFromFlags } from "./azure-options.js";
import type { CliIo } from "./shared.js";

/** Flags every command that talks to a target shares, named as in ORAS. */
export function addConnectionOptions(command: Command): Command {
  return addAzureOptions(command)
    .option("--oci-layout", "the reference is an OCI image layout path: <path>[:tag|@digest]")
    .option("--plain-http", "talk to the registry over plain HTTP")
    .option("--insecure", "skip TLS certificate checks")
    .option("--ca-file <path>", "trust this CA certificate (PEM), besides the system's")
    .option("-u, --username <name>", "registry username")
    .option("-p, --password <password>", "registry password or token")
    .option("--password-stdin", "read the password from standard input")
    .option("--registry-config <path>", "docker config file with credentials")
    .addOption(
      new Option("--chunk-size <bytes>", "upload blobs in PATCH chunks of this size").argParser(positiveInt),
    )
    .option("--no-cross-host-realm", "refuse to send credentials to a token service on another host")
    .option("-v, --verbose", "print an HTTP trace (secrets redacted) on stderr");
}

/**
 * Settings a flag of the same name carries as they are (`--plain-http` -> `plainHttp`; false
 * `crossHostRealm` with `--no-cross-host-realm`): typed and documented once, in ConnectionSettings.
 */
type FlagSettings = Pick<
  ConnectionSettings,
  | "ociLayout"
  | "plainHttp"
  | "insecure"
  | "caFile"
  | "username"
  | "password"
  | "registryConfig"
  | "chunkSize"
  | "crossHostRealm"
>;

export interface ConnectionFlags extends AzureFlags, FlagSettings {
  /** Read the password from standard input instead (becomes `password`). */
  passwordStdin?: boolean;
  /** Trace HTTP on stderr (becomes `trace`). */
  verbose?: boolean;
}

/** The password from `--password` or `--password-stdin` (one, not both). */
export async function readPassword(
  flags: Pick<ConnectionFlags, "password" | "passwordStdin">,
  stdin: () => Promise<string>,
): Promise<string | undefined> {
  if (!flags.passwordStdin) return flags.password;
  if (flags.password !== undefined)
    throw new OcigraphError("INVALID_INPUT", "give --password or --password-stdin, not both", {
      usage: true,
    });
  const password = (await stdin()).replace(/\r?\n$/, "");
  if (!password) throw new OcigraphError("INVALID_INPUT", "--password-stdin read an empty password");
  return password;
}

/** The connection settings the flags describe. */
export async function connectionSettings(flags: ConnectionFlags, io: CliIo): Promise<ConnectionSettings> {
  const password = await readPassword(flags, io.stdin);
  const env = io.env ?? process.env;
  return {
    ...(flags.ociLayout ? { ociLayout: true } : {}),
    ...(flags.plainHttp ? { plainHttp: true } : {}),
    ...(flags.insecure ? { insecure: true } : {}),
    ...(flags.caFile ? { caFile: flags.caFile } : {}),
    ...(flags.username !== undefined ? { username: flags.username } : {}),
    ...(password !== undefined ? { password } : {}),
    ...(flags.registryConfig ? { registryConfig: flags.registryConfig } : {}),
    ...(flags.chunkSize ? { chunkSize: flags.chunkSize } : {}),
    ...(flags.crossHostRealm === false ? { crossHostRealm: false } : {}),
    ...(flags.verbose ? { trace: (line: string) => io.stderr(`${line}\n`) } : {}),
    ...azureSettingsFromFlags(flags, env),
    ...(io.knobs ? { knobs: io.knobs } : {}),
    env,
  };
}

/** `--max-nodes`: the node cap of every graph walk of the command. */
export function maxNodesOption(): Option {
  return new Option(
    "--max-nodes <n>",
    "most referrers the graph walk may visit before it stops with an error (default 10000)",
  ).argParser(positiveInt);
}

export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) {
    // commander turns this into a usage error (exit 2) that names the option.
    throw new InvalidArgumentError(`"${value}" is not a positive whole number`);
  }
  return n;
}
