import { createRequire as __ocigraphRequire } from "node:module"; import { fileURLToPath as __ocigraphPath } from "node:url"; import { dirname as __ocigraphDir } from "node:path"; const require = __ocigraphRequire(import.meta.url); const __filename = __ocigraphPath(import.meta.url); const __dirname = __ocigraphDir(__filename);
import {
  removeTemps
} from "./chunk-3Y45UJD2.mjs";
import {
  OcigraphError
} from "./chunk-N65ZBPAW.mjs";

// src/util/exit-guard.ts
function guardPending(what, work, write = (line) => void process.stderr.write(line)) {
  let settled = false;
  const mark = () => {
    settled = true;
  };
  work.then(mark, mark);
  const onDrained = () => {
    if (settled) return;
    process.removeListener("beforeExit", onDrained);
    process.exitCode = 1;
    write(
      `Error: ${what} stopped with its work still pending: nothing was left to wait for, so it did not finish (nothing is done that was not reported; this is a bug in ocigraph, please report it)
`
    );
  };
  process.on("beforeExit", onDrained);
}

// src/util/interrupt.ts
var EXIT_CODES = { SIGINT: 130, SIGTERM: 143 };
function exitCleanlyOnInterrupt(write = (line) => void process.stderr.write(line)) {
  for (const signal of Object.keys(EXIT_CODES)) {
    process.once(signal, () => {
      removeTemps();
      write(
        `Interrupted (${signal}): temporary files removed, nothing newly tagged; run the same command again to resume
`
      );
      process.exit(EXIT_CODES[signal]);
    });
  }
}

// src/connect/settings.ts
var KNOBS = [
  ["maxRetries", "OCIGRAPH_MAX_RETRIES"],
  ["retryDelayMs", "OCIGRAPH_RETRY_DELAY_MS"],
  ["timeoutMs", "OCIGRAPH_TIMEOUT_MS"],
  ["maxUnpackBytes", "OCIGRAPH_MAX_UNPACK_BYTES"]
];
function readEnvKnobs(env) {
  const knobs = {};
  for (const [key, name] of KNOBS) {
    const value = Number(env[name]);
    if (Number.isSafeInteger(value) && value > 0) knobs[key] = value;
  }
  return knobs;
}

// src/oci/annotations.ts
function setOwn(obj, key, value) {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}
function parseAnnotations(entries, syntax) {
  const result = {};
  for (const entry of entries) {
    const eq = entry.indexOf("=");
    const key = eq > 0 ? syntax.trim ? entry.slice(0, eq).trim() : entry.slice(0, eq) : "";
    if (!key || syntax.trim && /\s/.test(key)) {
      throw new OcigraphError("INVALID_INPUT", `${syntax.origin} "${entry}" is not key=value`, {
        hint: `write annotations as ${syntax.example}`
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

export {
  guardPending,
  exitCleanlyOnInterrupt,
  readEnvKnobs,
  setOwn,
  parseAnnotations
};
