import { createRequire as __ocigraphRequire } from "node:module"; import { fileURLToPath as __ocigraphPath } from "node:url"; import { dirname as __ocigraphDir } from "node:path"; const require = __ocigraphRequire(import.meta.url); const __filename = __ocigraphPath(import.meta.url); const __dirname = __ocigraphDir(__filename);
import {
  countNodes,
  discover,
  uniqueNodes
} from "./chunk-VHBNKKFC.mjs";
import "./chunk-P5BZIH3A.mjs";
import "./chunk-JFBLHQF4.mjs";
import "./chunk-N65ZBPAW.mjs";
import "./chunk-3475OBJL.mjs";
export {
  countNodes,
  discover,
  uniqueNodes
};
