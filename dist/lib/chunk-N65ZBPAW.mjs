import { createRequire as __ocigraphRequire } from "node:module"; import { fileURLToPath as __ocigraphPath } from "node:url"; import { dirname as __ocigraphDir } from "node:path"; const require = __ocigraphRequire(import.meta.url); const __filename = __ocigraphPath(import.meta.url); const __dirname = __ocigraphDir(__filename);

// src/oci/errors.ts
var OcigraphError = class extends Error {
  code;
  hint;
  status;
  registryErrors;
  usage;
  constructor(code, message, options = {}) {
    super(message, options.cause === void 0 ? void 0 : { cause: options.cause });
    this.name = "OcigraphError";
    this.code = code;
    this.hint = options.hint;
    this.status = options.status;
    this.registryErrors = options.registryErrors ?? [];
    this.usage = options.usage ?? false;
  }
  /** True when the registry said this OCI error code (e.g. `NAME_UNKNOWN`). */
  hasRegistryCode(code) {
    return this.registryErrors.some((e) => e.code === code);
  }
};
function asUsage(err) {
  if (!isOcigraphError(err, "INVALID_INPUT") || err.usage) return err;
  return new OcigraphError(err.code, err.message, {
    usage: true,
    cause: err,
    ...err.hint ? { hint: err.hint } : {}
  });
}
function isOcigraphError(err, code) {
  if (typeof err !== "object" || err === null) return false;
  const e = err;
  return e.name === "OcigraphError" && (code === void 0 || e.code === code);
}
var SYSCALL_WORDS = {
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
  utime: "set the time of"
};
var FS_ERRORS = {
  EACCES: {
    code: "DENIED",
    what: (act, path) => `permission denied: cannot ${act} ${path}`,
    hint: "check that the user running ocigraph may write there (owner and mode), or choose another folder"
  },
  EPERM: {
    code: "DENIED",
    what: (act, path) => `operation not permitted: cannot ${act} ${path}`,
    hint: "check the file's owner, mode and attributes, or choose another folder"
  },
  EEXIST: {
    code: "ALREADY_EXISTS",
    what: (_act, path) => `${path} already exists`,
    hint: "remove it or choose another path"
  },
  ENOSPC: {
    code: "INTERNAL",
    what: (act, path) => `no space left on the device: cannot ${act} ${path}`,
    hint: "free some disk space, or choose a folder on a disk with room"
  },
  EDQUOT: {
    code: "INTERNAL",
    what: (act, path) => `disk quota exceeded: cannot ${act} ${path}`,
    hint: "free some space in your quota, or choose another disk"
  },
  EROFS: {
    code: "DENIED",
    what: (act, path) => `read-only file system: cannot ${act} ${path}`,
    hint: "choose a folder on a writable disk"
  },
  ENOENT: {
    code: "NOT_FOUND",
    what: (_act, path) => `no such file or folder: ${path}`,
    hint: "check the path, and that an earlier step produced it"
  },
  ENOTDIR: {
    code: "INVALID_INPUT",
    what: (_act, path) => `not a folder: ${path} (or one of its parents is a file)`,
    hint: "check the path"
  },
  EISDIR: {
    code: "INVALID_INPUT",
    what: (_act, path) => `${path} is a folder, a file was expected`,
    hint: "give the path of a file"
  },
  EMFILE: {
    code: "INTERNAL",
    what: (act, path) => `too many open files: cannot ${act} ${path}`,
    hint: "raise the open-file limit (ulimit -n) or lower --concurrency"
  }
};
function filesystemError(err) {
  const known = err.code ? FS_ERRORS[err.code] : void 0;
  if (!known || err.path === void 0) return void 0;
  const act = SYSCALL_WORDS[err.syscall ?? ""] ?? "use";
  const dest = err.dest !== void 0 && err.code === "EEXIST" ? err.dest : err.path;
  return new OcigraphError(known.code, known.what(act, dest), { hint: known.hint, cause: err });
}
function toOcigraphError(err) {
  if (isOcigraphError(err)) return err;
  if (err instanceof Error || typeof err === "object" && err !== null && typeof err.message === "string") {
    const sys = err;
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

export {
  OcigraphError,
  asUsage,
  isOcigraphError,
  toOcigraphError
};
