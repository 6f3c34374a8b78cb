import { createRequire as __ocigraphRequire } from "node:module"; import { fileURLToPath as __ocigraphPath } from "node:url"; import { dirname as __ocigraphDir } from "node:path"; const require = __ocigraphRequire(import.meta.url); const __filename = __ocigraphPath(import.meta.url); const __dirname = __ocigraphDir(__filename);
import {
  refuseLockedGraph,
  registerLockCommands
} from "./chunk-3MXC32NO.mjs";
import "./chunk-FY3PNI67.mjs";
import "./chunk-PD6PRVKG.mjs";
import "./chunk-AEECXJOG.mjs";
import "./chunk-N65ZBPAW.mjs";
import "./chunk-3475OBJL.mjs";
export {
  refuseLockedGraph,
  registerLockCommands
};
