import type { Dispatcher } from "undici";
import { OcigraphError, type ErrorCode, type RegistryErrorDetail } from "../oci/errors.js";

const MAX_ERROR_BODY = 64 * 1024;

/** Reads at most 64 KiB of an error body and returns its OCI error list (empty when none). */
export async function readRegistryErrors(
  body: Dispatcher.ResponseData["body"],
): Promise<RegistryErrorDetail[]> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      const buf = chunk as Buffer;
      if (size + buf.length > MAX_ERROR_BODY) {
        chunks.push(buf.subarray(0, MAX_ERROR_BODY - size));
        body.destroy();
        break;
      }
      chunks.push(buf);
      size += buf.length;
    }
  } catch {
    return [];
  }
  try {
    const parsed = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { errors?: unknown };
    if (!Array.isArray(parsed.errors)) return [];
    return parsed.errors
      .filter(
        (e): e is { code: string; message?: unknown } => typeof (e as { code?: unknown })?.code === "string",
      )
      .map((e) => ({
        code: e.code,
        ...(typeof e.message === "string" ? { message: e.message.slice(0, 300) } : {}),
      }));
  } catch {
    return [];
  }
}

function codeForStatus(status: number): ErrorCode {
  if (status === 401) return "UNAUTHORIZED";
  if (status === 403) return "DENIED";
  if (status === 404) return "NOT_FOUND";
  if (status === 405) return "UNSUPPORTED";
  if (status === 409 || status === 412) return "CONFLICT";
  if (status === 413) return "TOO_LARGE";
  if (status === 400) return "INVALID_CONTENT";
  return "REGISTRY";
}

function hintForStatus(status: number): string | undefined {
  if (status === 401) return "check the credentials (-u/-p, --registry-config, or ocigraph login)";
  if (status === 403) return "the credentials lack permission for this repository (pull, push or delete)";
  if (status === 405) return "this registry does not allow this operation";
  if (status === 429) return "the registry is rate limiting; wait and run again";
  if (status >= 500) return "the registry failed; run again later";
  return undefined;
}

/** What a request needs, by method: reading is pull, writing is push. */
function permissionFor(method: string): "pull" | "push" | "delete" {
  if (method === "DELETE") return "delete";
  return method === "GET" || method === "HEAD" ? "pull" : "push";
}

const ACR_ROLE = { pull: "AcrPull", push: "AcrPush", delete: "AcrDelete" } as const;

/**
 * The error for a refused request (401 or 403), saying which credentials were sent and where they
 * came from, or where ocigraph looked when it found none; a 403 names the missing permission, and so
 * does a 401 with `insufficient_scope` for credentials that were sent (anonymous: log in).
 */
export function refusedError(
  what: string,
  status: 401 | 403,
  host: string,
  registryErrors: RegistryErrorDetail[],
  auth: { method: string; source?: string; looked: readonly string[]; insufficientScope?: boolean },
): OcigraphError {
  const codes = registryErrors.map((e) => e.code).join(", ");
  // "answered 403 (DENIED)"; inside parentheses already: "(401, UNAUTHORIZED)".
  const said = codes ? ` (${codes})` : "";
  const alsoSaid = codes ? `, ${codes}` : "";
  const options = { status, registryErrors };
  // A 401 with `insufficient_scope` refuses the action, like a 403: the credentials are fine.
  if (status === 403 || (auth.insufficientScope === true && auth.source)) {
    const permission = permissionFor(auth.method);
    const who = auth.source ? `the credentials from ${auth.source}` : "anonymous access";
    // The challenge's reason says more than the body's code (UNAUTHORIZED) for such a 401.
    const why = status === 403 ? said : " (insufficient_scope)";
    return new OcigraphError(
      "DENIED",
      `${what}: ${host} answered ${status}${why}: ${who} may not ${permission} here`,
      {
        ...options,
        hint: `grant the ${permission} permission on this repository (on ACR the ${ACR_ROLE[permission]} role; on GHCR a token with ${permission === "pull" ? "read" : "write"}:packages)`,
      },
    );
  }
  if (auth.source) {
    return new OcigraphError(
      "UNAUTHORIZED",
      `${what}: ${host} refused the credentials from ${auth.source} (401${alsoSaid})`,
      {
        ...options,
        hint: "they are wrong or expired: log in again (ocigraph login) or fix them there",
      },
    );
  }
  const looked = auth.looked.length ? `; looked in ${auth.looked.join(", ")}` : "";
  return new OcigraphError(
    "UNAUTHORIZED",
    `${what}: ${host} wants credentials (401${alsoSaid}) and none were found for it${looked}`,
    {
      ...options,
      hint: `log in (ocigraph login ${host}) or give -u/-p`,
    },
  );
}

