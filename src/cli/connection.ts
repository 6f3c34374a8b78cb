import { InvalidArgumentError, Option, type Command } from "commander";
import { OcigraphError } from "../oci/errors.js";
import type { ConnectionOptions } from "../job/open-target.js";
import { type AzureFlags, addAzureOptions, azureProviderFromFlags } from "./azure-options.js";

/** Flags every command that talks to a target shares, named as in ORAS. */
export function addConnectionOptions(command: Command): Command {
  return addAzureOptions(command)
    .option("--oci-layout", "the reference is an OCI image layout path: <path>[:tag|@digest]")
    .option("--plain-http", "talk to the registry over plain HTTP")
    .option("--insecure", "skip TLS certificate checks")
    .option("--ca-file <path>", "trust this CA certificate (PEM)")
    .option("-u, --username <name>", "registry username")
    .option("-p, --password <password>", "registry password or token")
    .option("--password-stdin", "read the password from standard input")
    .option("--registry-config <path>", "docker config file with credentials")
    .addOption(
      new Option("--chunk-size <bytes>", "upload blobs in PATCH chunks of this size").argParser(positiveInt),
    )
    .option("-v, --verbose", "print an HTTP trace (secrets redacted) on stderr");
}

export interface ConnectionFlags extends AzureFlags {
  ociLayout?: boolean;
  plainHttp?: boolean;
  insecure?: boolean;
  caFile?: string;
  username?: string;
  password?: string;
  passwordStdin?: boolean;
  registryConfig?: string;
  chunkSize?: number;
  verbose?: boolean;
}

export async function connectionOptions(
  flags: ConnectionFlags,
  stdin: () => Promise<string>,
): Promise<ConnectionOptions> {
  let password = flags.password;
  if (flags.passwordStdin) {
    if (password !== undefined)
      throw new OcigraphError("INVALID_INPUT", "give --password or --password-stdin, not both");
    password = (await stdin()).replace(/\r?\n$/, "");
    if (!password) throw new OcigraphError("INVALID_INPUT", "--password-stdin read an empty password");
  }
  return {
    ...(flags.ociLayout ? { ociLayout: true } : {}),
    ...(flags.plainHttp ? { plainHttp: true } : {}),
    ...(flags.insecure ? { insecure: true } : {}),
    ...(flags.caFile ? { caFile: flags.caFile } : {}),
    ...(flags.username !== undefined ? { username: flags.username } : {}),
    ...(password !== undefined ? { password } : {}),
    ...(flags.registryConfig ? { registryConfig: flags.registryConfig } : {}),
    ...(flags.chunkSize ? { chunkSize: flags.chunkSize } : {}),
    ...(flags.verbose ? { trace: (line: string) => process.stderr.write(`${line}\n`) } : {}),
    ...azureCredentialsOption(flags),
  };
}

function azureCredentialsOption(flags: ConnectionFlags): Pick<ConnectionOptions, "credentials"> {
  const credentials = azureProviderFromFlags(flags, {
    ...(flags.plainHttp ? { plainHttp: true } : {}),
    ...(flags.insecure ? { insecure: true } : {}),
    ...(flags.caFile ? { caFile: flags.caFile } : {}),
    ...(flags.verbose ? { trace: (line: string) => process.stderr.write(`${line}\n`) } : {}),
  });
  return credentials ? { credentials } : {};
}

export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) {
    // commander turns this into a usage error (exit 2) that names the option.
    throw new InvalidArgumentError(`"${value}" is not a positive whole number`);
  }
  return n;
}
