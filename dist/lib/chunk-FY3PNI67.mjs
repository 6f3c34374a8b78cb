import { createRequire as __ocigraphRequire } from "node:module"; import { fileURLToPath as __ocigraphPath } from "node:url"; import { dirname as __ocigraphDir } from "node:path"; const require = __ocigraphRequire(import.meta.url); const __filename = __ocigraphPath(import.meta.url); const __dirname = __ocigraphDir(__filename);
import {
  isValidMediaType
} from "./chunk-AEECXJOG.mjs";

// src/report/neutral.ts
var MAX_SHOWN = 256;
var UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;
function escapeChar(ch) {
  if (ch === "\n") return "\\n";
  if (ch === "\r") return "\\r";
  if (ch === "	") return "\\t";
  const code = ch.codePointAt(0) ?? 0;
  return code <= 255 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u{${code.toString(16)}}`;
}
function defuseCommands(line) {
  return line.replace(/##(vso)?\[/gi, (m) => `${m.slice(0, -1)}\\[`).replace(/^(\s*):(:)/, "$1:\\$2");
}
function neutral(text, max = MAX_SHOWN) {
  const escaped = defuseCommands(text.replace(UNPRINTABLE, escapeChar));
  return escaped.length > max ? `${escaped.slice(0, max)}\u2026` : escaped;
}
function neutralLines(text) {
  return text.split("\n").map((line) => defuseCommands(line.replace(UNPRINTABLE, escapeChar))).join("\n");
}
function shownType(type) {
  if (type === void 0) return "<unknown>";
  return isValidMediaType(type) ? neutral(type) : `"${neutral(type)}" (not a media type)`;
}
function safeJson(value, space = 2) {
  return JSON.stringify(value, null, space).replace(/##(vso)?\[/gi, (m) => `${m.slice(0, -1)}\\u005b`);
}

export {
  neutral,
  neutralLines,
  shownType,
  safeJson
};
