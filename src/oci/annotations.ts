/**
 * `key=value` annotations, as the CLI's `-a` flags and the action's and task's `annotations` input
 * give them: one parser for all three. Keys are own properties, so `constructor`, `toString` or
 * `__proto__` are keys like any other.
 */
import { OcigraphError } from "./errors.js";

/**
 * Sets an own, enumerable property. Plain `obj[key] = value` would let a key named `__proto__`
 * replace the prototype (dropping the annotation, or grafting a file's map onto every title),
 * and `key in obj` sees inherited names like `constructor`: both found by the parser fuzz tests.
 */
export function setOwn<T>(obj: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

export interface AnnotationSyntax {
  /** Where the entries came from, leading each message: `annotation`, `the input annotations`. */
  origin: string;
  /** An example entry for the hint. */
  example: string;
  /** Trim blanks around keys and values (an input's lines), or keep values as given (flags). */
  trim?: boolean;
}

/**
 * Parses `key=value` entries into a map. The value is everything after the first `=`. A key that
 * is empty, or given twice, is an error; so is one holding blanks in an input's lines.
 *
 * @throws OcigraphError INVALID_INPUT naming `syntax.origin`
 */
export function parseAnnotations(
  entries: readonly string[],
  syntax: AnnotationSyntax,
): Record<string, string> {
  const result: Record<string, string> = {};
  for (const entry of entries) {
    const eq = entry.indexOf("=");
    const key = eq > 0 ? (syntax.trim ? entry.slice(0, eq).trim() : entry.slice(0, eq)) : "";
    if (!key || (syntax.trim && /\s/.test(key))) {
      throw new OcigraphError("INVALID_INPUT", `${syntax.origin} "${entry}" is not key=value`, {
        hint: `write annotations as ${syntax.example}`,
      });
    }
    if (Object.hasOwn(result, key)) {
      throw new OcigraphError("INVALID_INPUT", `${syntax.origin} "${key}" is given twice`);
    }
    const value = entry.slice(eq + 1);
    setOwn(result, key, syntax.trim ? value.trim() : value);
  }
  return result;
}
