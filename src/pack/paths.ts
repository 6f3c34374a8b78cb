import * as path from "node:path";
import { OcigraphError } from "../oci/errors.js";

/** `C:`, `C:\x`, `c:/x`: a drive-letter path (absolute or drive-relative) on Windows. */
const DRIVE_PATTERN = /^[A-Za-z]:/;
/** `\\server\share`, `//server/share`, `\\?\C:\x`: UNC and device paths. */
const UNC_PATTERN = /^[\\/]{2}/;

/** Shows a name in a message with control characters (NUL included) escaped. */
export function quoteName(name: string): string {
  return JSON.stringify(name);
}

/**
 * Cleans a layer name the way ORAS does before using it as a title and as the tar entry
 * prefix of a directory layer (`filepath.ToSlash(filepath.Clean(name))`): backslashes become
 * `/` on Windows, `.` and empty segments go, `a/../b` folds, a trailing `/` is dropped.
 */
export function cleanLayerName(name: string): string {
  const slashed = process.platform === "win32" ? name.replace(/\\/g, "/") : name;
  const cleaned = path.posix.normalize(slashed);
  if (cleaned.length > 1 && cleaned.endsWith("/")) return cleaned.slice(0, -1);
  return cleaned;
}

/**
 * True when the name climbs above its starting point, `/` and `\` both counted as
 * separators (a `..\x` entry written on Linux must not climb out once pulled on Windows).
 */
function climbsOut(name: string): boolean {
  let depth = 0;
  for (const segment of name.split(/[\\/]+/)) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") {
      depth -= 1;
      if (depth < 0) return true;
    } else {
      depth += 1;
    }
  }
  return false;
}

function isInside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel === "" || (!rel.startsWith(`..${path.sep}`) && rel !== ".." && !path.isAbsolute(rel));
}

/**
 * Resolves a layer title or a tar entry name under `root` and returns the absolute path.
 *
 * Refused with UNSAFE_PATH (the message names the entry): empty names, names holding NUL,
 * absolute names (`/x`, and on every platform `C:\x`, `C:x`, `\\server\share`, `//host/x`),
 * and names whose `..` segments climb out of root (`/` and `\` both count as separators).
 *
 * With `allowTraversal` (ORAS's `--allow-path-traversal`), absolute names and `..` escapes
 * are permitted; drive-letter and UNC forms only on Windows, where they mean what they say.
 * Empty names and NUL bytes are refused whatever the flag.
 *
 * A name that resolves to root itself (`.`, `a/..`) is returned as root; callers that must
 * write a file decide whether that is acceptable.
 */
export function resolveInside(root: string, name: string, allowTraversal: boolean): string {
  const shown = quoteName(name);
  if (name.length === 0) {
    throw new OcigraphError("UNSAFE_PATH", "refusing an empty path name", {
      hint: "every layer title and archive entry needs a non-empty relative name",
    });
  }
  if (name.includes("\0")) {
    throw new OcigraphError("UNSAFE_PATH", `refusing path ${shown}: it contains a NUL byte`);
  }
  const base = path.resolve(root);
  const windowsForm = DRIVE_PATTERN.test(name) || UNC_PATTERN.test(name);
  const absolute = windowsForm || path.isAbsolute(name) || name.startsWith("/") || name.startsWith("\\");

  if (!allowTraversal) {
    if (absolute) {
      throw new OcigraphError("UNSAFE_PATH", `refusing absolute path ${shown}`, {
        hint: "names must be relative; pass --allow-path-traversal if writing there is intended",
      });
    }
    if (climbsOut(name)) {
      throw new OcigraphError("UNSAFE_PATH", `refusing path ${shown}: it climbs out of ${base}`, {
        hint: "names must stay inside the output directory; pass --allow-path-traversal if intended",
      });
    }
    const resolved = path.resolve(base, name);
    // Belt and braces: the lexical check above and the platform's own resolution must agree.
    if (!isInside(base, resolved)) {
      throw new OcigraphError("UNSAFE_PATH", `refusing path ${shown}: it resolves outside ${base}`);
    }
    return resolved;
  }

  if (windowsForm && process.platform !== "win32") {
    throw new OcigraphError("UNSAFE_PATH", `refusing Windows path ${shown} on ${process.platform}`);
  }
  return path.resolve(base, name);
}

/** True when `target` is `root` or below it (both absolute, compared lexically). */
export function isPathInside(root: string, target: string): boolean {
  return isInside(path.resolve(root), path.resolve(target));
}

/** Splits a tar-style name on `/` and `\`, dropping empty and `.` segments. */
function segmentsOf(name: string): string[] {
  return name.split(/[\\/]+/).filter((s) => s !== "" && s !== ".");
}

/**
 * Checks a symlink entry's target the way an extractor must before creating it, and returns
 * the target as a clean `/`-separated name relative to the same root as `entryName`.
 *
 * `entryName` is the link's own name relative to a root (e.g. `details/bin/tool`); the target
 * is taken relative to the link's directory. Refused with UNSAFE_PATH:
 * - empty targets, NUL bytes, absolute and drive/UNC targets (ORAS refuses these too);
 * - targets that, resolved lexically, climb out of the root (ORAS's `ensureBasePath` rule);
 * - targets with a `..` after a normal segment (`sub/../x`): if `sub` is itself a symlink the
 *   kernel resolves `..` from wherever `sub` points, not lexically, so such a target could
 *   escape while looking harmless. Leading `..` segments are fine because the link's own
 *   directory is never a symlink (extractors refuse to write through one).
 */
export function checkSymlinkTarget(entryName: string, linkname: string): string {
  const shown = `${quoteName(entryName)} -> ${quoteName(linkname)}`;
  if (linkname.length === 0)
    throw new OcigraphError("UNSAFE_PATH", `refusing symlink ${shown}: empty target`);
  if (linkname.includes("\0")) {
    throw new OcigraphError("UNSAFE_PATH", `refusing symlink ${shown}: the target contains a NUL byte`);
  }
  if (
    linkname.startsWith("/") ||
    linkname.startsWith("\\") ||
    DRIVE_PATTERN.test(linkname) ||
    UNC_PATTERN.test(linkname)
  ) {
    throw new OcigraphError("UNSAFE_PATH", `refusing symlink ${shown}: absolute targets are not allowed`, {
      hint: "use a relative link that stays inside the directory",
    });
  }
  let seenNormal = false;
  for (const segment of segmentsOf(linkname)) {
    if (segment === "..") {
      if (seenNormal) {
        throw new OcigraphError("UNSAFE_PATH", `refusing symlink ${shown}: ".." after a directory name`, {
          hint: "write the link target without going down and back up (e.g. ../x instead of sub/../../x)",
        });
      }
    } else {
      seenNormal = true;
    }
  }
  const resolved = [...segmentsOf(entryName).slice(0, -1), ...segmentsOf(linkname)];
  const out: string[] = [];
  for (const segment of resolved) {
    if (segment === "..") {
      if (out.length === 0) {
        throw new OcigraphError(
          "UNSAFE_PATH",
          `refusing symlink ${shown}: the target points outside the directory`,
        );
      }
      out.pop();
    } else {
      out.push(segment);
    }
  }
  return out.join("/");
}