/** An OcigraphError for a registry answer: what was asked, what it said, what to try. */
export function registryError(
  what: string,
  status: number,
  registryErrors: RegistryErrorDetail[],
  hint?: string,
): OcigraphError {
  const said = registryErrors.length
    ? `: ${registryErrors.map((e) => (e.message ? `${e.code} (${e.message})` : e.code)).join(", ")}`
    : "";
  // ACR's answer for a write or delete on a locked manifest, tag or repository (or a full registry).
  const resolvedHint = registryErrors.some((e) => e.code === "REGISTRY_DISALLOWED_OPERATION")
    ? "the manifest, its tag or the repository is locked (ACR changeableAttributes; see ocigraph manifests <repository> and ocigraph unlock <reference>), or the registry is out of storage"
    : (hint ?? hintForStatus(status));
  return new OcigraphError(codeForStatus(status), `${what}: registry answered ${status}${said}`, {
    status,
    registryErrors,
    ...(resolvedHint ? { hint: resolvedHint } : {}),
  });
}

const NETWORK_HINTS: Record<string, string> = {
  ECONNREFUSED: "connection refused: is the registry running, and is the host:port right?",
  ENOTFOUND: "unknown host: check the registry name",
  EAI_AGAIN: "the host name could not be resolved right now: check DNS and the registry name",
  ECONNRESET: "the connection was reset",
  ETIMEDOUT: "the connection timed out",
  UND_ERR_CONNECT_TIMEOUT: "the connection timed out",
  UND_ERR_HEADERS_TIMEOUT: "the registry did not answer in time",
  UND_ERR_BODY_TIMEOUT: "the registry stopped sending data",
  EPROTO: "TLS failed: if the registry speaks plain HTTP use --plain-http",
  ERR_SSL_WRONG_VERSION_NUMBER: "TLS failed: if the registry speaks plain HTTP use --plain-http",
  DEPTH_ZERO_SELF_SIGNED_CERT: "the certificate is self-signed: use --ca-file, or --insecure to skip checks",
  SELF_SIGNED_CERT_IN_CHAIN: "the certificate chain is not trusted: use --ca-file, or --insecure",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the certificate is not trusted: use --ca-file, or --insecure",
  ERR_TLS_CERT_ALTNAME_INVALID: "the certificate does not name this host",
  CERT_HAS_EXPIRED: "the registry's certificate has expired",
};

/** Answers worth another try: the transport retries them; a fallback update re-reads after them. */
export const PASSING_STATUSES = [408, 429, 500, 502, 503, 504];
/** Connection failures worth another try, as {@link PASSING_STATUSES}. */
export const PASSING_NETWORK_CODES = [
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
  "ETIMEDOUT",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
];

/**
 * Whether `err` may pass if tried again: a passing status, or a dropped or refused connection.
 * Not a request that outlived its deadline: a stalled registry stays stalled.
 */
export function isPassingFailure(err: OcigraphError): boolean {
  if (err.status !== undefined) return PASSING_STATUSES.includes(err.status);
  if (err.code !== "NETWORK") return false;
  return codeInChain(err.cause, (code) => PASSING_NETWORK_CODES.includes(code)) !== undefined;
}

/** Maps a connection-level failure to a NETWORK error naming the host. */
export function networkError(host: string, err: unknown): OcigraphError {
  const code = findCode(err);
  const reason = (code && NETWORK_HINTS[code]) ?? (err instanceof Error ? err.message : String(err));
  return new OcigraphError("NETWORK", `cannot reach ${host}: ${reason}`, {
    cause: err,
    hint: "check the registry address, --plain-http / --insecure, and HTTPS_PROXY / NO_PROXY",
  });
}

function findCode(err: unknown): string | undefined {
  return (
    codeInChain(err, (code) => code in NETWORK_HINTS) ??
    (typeof (err as { code?: unknown })?.code === "string" ? (err as { code: string }).code : undefined)
  );
}

/** The first error code along `err` and its causes (5 deep) that `known` accepts. */
function codeInChain(err: unknown, known: (code: string) => boolean): string | undefined {
  let current: unknown = err;
  for (let i = 0; i < 5 && current; i++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && known(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
