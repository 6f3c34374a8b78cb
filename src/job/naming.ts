import { OcigraphError, isOcigraphError } from "../oci/errors.js";

/** Runs `parse`; an INVALID_INPUT it throws is rethrown prefixed with the input's name. */
export function namingInput<T>(name: string, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (!isOcigraphError(err, "INVALID_INPUT")) throw err;
    throw new OcigraphError("INVALID_INPUT", `the input ${name}: ${err.message}`, {
      ...(err.hint ? { hint: err.hint } : {}),
      cause: err,
    });
  }
}
