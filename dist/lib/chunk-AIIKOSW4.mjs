import { createRequire as __ocigraphRequire } from "node:module"; import { fileURLToPath as __ocigraphPath } from "node:url"; import { dirname as __ocigraphDir } from "node:path"; const require = __ocigraphRequire(import.meta.url); const __filename = __ocigraphPath(import.meta.url); const __dirname = __ocigraphDir(__filename);
import {
  TargetFactory
} from "./chunk-MESCUFUD.mjs";
import "./chunk-GK4QK3RS.mjs";
import "./chunk-EVNACXTC.mjs";
import "./chunk-3Y45UJD2.mjs";
import "./chunk-PD6PRVKG.mjs";
import "./chunk-72SBY5LG.mjs";
import "./chunk-GS7PIS4O.mjs";
import "./chunk-JFBLHQF4.mjs";
import "./chunk-AEECXJOG.mjs";
import "./chunk-N65ZBPAW.mjs";
import "./chunk-3475OBJL.mjs";
export {
  TargetFactory
};
