import { createRequire as __ocigraphRequire } from "node:module"; import { fileURLToPath as __ocigraphPath } from "node:url"; import { dirname as __ocigraphDir } from "node:path"; const require = __ocigraphRequire(import.meta.url); const __filename = __ocigraphPath(import.meta.url); const __dirname = __ocigraphDir(__filename);
import {
  DEFAULT_COPY_CONCURRENCY,
  copy,
  resolveRoot
} from "./chunk-C5UP2FHL.mjs";
import "./chunk-YI4NXUB6.mjs";
import "./chunk-P5BZIH3A.mjs";
import "./chunk-72SBY5LG.mjs";
import "./chunk-GS7PIS4O.mjs";
import "./chunk-JFBLHQF4.mjs";
import "./chunk-AEECXJOG.mjs";
import "./chunk-N65ZBPAW.mjs";
import "./chunk-3475OBJL.mjs";
export {
  DEFAULT_COPY_CONCURRENCY,
  copy,
  resolveRoot
};
