/**
 * The one error type ocigraph throws. Tested by `code`, never by class or message, so it
 * survives being bundled twice. The message is one sentence a user can act on; `hint` says
 * what to try.
 */
export type ErrorCode =
  | "INVALID_INPUT"
  | "NOT_FOUND"
  | "UNAUTHORIZED"
  | "DENIED"
  | "UNSUPPORTED"
  | "DIGEST_MISMATCH"
  | "INVALID_CONTENT"
  | "TOO_LARGE"
  | "CONFLICT"
  | "NETWORK"
  | "REGISTRY"
  | "UNSAFE_PATH"
  | "ALREADY_EXISTS"
  | "INTERNAL";

/** An error code from the distribution spec's error body, e.g. `MANIFEST_UNKNOWN`. */
export interface RegistryErrorDetail {
  code: string;
  message?: string;
}

export interface OcigraphErrorOptions {
  hint?: string;
  cause?: unknown;
  /** HTTP status when the error came from a registry answer. */
  status?: number;
  /** OCI error list from the registry's answer body. */
  registryErrors?: RegistryErrorDetail[];
}

export class OcigraphError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly status: number | undefined;
  readonly registryErrors: RegistryErrorDetail[];

  constructor(code: ErrorCode, message: string, options: OcigraphErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "OcigraphError";
    this.code = code;
    this.hint = options.hint;
    this.status = options.status;
    this.registryErrors = options.registryErrors ?? [];
  }

  /** True when the registry said this OCI error code (e.g. `NAME_UNKNOWN`). */
  hasRegistryCode(code: string): boolean {
    return this.registryErrors.some((e) => e.code === code);
  }
}

export function isOcigraphError(err: unknown, code?: ErrorCode): err is OcigraphError {
  if (typeof err !== "object" || err === null) return false;
  const e = err as { name?: unknown; code?: unknown };
  return e.name === "OcigraphError" && (code === undefined || e.code === code);
}

/** Normalises anything thrown into an OcigraphError, keeping the original as the cause. */
export function toOcigraphError(err: unknown): OcigraphError {
  if (isOcigraphError(err)) return err;
  if (err instanceof Error) {
    const sys = err as NodeJS.ErrnoException;
    if (sys.code === "ENOENT") return new OcigraphError("NOT_FOUND", err.message, { cause: err });
    if (sys.code === "EACCES" || sys.code === "EPERM") {
      return new OcigraphError("DENIED", err.message, { cause: err });
    }
    return new OcigraphError("INTERNAL", err.message, { cause: err });
  }
  return new OcigraphError("INTERNAL", `unexpected failure: ${String(err)}`);
}
