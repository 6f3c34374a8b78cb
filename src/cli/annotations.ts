import { parseAnnotations, setOwn } from "../oci/annotations.js";
import { OcigraphError, asUsage, isOcigraphError } from "../oci/errors.js";
import { readSmallFile } from "../util/small-file.js";

/** Parses `-a key=value` flags into a map; a repeated key is an error, as in ORAS. */
export function parseAnnotationFlags(values: readonly string[]): Record<string, string> {
  try {
    return parseAnnotations(values, { origin: "annotation", example: "-a key=value" });
  } catch (err) {
    throw asUsage(err);
  }
}

export interface AnnotationFile {
  manifest: Record<string, string>;
  files: Record<string, Record<string, string>>;
}

/**
 * Reads an ORAS annotation file: `{"$manifest": {...}, "<title>": {...}}`. `$config` is
 * refused because artifacts here always use the empty config.
 */
export async function readAnnotationFile(path: string): Promise<AnnotationFile> {
  let text: string;
  try {
    text = await readSmallFile(path, "the annotation file");
  } catch (err) {
    if (isOcigraphError(err)) throw err;
    throw new OcigraphError("NOT_FOUND", `annotation file not found: ${path}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new OcigraphError("INVALID_INPUT", `annotation file ${path} is not valid JSON`);
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new OcigraphError("INVALID_INPUT", `annotation file ${path} must be a JSON object`);
  }
  const result: AnnotationFile = { manifest: {}, files: {} };
  for (const [key, value] of Object.entries(json)) {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw new OcigraphError(
        "INVALID_INPUT",
        `annotation file ${path}: "${key}" must map to an object of strings`,
      );
    }
    const map: Record<string, string> = {};
    for (const [k, v] of Object.entries(value)) {
      if (typeof v !== "string") {
        throw new OcigraphError("INVALID_INPUT", `annotation file ${path}: "${key}.${k}" must be a string`);
      }
      setOwn(map, k, v);
    }
    if (key === "$manifest") result.manifest = map;
    else if (key === "$config") {
      throw new OcigraphError(
        "INVALID_INPUT",
        `annotation file ${path}: "$config" is not supported (artifacts use the empty config)`,
      );
    } else setOwn(result.files, key, map);
  }
  return result;
}
