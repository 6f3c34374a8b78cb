/**
 * Errors in the words of the front end they came through. The engine's messages and hints name
 * the CLI's flags (`--plain-http`, `-u/-p`); a GitHub Action user sets inputs (`plain-http: true`)
 * and an Azure Pipelines user sets task inputs (`plainHttp: true`) or service connections. One
 * table says what each flag is called in each front end; flags that have no counterpart there are
 * named as the environment variable or step that does the same.
 */
import { toOcigraphError } from "../oci/errors.js";

export type FrontEnd = "cli" | "action" | "task";

/** CLI words → [Action words, task words]. Longest first: a phrase wins over a flag inside it. */
const WORDS: readonly [string, string, string][] = [
  [
    "--username and --password (or --password-stdin)",
    "the username and password inputs",
    "the username and password inputs (or dockerRegistryServiceConnection)",
  ],
  ["--username/--password", "the username and password inputs", "the username and password inputs"],
  ["-u/-p", "username/password", "username/password (or dockerRegistryServiceConnection)"],
  [
    "ocigraph login",
    "a docker/login-action step",
    "a Docker@2 login step or dockerRegistryServiceConnection",
  ],
  ["--plain-http / --insecure", "plain-http / insecure", "plainHttp / insecure"],
  ["--plain-http", "`plain-http: true`", "`plainHttp: true`"],
  ["--insecure", "`insecure: true`", "`insecure: true`"],
  ["--ca-file", "NODE_EXTRA_CA_CERTS", "NODE_EXTRA_CA_CERTS"],
  ["--registry-config", "registry-config", "registryConfig"],
  ["--fail-on-duplicate", "fail-on-duplicate", "failOnDuplicate"],
  ["--azure-credential", "azure-credential", "azureSubscription"],
  ["--azure-client-id", "azure-client-id", "the azureSubscription service connection's client id"],
  ["--azure-tenant-id", "azure-tenant-id", "the azureSubscription service connection's tenant id"],
  ["--azure-audience", "azure-audience", "azureAudience"],
  ["--azure-authority-host", "AZURE_AUTHORITY_HOST", "the azureSubscription service connection's cloud"],
  ["--azure-federated-token-file", "AZURE_FEDERATED_TOKEN_FILE", "AZURE_FEDERATED_TOKEN_FILE"],
  ["--azure-client-certificate", "AZURE_CLIENT_CERTIFICATE_PATH", "AZURE_CLIENT_CERTIFICATE_PATH"],
  ["--azure-client-secret", "AZURE_CLIENT_SECRET", "AZURE_CLIENT_SECRET"],
  ["--concurrency", "the default concurrency", "the default concurrency"],
];

/** `text` with the CLI's flags replaced by what `frontEnd` calls them. */
export function inFrontEndWords(text: string, frontEnd: FrontEnd): string {
  if (frontEnd === "cli") return text;
  const column = frontEnd === "action" ? 1 : 2;
  let out = text;
  for (const row of WORDS) {
    // A flag is replaced only as a whole word: `--plain-http` but not `--plain-https`.
    const escaped = row[0].replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
    out = out.replace(
      new RegExp(`(^|[^\\w-])${escaped}(?![\\w-])`, "g"),
      (_m, before: string) => before + row[column],
    );
  }
  return out;
}

/** One failure sentence, what went wrong then what to try, in the words of `frontEnd`. */
export function failureSentence(err: unknown, frontEnd: FrontEnd): string {
  const error = toOcigraphError(err);
  const text = error.hint ? `${error.message} (${error.hint})` : error.message;
  return inFrontEndWords(text, frontEnd);
}
