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
  /**
   * A usage mistake: the command line or the inputs are malformed (a bad reference, digest, flag
   * value, nothing to attach), found before any work. The CLI exits 2 for these, 1 otherwise.
   */
  usage?: boolean;
}

export class OcigraphError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly status: number | undefined;
  readonly registryErrors: RegistryErrorDetail[];
  readonly usage: boolean;

  constructor(code: ErrorCode, message: string, options: OcigraphErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "OcigraphError";
    this.code = code;
    this.hint = options.hint;
    this.status = options.status;
    this.registryErrors = options.registryErrors ?? [];
    this.usage = options.usage ?? false;
  }

  /** True when the registry said this OCI error code (e.g. `NAME_UNKNOWN`). */
  hasRegistryCode(code: string): boolean {
    return this.registryErrors.some((e) => e.code === code);
  }
}

/** `err` marked as a usage mistake when it is an INVALID_INPUT error (a malformed flag value). */
export function asUsage(err: unknown): unknown {
  if (!isOcigraphError(err, "INVALID_INPUT") || err.usage) return err;
  return new OcigraphError(err.code, err.message, {
    usage: true,
    cause: err,
    ...(err.hint ? { hint: err.hint } : {}),
  });
}

export function isOcigraphError(err: unknown, code?: ErrorCode): err is OcigraphError {
  if (typeof err !== "object" || err === null) return false;
  const e = err as { name?: unknown; code?: unknown };
  return e.name === "OcigraphError" && (code === undefined || e.code === code);
}

/** What a system call was doing, in words: `mkdir` → "create the folder". */
const SYSCALL_WORDS: Record<string, string> = {
  open: "open",
  mkdir: "create the folder",
  mkdtemp: "create a temporary folder in",
  rename: "move a file to",
  write: "write",
  writeFile: "write",
  copyfile: "copy to",
  unlink: "remove",
  rmdir: "remove the folder",
  rm: "remove",
  scandir: "list the folder",
  stat: "read",
  lstat: "read",
  read: "read",
  symlink: "create the link",
  link: "create the link",
  chmod: "change the mode of",
  utime: "set the time of",
};

/** One sentence and a hint for a filesystem error, by errno code; the path is always named. */
const FS_ERRORS: Record<
  string,
  { code: ErrorCode; what: (act: string, path: string) => string; hint: string }
> = {
  EACCES: {
    code: "DENIED",
    what: (act, path) => `permission denied: cannot ${act} ${path}`,
    hint: "check that the user running ocigraph may write there (owner and mode), or choose another folder",
  },
  EPERM: {
    code: "DENIED",
    what: (act, path) => `operation not permitted: cannot ${act} ${path}`,
    hint: "check the file's owner, mode and attributes, or choose another folder",
  },
  EEXIST: {
    code: "ALREADY_EXISTS",
    what: (_act, path) => `${path} already exists`,
    hint: "remove it or choose another path",
  },
  ENOSPC: {
    code: "INTERNAL",
    what: (act, path) => `no space left on the device: cannot ${act} ${path}`,
    hint: "free some disk space, or choose a folder on a disk with room",
  },
  EDQUOT: {
    code: "INTERNAL",
    what: (act, path) => `disk quota exceeded: cannot ${act} ${path}`,
    hint: "free some space in your quota, or choose another disk",
  },
  EROFS: {
    code: "DENIED",
    what: (act, path) => `read-only file system: cannot ${act} ${path}`,
    hint: "choose a folder on a writable disk",
  },
  ENOENT: {
    code: "NOT_FOUND",
    what: (_act, path) => `no such file or folder: ${path}`,
    hint: "check the path, and that an earlier step produced it",
  },
  ENOTDIR: {
    code: "INVALID_INPUT",
    what: (_act, path) => `not a folder: ${path} (or one of its parents is a file)`,
    hint: "check the path",
  },
  EISDIR: {
    code: "INVALID_INPUT",
    what: (_act, path) => `${path} is a folder, a file was expected`,
    hint: "give the path of a file",
  },
  EMFILE: {
    code: "INTERNAL",
    what: (act, path) => `too many open files: cannot ${act} ${path}`,
    hint: "raise the open-file limit (ulimit -n) or lower --concurrency",
  },
};

/** The OcigraphError for a Node.js filesystem error: what, where (the path) and a hint. */
export function filesystemError(err: NodeJS.ErrnoException & { dest?: string }): OcigraphError | undefined {
  const known = err.code ? FS_ERRORS[err.code] : undefined;
  if (!known || err.path === undefined) return undefined;
  const act = SYSCALL_WORDS[err.syscall ?? ""] ?? "use";
  const dest = err.dest !== undefined && err.code === "EEXIST" ? err.dest : err.path;
  return new OcigraphError(known.code, known.what(act, dest), { hint: known.hint, cause: err });
}

/** Normalises anything thrown into an OcigraphError, keeping the original as the cause. */
export function toOcigraphError(err: unknown): OcigraphError {
  if (isOcigraphError(err)) return err;
  // Duck-typed, not `instanceof Error`: errors from another realm (a vm context) are errors too.
  if (
    err instanceof Error ||
    (typeof err === "object" && err !== null && typeof (err as Error).message === "string")
  ) {
    const sys = err as NodeJS.ErrnoException;
    const fs = filesystemError(sys);
    if (fs) return fs;
    if (sys.code === "ENOENT") return new OcigraphError("NOT_FOUND", sys.message, { cause: err });
    if (sys.code === "EACCES" || sys.code === "EPERM") {
      return new OcigraphError("DENIED", sys.message, { cause: err });
    }
    return new OcigraphError("INTERNAL", sys.message, { cause: err });
  }
  return new OcigraphError("INTERNAL", `unexpected failure: ${String(err)}`);
}
