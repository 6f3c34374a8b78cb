/**
 * Registry data is attacker-controlled: an artifact type, an annotation, a tag or an error body
 * can carry a newline followed by `##vso[task.setvariable …]` or `::set-output …`, which the
 * Azure Pipelines agent and the GitHub runner obey when it reaches their log. Every string that
 * came from a registry or a file passes through here before it is part of any log line, summary
 * or error message, in every front end.
 */
import { isValidMediaType } from "../oci/media-types.js";

/** Longest piece of foreign text shown in one place. */
export const MAX_SHOWN = 256;

// C0/C1 controls, DEL, format characters (bidi overrides, zero-width), line/paragraph separators.
const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;

function escapeChar(ch: string): string {
  if (ch === "\n") return "\\n";
  if (ch === "\r") return "\\r";
  if (ch === "\t") return "\\t";
  const code = ch.codePointAt(0) ?? 0;
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u{${code.toString(16)}}`;
}

/**
 * Defuses CI logging-command syntax anywhere in a line: `##vso[` and `##[` (the Azure agent
 * reads them anywhere in a line) get their bracket escaped, and a line that starts with `::`
 * (a GitHub workflow command, leading blanks ignored) gets its second colon escaped. Our own
 * commands are written after this, by the front end.
 */
export function defuseCommands(line: string): string {
  return line.replace(/##(vso)?\[/gi, (m) => `${m.slice(0, -1)}\\[`).replace(/^(\s*):(:)/, "$1:\\$2");
}

/**
 * Foreign text made safe to embed in one log line: control, format and separator characters
 * escaped (`\n`, `\x1b`, `\u{202e}`), command syntax defused, and at most `max` characters.
 */
export function neutral(text: string, max = MAX_SHOWN): string {
  const escaped = defuseCommands(text.replace(UNPRINTABLE, escapeChar));
  return escaped.length > max ? `${escaped.slice(0, max)}…` : escaped;
}

/** Many lines (a tree, a message) made safe: each line defused, every other control escaped. */
export function neutralLines(text: string): string {
  return text
    .split("\n")
    .map((line) => defuseCommands(line.replace(UNPRINTABLE, escapeChar)))
    .join("\n");
}

/**
 * An artifact type for display: itself when it has the shape of a media type (RFC 6838),
 * otherwise quoted and escaped, so it can never pass for a real type.
 */
export function shownType(type: string | undefined): string {
  if (type === undefined) return "<unknown>";
  return isValidMediaType(type) ? neutral(type) : `"${neutral(type)}" (not a media type)`;
}

/**
 * JSON for output that may land in a CI log: same value, but `##vso[`/`##[` are written with
 * `\u005b`, so no line of it is a logging command.
 */
export function safeJson(value: unknown, space = 2): string {
  return JSON.stringify(value, null, space).replace(/##(vso)?\[/gi, (m) => `${m.slice(0, -1)}\\u005b`);
}
