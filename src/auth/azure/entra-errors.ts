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
  if (name === "CredentialUnavailableError" || name === "AggregateAuthenticationError") {
    return new OcigraphError(
      "UNAUTHORIZED",
      `No Entra ID credential is available (${settings.kind}): ${firstLine(text)}`,
      {
        hint: "Choose one with --azure-credential (github-oidc, client-secret, client-certificate, workload-identity, managed-identity, azure-cli) and give its inputs, or sign in with `az login`.",
        cause: redactedCause(err, text),
      },
    );
  }
  return new OcigraphError("UNAUTHORIZED", `Entra ID sign-in (${settings.kind}) failed: ${firstLine(text)}`, {
    hint: "Check the tenant id, client id and the credential given for the app.",
    cause: redactedCause(err, text),
  });
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
