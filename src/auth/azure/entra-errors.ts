/** Turning `@azure/identity` failures into one sentence naming the cause and the fix. */
import { OcigraphError } from "../../oci/errors.js";
import { redactText } from "../redact.js";
import type { EntraSettings } from "./settings.js";

interface Known {
  codes: string[];
  code: "UNAUTHORIZED" | "DENIED" | "INVALID_INPUT";
  message: (s: EntraSettings) => string;
  hint: string;
}

const KNOWN: Known[] = [
  {
    codes: ["AADSTS7000215", "AADSTS7000222", "AADSTS7000216"],
    code: "UNAUTHORIZED",
    message: (s) => `Entra ID refused the client secret of app ${s.clientId ?? "?"} (wrong or expired).`,
    hint: "Create a new client secret for the app registration and update AZURE_CLIENT_SECRET / the CI secret.",
  },
  {
    // MSAL reports an unknown tenant as endpoints_resolution_error (the tenant's OpenID configuration is 400)
    codes: ["AADSTS90002", "AADSTS900023", "AADSTS90013", "endpoints_resolution_error"],
    code: "INVALID_INPUT",
    message: (s) =>
      `Entra ID does not know the tenant "${s.tenantId ?? "?"}"${s.authorityHost ? ` at ${s.authorityHost}` : ""}.`,
    hint: "Use the directory (tenant) id of the registry's subscription (az account show --query tenantId), and the authority host of its cloud.",
  },
  {
    codes: ["AADSTS700016"],
    code: "INVALID_INPUT",
    message: (s) => `App ${s.clientId ?? "?"} is not registered in tenant ${s.tenantId ?? "?"}.`,
    hint: "Check --azure-client-id and --azure-tenant-id: the tenant must be the one holding the app registration.",
  },
  {
    codes: ["AADSTS700024", "AADSTS700027", "AADSTS50013"],
    code: "UNAUTHORIZED",
    message: () => "Entra ID refused the federated token: it has expired or is not yet valid.",
    hint: "Federated tokens live minutes: request a fresh one (for Kubernetes, check the projected token is being rotated) and check the clock.",
  },
  {
    codes: ["AADSTS70021", "AADSTS700213", "AADSTS700211", "AADSTS700212"],
    code: "UNAUTHORIZED",
    message: (s) =>
      `App ${s.clientId ?? "?"} has no federated credential matching this token's issuer, subject and audience.`,
    hint: "Add a federated credential to the app for this repository/branch/environment (GitHub) or service account (Kubernetes).",
  },
  {
    codes: ["AADSTS500011", "AADSTS70011"],
    code: "INVALID_INPUT",
    message: (s) => `Entra ID does not know the ACR audience ${s.scope}.`,
    hint: "Use the container-registry audience of your cloud with --azure-audience (and its --azure-authority-host).",
  },
];

/**
 * The OcigraphError for a failed Entra sign-in: a known `AADSTS` code becomes its cause and fix, a
 * missing credential says what to configure, anything else keeps Entra's words. Secrets are redacted.
 */
export function entraError(err: unknown, settings: EntraSettings, secrets: readonly string[]): OcigraphError {
  const raw = err instanceof Error ? err.message : String(err);
  const text = redactText(raw, secrets);
  for (const k of KNOWN) {
    if (k.codes.some((c) => text.includes(c))) {
      return new OcigraphError(k.code, k.message(settings), {
        hint: k.hint,
        cause: redactedCause(err, text),
      });
    }
  }
  const name = err instanceof Error ? err.name : "";
  const what = KIND_WORDS[settings.kind];
  if (name === "CredentialUnavailableError" || name === "AggregateAuthenticationError") {
    return new OcigraphError("UNAUTHORIZED", `Entra ID sign-in found no ${what.tried}.`, {
      hint: what.needs,
      cause: redactedCause(err, text),
    });
  }
  const said = withoutSdkNames(firstLine(text));
  return new OcigraphError(
    "UNAUTHORIZED",
    `Entra ID sign-in with ${what.name} failed${said ? `: ${said}` : ""}.`.replace(/\.\.$/, "."),
    { hint: what.needs, cause: redactedCause(err, text) },
  );
}

/** For each kind: its name, what "unavailable" means for it, and the settings it needs. */
const KIND_WORDS: Record<EntraSettings["kind"], { name: string; tried: string; needs: string }> = {
  "github-oidc": {
    name: "GitHub OIDC",
    tried: "GitHub ID token (the job cannot request one)",
    needs:
      "Give --azure-client-id and --azure-tenant-id of an app with a federated credential for this repository, and `permissions: id-token: write`.",
  },
  "client-secret": {
    name: "a client secret",
    tried: "client secret",
    needs: "Give --azure-client-id, --azure-tenant-id and the app's secret in AZURE_CLIENT_SECRET.",
  },
  "client-certificate": {
    name: "a client certificate",
    tried: "usable client certificate",
    needs:
      "Give --azure-client-id, --azure-tenant-id and --azure-client-certificate (a PEM with the certificate and its private key).",
  },
  "workload-identity": {
    name: "workload identity",
    tried: "workload identity token",
    needs:
      "Give --azure-client-id, --azure-tenant-id and --azure-federated-token-file (a token file the platform keeps fresh).",
  },
  "managed-identity": {
    name: "a managed identity",
    tried: "managed identity on this machine",
    needs:
      "Run on an Azure host with a managed identity (give --azure-client-id for a user-assigned one), or choose another --azure-credential.",
  },
  "azure-cli": {
    name: "the Azure CLI session",
    tried: "Azure CLI session (`az` missing or not signed in)",
    needs: "Run `az login` (or `az login --identity`) first, or choose another --azure-credential.",
  },
  "cli-or-managed-identity": {
    name: "the Azure CLI session or a managed identity",
    tried: "credential: no Azure CLI session (`az login`) and no managed identity on this machine",
    needs:
      "Give --azure-client-id and --azure-tenant-id with a secret (AZURE_CLIENT_SECRET), a certificate or a federated token, or run `az login`; --azure-credential chooses one.",
  },
  "azure-pipelines": {
    name: "the Azure Pipelines service connection",
    tried: "usable service connection (workload identity federation needs SYSTEM_ACCESSTOKEN)",
    needs:
      "Map `SYSTEM_ACCESSTOKEN: $(System.AccessToken)` in the step's env, and check the service connection's app and tenant.",
  },
};

/** The SDK's own class names (`ChainedTokenCredential`, `AuthenticationError`) mean nothing to a user. */
function withoutSdkNames(text: string): string {
  return text
    .replace(/\b[A-Z][A-Za-z]*(Credential|Error)\b( authentication failed)?[.:]?/g, "")
    .replace(/\s+/g, " ")
    .replace(/^[\s.:,-]+|[\s.:,-]+$/g, "")
    .trim();
}

function firstLine(text: string): string {
  const line = text.split(/\r?\n/).find((l) => l.trim() !== "") ?? text;
  return line.trim().slice(0, 300);
}

/** The cause kept for debugging, with the secrets taken out of its message. */
function redactedCause(err: unknown, text: string): Error {
  const e = new Error(text);
  e.name = err instanceof Error ? err.name : "Error";
  return e;
}
