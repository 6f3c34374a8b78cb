/** Paths and globs in inputs: each line one path or pattern, expanded relative to the working directory. */
import { stat } from "node:fs/promises";
import { isAbsolute, resolve } from "node:path";
import { glob, isDynamicPattern } from "tinyglobby";
import { OcigraphError } from "../oci/errors.js";

/** Input lines: trimmed, blank lines and `#` comment lines dropped. */
export function inputLines(value: string): string[] {
  return value
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"));
}

/**
 * Expands one path or glob into the paths it names, sorted. A literal path must exist (a file or
 * a directory); a pattern must match at least one file (directories are not matched by patterns).
 *
 * @param origin the input, named in the error (`sbom`, `attach line 2`).
 */
export async function expandPath(pattern: string, origin: string, cwd = process.cwd()): Promise<string[]> {
  if (isDynamicPattern(pattern)) {
    const absolute = isAbsolute(pattern);
    const matches = await glob(pattern, {
      cwd,
      absolute,
      onlyFiles: true,
      dot: false,
      expandDirectories: false,
    });
    if (matches.length === 0) {
      throw new OcigraphError("NOT_FOUND", `${origin}: "${pattern}" matches no file`, {
        hint: `patterns are relative to ${cwd}; check the path and that the file was produced by an earlier step`,
      });
    }
    // tinyglobby answers relative paths without "./"; keep the user's prefix for titles and messages.
    return matches.map((m) => (pattern.startsWith("./") && !m.startsWith(".") ? `./${m}` : m)).sort();
  }
  try {
    await stat(resolve(cwd, pattern));
  } catch {
    throw new OcigraphError("NOT_FOUND", `${origin}: file not found: ${pattern}`, {
      hint: `paths are relative to ${cwd}; check the path and that the file was produced by an earlier step`,
    });
  }
  return [pattern];
}
