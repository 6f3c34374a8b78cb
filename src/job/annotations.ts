import { OcigraphError } from "../oci/errors.js";

/**
 * The `annotations` input: one `key=value` per line (blank lines and `#` comments skipped). The
 * value is everything after the first `=`, blanks included; a key given twice is an error.
 */
export function parseAnnotationLines(value: string, inputName: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const raw of value.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const eq = line.indexOf("=");
    const key = eq > 0 ? line.slice(0, eq).trim() : "";
    if (!key || /\s/.test(key)) {
      throw new OcigraphError(
        "INVALID_INPUT",
        `the input ${inputName} has "${line}", which is not key=value`,
        {
          hint: "write one annotation per line, e.g. org.opencontainers.image.description=Net monitor",
        },
      );
    }
    if (key in result) {
      throw new OcigraphError("INVALID_INPUT", `the input ${inputName} gives "${key}" twice`);
    }
    result[key] = line.slice(eq + 1).trim();
  }
  return result;
}
