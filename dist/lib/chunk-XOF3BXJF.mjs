import { createRequire as __ocigraphRequire } from "node:module"; import { fileURLToPath as __ocigraphPath } from "node:url"; import { dirname as __ocigraphDir } from "node:path"; const require = __ocigraphRequire(import.meta.url); const __filename = __ocigraphPath(import.meta.url); const __dirname = __ocigraphDir(__filename);
import {
  parseRequirements,
  verify
} from "./chunk-HP7UEOW2.mjs";
import {
  attach
} from "./chunk-FYKMJZY5.mjs";
import {
  parseFileSpec
} from "./chunk-DMPNIEBF.mjs";
import {
  discoverJson
} from "./chunk-OOQYLV5H.mjs";
import {
  renderTree
} from "./chunk-3RFSAOYF.mjs";
import {
  applyLock,
  lockApi,
  planLock
} from "./chunk-W6R4HYY6.mjs";
import {
  discover
} from "./chunk-VHBNKKFC.mjs";
import {
  parseAnnotations
} from "./chunk-DUSEIMHF.mjs";
import {
  neutral,
  safeJson,
  shownType
} from "./chunk-FY3PNI67.mjs";
import {
  TargetFactory,
  azurePipelinesSettings,
  parseReference
} from "./chunk-MESCUFUD.mjs";
import {
  DEFAULT_OIDC_AUDIENCE,
  ENTRA_CREDENTIAL_KINDS,
  acrScope,
  parseRegistryHost,
  resolveEntraSettings
} from "./chunk-PD6PRVKG.mjs";
import {
  copy
} from "./chunk-C5UP2FHL.mjs";
import {
  DEFAULT_MAX_NODES
} from "./chunk-P5BZIH3A.mjs";
import {
  isDigest
} from "./chunk-GS7PIS4O.mjs";
import {
  Annotation,
  isValidMediaType
} from "./chunk-AEECXJOG.mjs";
import {
  promotionTags
} from "./chunk-FVLQGQUI.mjs";
import {
  OcigraphError,
  isOcigraphError,
  toOcigraphError
} from "./chunk-N65ZBPAW.mjs";
import {
  __commonJS,
  __toESM
} from "./chunk-3475OBJL.mjs";

// node_modules/picomatch/lib/constants.js
var require_constants = __commonJS({
  "node_modules/picomatch/lib/constants.js"(exports, module) {
    "use strict";
    var WIN_SLASH = "\\\\/";
    var WIN_NO_SLASH = `[^${WIN_SLASH}]`;
    var DEFAULT_MAX_EXTGLOB_RECURSION = 0;
    var DOT_LITERAL = "\\.";
    var PLUS_LITERAL = "\\+";
    var QMARK_LITERAL = "\\?";
    var SLASH_LITERAL = "\\/";
    var ONE_CHAR = "(?=.)";
    var QMARK = "[^/]";
    var END_ANCHOR = `(?:${SLASH_LITERAL}|$)`;
    var START_ANCHOR = `(?:^|${SLASH_LITERAL})`;
    var DOTS_SLASH = `${DOT_LITERAL}{1,2}${END_ANCHOR}`;
    var NO_DOT = `(?!${DOT_LITERAL})`;
    var NO_DOTS = `(?!${START_ANCHOR}${DOTS_SLASH})`;
    var NO_DOT_SLASH = `(?!${DOT_LITERAL}{0,1}${END_ANCHOR})`;
    var NO_DOTS_SLASH = `(?!${DOTS_SLASH})`;
    var QMARK_NO_DOT = `[^.${SLASH_LITERAL}]`;
    var STAR = `${QMARK}*?`;
    var SEP = "/";
    var POSIX_CHARS = {
      DOT_LITERAL,
      PLUS_LITERAL,
      QMARK_LITERAL,
      SLASH_LITERAL,
      ONE_CHAR,
      QMARK,
      END_ANCHOR,
      DOTS_SLASH,
      NO_DOT,
      NO_DOTS,
      NO_DOT_SLASH,
      NO_DOTS_SLASH,
      QMARK_NO_DOT,
      STAR,
      START_ANCHOR,
      SEP
    };
    var WINDOWS_CHARS = {
      ...POSIX_CHARS,
      SLASH_LITERAL: `[${WIN_SLASH}]`,
      QMARK: WIN_NO_SLASH,
      STAR: `${WIN_NO_SLASH}*?`,
      DOTS_SLASH: `${DOT_LITERAL}{1,2}(?:[${WIN_SLASH}]|$)`,
      NO_DOT: `(?!${DOT_LITERAL})`,
      NO_DOTS: `(?!(?:^|[${WIN_SLASH}])${DOT_LITERAL}{1,2}(?:[${WIN_SLASH}]|$))`,
      NO_DOT_SLASH: `(?!${DOT_LITERAL}{0,1}(?:[${WIN_SLASH}]|$))`,
      NO_DOTS_SLASH: `(?!${DOT_LITERAL}{1,2}(?:[${WIN_SLASH}]|$))`,
      QMARK_NO_DOT: `[^.${WIN_SLASH}]`,
      START_ANCHOR: `(?:^|[${WIN_SLASH}])`,
      END_ANCHOR: `(?:[${WIN_SLASH}]|$)`,
      SEP: "\\"
    };
    var POSIX_REGEX_SOURCE = {
      __proto__: null,
      alnum: "a-zA-Z0-9",
      alpha: "a-zA-Z",
      ascii: "\\x00-\\x7F",
      blank: " \\t",
      cntrl: "\\x00-\\x1F\\x7F",
      digit: "0-9",
      graph: "\\x21-\\x7E",
      lower: "a-z",
      print: "\\x20-\\x7E ",
      punct: "\\-!\"#$%&'()\\*+,./:;<=>?@[\\]^_`{|}~",
      space: " \\t\\r\\n\\v\\f",
      upper: "A-Z",
      word: "A-Za-z0-9_",
      xdigit: "A-Fa-f0-9"
    };
    module.exports = {
      DEFAULT_MAX_EXTGLOB_RECURSION,
      MAX_LENGTH: 1024 * 64,
      POSIX_REGEX_SOURCE,
      // regular expressions
      REGEX_BACKSLASH: /\\(?![*+?^${}(|)[\]])/g,
      REGEX_NON_SPECIAL_CHARS: /^[^@![\].,$*+?^{}()|\\/]+/,
      REGEX_SPECIAL_CHARS: /[-*+?.^${}(|)[\]]/,
      REGEX_SPECIAL_CHARS_BACKREF: /(\\?)((\W)(\3*))/g,
      REGEX_SPECIAL_CHARS_GLOBAL: /([-*+?.^${}(|)[\]])/g,
      REGEX_REMOVE_BACKSLASH: /(?:\[.*?[^\\]\]|\\(?=.))/g,
      // Replace globs with equivalent patterns to reduce parsing time.
      REPLACEMENTS: {
        __proto__: null,
        "***": "*",
        "**/**": "**",
        "**/**/**": "**"
      },
      // Digits
      CHAR_0: 48,
      /* 0 */
      CHAR_9: 57,
      /* 9 */
      // Alphabet chars.
      CHAR_UPPERCASE_A: 65,
      /* A */
      CHAR_LOWERCASE_A: 97,
      /* a */
      CHAR_UPPERCASE_Z: 90,
      /* Z */
      CHAR_LOWERCASE_Z: 122,
      /* z */
      CHAR_LEFT_PARENTHESES: 40,
      /* ( */
      CHAR_RIGHT_PARENTHESES: 41,
      /* ) */
      CHAR_ASTERISK: 42,
      /* * */
      // Non-alphabetic chars.
      CHAR_AMPERSAND: 38,
      /* & */
      CHAR_AT: 64,
      /* @ */
      CHAR_BACKWARD_SLASH: 92,
      /* \ */
      CHAR_CARRIAGE_RETURN: 13,
      /* \r */
      CHAR_CIRCUMFLEX_ACCENT: 94,
      /* ^ */
      CHAR_COLON: 58,
      /* : */
      CHAR_COMMA: 44,
      /* , */
      CHAR_DOT: 46,
      /* . */
      CHAR_DOUBLE_QUOTE: 34,
      /* " */
      CHAR_EQUAL: 61,
      /* = */
      CHAR_EXCLAMATION_MARK: 33,
      /* ! */
      CHAR_FORM_FEED: 12,
      /* \f */
      CHAR_FORWARD_SLASH: 47,
      /* / */
      CHAR_GRAVE_ACCENT: 96,
      /* ` */
      CHAR_HASH: 35,
      /* # */
      CHAR_HYPHEN_MINUS: 45,
      /* - */
      CHAR_LEFT_ANGLE_BRACKET: 60,
      /* < */
      CHAR_LEFT_CURLY_BRACE: 123,
      /* { */
      CHAR_LEFT_SQUARE_BRACKET: 91,
      /* [ */
      CHAR_LINE_FEED: 10,
      /* \n */
      CHAR_NO_BREAK_SPACE: 160,
      /* \u00A0 */
      CHAR_PERCENT: 37,
      /* % */
      CHAR_PLUS: 43,
      /* + */
      CHAR_QUESTION_MARK: 63,
      /* ? */
      CHAR_RIGHT_ANGLE_BRACKET: 62,
      /* > */
      CHAR_RIGHT_CURLY_BRACE: 125,
      /* } */
      CHAR_RIGHT_SQUARE_BRACKET: 93,
      /* ] */
      CHAR_SEMICOLON: 59,
      /* ; */
      CHAR_SINGLE_QUOTE: 39,
      /* ' */
      CHAR_SPACE: 32,
      /*   */
      CHAR_TAB: 9,
      /* \t */
      CHAR_UNDERSCORE: 95,
      /* _ */
      CHAR_VERTICAL_LINE: 124,
      /* | */
      CHAR_ZERO_WIDTH_NOBREAK_SPACE: 65279,
      /* \uFEFF */
      /**
       * Create EXTGLOB_CHARS
       */
      extglobChars(chars) {
        return {
          "!": { type: "negate", open: "(?:(?!(?:", close: `))${chars.STAR})` },
          "?": { type: "qmark", open: "(?:", close: ")?" },
          "+": { type: "plus", open: "(?:", close: ")+" },
          "*": { type: "star", open: "(?:", close: ")*" },
          "@": { type: "at", open: "(?:", close: ")" }
        };
      },
      /**
       * Create GLOB_CHARS
       */
      globChars(win32) {
        return win32 === true ? WINDOWS_CHARS : POSIX_CHARS;
      }
    };
  }
});

// node_modules/picomatch/lib/utils.js
var require_utils = __commonJS({
  "node_modules/picomatch/lib/utils.js"(exports) {
    "use strict";
    var {
      REGEX_BACKSLASH,
      REGEX_REMOVE_BACKSLASH,
      REGEX_SPECIAL_CHARS,
      REGEX_SPECIAL_CHARS_GLOBAL
    } = require_constants();
    exports.isObject = (val) => val !== null && typeof val === "object" && !Array.isArray(val);
    exports.hasRegexChars = (str) => REGEX_SPECIAL_CHARS.test(str);
    exports.isRegexChar = (str) => str.length === 1 && exports.hasRegexChars(str);
    exports.escapeRegex = (str) => str.replace(REGEX_SPECIAL_CHARS_GLOBAL, "\\$1");
    exports.toPosixSlashes = (str) => str.replace(REGEX_BACKSLASH, "/");
    exports.isWindows = () => {
      if (typeof navigator !== "undefined" && navigator.platform) {
        const platform = navigator.platform.toLowerCase();
        return platform === "win32" || platform === "windows";
      }
      if (typeof process !== "undefined" && process.platform) {
        return process.platform === "win32";
      }
      return false;
    };
    exports.removeBackslashes = (str) => {
      return str.replace(REGEX_REMOVE_BACKSLASH, (match) => {
        return match === "\\" ? "" : match;
      });
    };
    exports.escapeLast = (input, char, lastIdx) => {
      const idx = input.lastIndexOf(char, lastIdx);
      if (idx === -1) return input;
      if (input[idx - 1] === "\\") return exports.escapeLast(input, char, idx - 1);
      return `${input.slice(0, idx)}\\${input.slice(idx)}`;
    };
    exports.removePrefix = (input, state = {}) => {
      let output = input;
      if (output.startsWith("./")) {
        output = output.slice(2);
        state.prefix = "./";
      }
      return output;
    };
    exports.wrapOutput = (input, state = {}, options = {}) => {
      const prepend = options.contains ? "" : "^";
      const append = options.contains ? "" : "$";
      let output = `${prepend}(?:${input})${append}`;
      if (state.negated === true) {
        output = `(?:^(?!${output}).*$)`;
      }
      return output;
    };
    exports.basename = (path, { windows } = {}) => {
      const segs = path.split(windows ? /[\\/]/ : "/");
      const last = segs[segs.length - 1];
      if (last === "") {
        return segs[segs.length - 2];
      }
      return last;
    };
  }
});

// node_modules/picomatch/lib/scan.js
var require_scan = __commonJS({
  "node_modules/picomatch/lib/scan.js"(exports, module) {
    "use strict";
    var utils = require_utils();
    var {
      CHAR_ASTERISK,
      /* * */
      CHAR_AT,
      /* @ */
      CHAR_BACKWARD_SLASH,
      /* \ */
      CHAR_COMMA,
      /* , */
      CHAR_DOT,
      /* . */
      CHAR_EXCLAMATION_MARK,
      /* ! */
      CHAR_FORWARD_SLASH,
      /* / */
      CHAR_LEFT_CURLY_BRACE,
      /* { */
      CHAR_LEFT_PARENTHESES,
      /* ( */
      CHAR_LEFT_SQUARE_BRACKET,
      /* [ */
      CHAR_PLUS,
      /* + */
      CHAR_QUESTION_MARK,
      /* ? */
      CHAR_RIGHT_CURLY_BRACE,
      /* } */
      CHAR_RIGHT_PARENTHESES,
      /* ) */
      CHAR_RIGHT_SQUARE_BRACKET
      /* ] */
    } = require_constants();
    var isPathSeparator = (code) => {
      return code === CHAR_FORWARD_SLASH || code === CHAR_BACKWARD_SLASH;
    };
    var depth = (token) => {
      if (token.isPrefix !== true) {
        token.depth = token.isGlobstar ? Infinity : 1;
      }
    };
    var scan = (input, options) => {
      const opts = options || {};
      const length = input.length - 1;
      const scanToEnd = opts.parts === true || opts.tokens === true || opts.scanToEnd === true;
      const slashes = [];
      const tokens = [];
      const parts = [];
      let str = input;
      let index = -1;
      let start = 0;
      let lastIndex = 0;
      let isBrace = false;
      let isBracket = false;
      let isGlob = false;
      let isExtglob = false;
      let isGlobstar = false;
      let braceEscaped = false;
      let backslashes = false;
      let negated = false;
      let negatedExtglob = false;
      let finished = false;
      let braces = 0;
      let prev;
      let code;
      let token = { value: "", depth: 0, isGlob: false };
      const eos = () => index >= length;
      const peek = () => str.charCodeAt(index + 1);
      const advance = () => {
        prev = code;
        return str.charCodeAt(++index);
      };
      while (index < length) {
        code = advance();
        let next;
        if (code === CHAR_BACKWARD_SLASH) {
          backslashes = token.backslashes = true;
          code = advance();
          if (code === CHAR_LEFT_CURLY_BRACE) {
            braceEscaped = true;
          }
          continue;
        }
        if (braceEscaped === true || code === CHAR_LEFT_CURLY_BRACE) {
          braces++;
          while (eos() !== true && (code = advance())) {
            if (code === CHAR_BACKWARD_SLASH) {
              backslashes = token.backslashes = true;
              advance();
              continue;
            }
            if (code === CHAR_LEFT_CURLY_BRACE) {
              braces++;
              continue;
            }
            if (braceEscaped !== true && code === CHAR_DOT && (code = advance()) === CHAR_DOT) {
              isBrace = token.isBrace = true;
              isGlob = token.isGlob = true;
              finished = true;
              if (scanToEnd === true) {
                continue;
              }
              break;
            }
            if (braceEscaped !== true && code === CHAR_COMMA) {
              isBrace = token.isBrace = true;
              isGlob = token.isGlob = true;
              finished = true;
              if (scanToEnd === true) {
                continue;
              }
              break;
            }
            if (code === CHAR_RIGHT_CURLY_BRACE) {
              braces--;
              if (braces === 0) {
                braceEscaped = false;
                isBrace = token.isBrace = true;
                finished = true;
                break;
              }
            }
          }
          if (scanToEnd === true) {
            continue;
          }
          break;
        }
        if (code === CHAR_FORWARD_SLASH) {
          slashes.push(index);
          tokens.push(token);
          token = { value: "", depth: 0, isGlob: false };
          if (finished === true) continue;
          if (prev === CHAR_DOT && index === start + 1) {
            start += 2;
            continue;
          }
          lastIndex = index + 1;
          continue;
        }
        if (opts.noext !== true) {
          const isExtglobChar = code === CHAR_PLUS || code === CHAR_AT || code === CHAR_ASTERISK || code === CHAR_QUESTION_MARK || code === CHAR_EXCLAMATION_MARK;
          if (isExtglobChar === true && peek() === CHAR_LEFT_PARENTHESES) {
            isGlob = token.isGlob = true;
            isExtglob = token.isExtglob = true;
            finished = true;
            if (code === CHAR_EXCLAMATION_MARK && index === start) {
              negatedExtglob = true;
            }
            if (scanToEnd === true) {
              let parens = 0;
              while (eos() !== true && (code = advance())) {
                if (code === CHAR_BACKWARD_SLASH) {
                  backslashes = token.backslashes = true;
                  advance();
                  continue;
                }
                if (code === CHAR_LEFT_PARENTHESES) {
                  parens++;
                  continue;
                }
                if (code === CHAR_RIGHT_PARENTHESES && --parens === 0) {
                  finished = true;
                  break;
                }
              }
              continue;
            }
            break;
          }
        }
        if (code === CHAR_ASTERISK) {
          if (prev === CHAR_ASTERISK) isGlobstar = token.isGlobstar = true;
          isGlob = token.isGlob = true;
          finished = true;
          if (scanToEnd === true) {
            continue;
          }
          break;
        }
        if (code === CHAR_QUESTION_MARK) {
          isGlob = token.isGlob = true;
          finished = true;
          if (scanToEnd === true) {
            continue;
          }
          break;
        }
        if (code === CHAR_LEFT_SQUARE_BRACKET) {
          while (eos() !== true && (next = advance())) {
            if (next === CHAR_BACKWARD_SLASH) {
              backslashes = token.backslashes = true;
              advance();
              continue;
            }
            if (next === CHAR_RIGHT_SQUARE_BRACKET) {
              isBracket = token.isBracket = true;
              isGlob = token.isGlob = true;
              finished = true;
              break;
            }
          }
          if (scanToEnd === true) {
            continue;
          }
          break;
        }
        if (opts.nonegate !== true && code === CHAR_EXCLAMATION_MARK && index === start) {
          negated = token.negated = true;
          start++;
          continue;
        }
        if (opts.noparen !== true && code === CHAR_LEFT_PARENTHESES) {
          isGlob = token.isGlob = true;
          if (scanToEnd === true) {
            let parens = 1;
            while (eos() !== true && (code = advance())) {
              if (code === CHAR_BACKWARD_SLASH) {
                backslashes = token.backslashes = true;
                advance();
                continue;
              }
              if (code === CHAR_LEFT_PARENTHESES) {
                parens++;
                continue;
              }
              if (code === CHAR_RIGHT_PARENTHESES && --parens === 0) {
                finished = true;
                break;
              }
            }
            continue;
          }
          break;
        }
        if (isGlob === true) {
          finished = true;
          if (scanToEnd === true) {
            continue;
          }
          break;
        }
      }
      if (opts.noext === true) {
        isExtglob = false;
        isGlob = false;
      }
      let base = str;
      let prefix = "";
      let glob2 = "";
      if (start > 0) {
        prefix = str.slice(0, start);
        str = str.slice(start);
        lastIndex -= start;
      }
      if (base && isGlob === true && lastIndex > 0) {
        base = str.slice(0, lastIndex);
        glob2 = str.slice(lastIndex);
      } else if (isGlob === true) {
        base = "";
        glob2 = str;
      } else {
        base = str;
      }
      if (base && base !== "" && base !== "/" && base !== str) {
        if (isPathSeparator(base.charCodeAt(base.length - 1))) {
          base = base.slice(0, -1);
        }
      }
      if (opts.unescape === true) {
        if (glob2) glob2 = utils.removeBackslashes(glob2);
        if (base && backslashes === true) {
          base = utils.removeBackslashes(base);
        }
      }
      const state = {
        prefix,
        input,
        start,
        base,
        glob: glob2,
        isBrace,
        isBracket,
        isGlob,
        isExtglob,
        isGlobstar,
        negated,
        negatedExtglob
      };
      if (opts.tokens === true) {
        state.maxDepth = 0;
        if (!isPathSeparator(code)) {
          tokens.push(token);
        }
        state.tokens = tokens;
      }
      if (opts.parts === true || opts.tokens === true) {
        let prevIndex;
        for (let idx = 0; idx < slashes.length; idx++) {
          const n2 = prevIndex !== void 0 ? prevIndex + 1 : start;
          const i = slashes[idx];
          const value2 = input.slice(n2, i);
          if (opts.tokens) {
            if (idx === 0 && start !== 0) {
              tokens[idx].isPrefix = true;
              tokens[idx].value = prefix;
            } else {
              tokens[idx].value = value2;
            }
            depth(tokens[idx]);
            state.maxDepth += tokens[idx].depth;
          }
          if (i >= start) {
            parts.push(value2);
            prevIndex = i;
          }
        }
        const n = prevIndex !== void 0 ? prevIndex + 1 : start;
        const value = input.slice(n);
        parts.push(value);
        if (opts.tokens && prevIndex && prevIndex + 1 < input.length) {
          tokens[tokens.length - 1].value = value;
          depth(tokens[tokens.length - 1]);
          state.maxDepth += tokens[tokens.length - 1].depth;
        }
        state.slashes = slashes;
        state.parts = parts;
      }
      return state;
    };
    module.exports = scan;
  }
});

// node_modules/picomatch/lib/parse.js
var require_parse = __commonJS({
  "node_modules/picomatch/lib/parse.js"(exports, module) {
    "use strict";
    var constants = require_constants();
    var utils = require_utils();
    var {
      MAX_LENGTH,
      POSIX_REGEX_SOURCE,
      REGEX_NON_SPECIAL_CHARS,
      REGEX_SPECIAL_CHARS_BACKREF,
      REPLACEMENTS
    } = constants;
    var expandRange = (args, options) => {
      if (typeof options.expandRange === "function") {
        return options.expandRange(...args, options);
      }
      args.sort();
      const value = `[${args.join("-")}]`;
      try {
        new RegExp(value);
      } catch (ex) {
        return args.map((v) => utils.escapeRegex(v)).join("..");
      }
      return value;
    };
    var syntaxError = (type, char) => {
      return `Missing ${type}: "${char}" - use "\\\\${char}" to match literal characters`;
    };
    var splitTopLevel = (input) => {
      const parts = [];
      let bracket = 0;
      let paren = 0;
      let quote = 0;
      let value = "";
      let escaped = false;
      for (const ch of input) {
        if (escaped === true) {
          value += ch;
          escaped = false;
          continue;
        }
        if (ch === "\\") {
          value += ch;
          escaped = true;
          continue;
        }
        if (ch === '"') {
          quote = quote === 1 ? 0 : 1;
          value += ch;
          continue;
        }
        if (quote === 0) {
          if (ch === "[") {
            bracket++;
          } else if (ch === "]" && bracket > 0) {
            bracket--;
          } else if (bracket === 0) {
            if (ch === "(") {
              paren++;
            } else if (ch === ")" && paren > 0) {
              paren--;
            } else if (ch === "|" && paren === 0) {
              parts.push(value);
              value = "";
              continue;
            }
          }
        }
        value += ch;
      }
      parts.push(value);
      return parts;
    };
    var isPlainBranch = (branch) => {
      let escaped = false;
      for (const ch of branch) {
        if (escaped === true) {
          escaped = false;
          continue;
        }
        if (ch === "\\") {
          escaped = true;
          continue;
        }
        if (/[?*+@!()[\]{}]/.test(ch)) {
          return false;
        }
      }
      return true;
    };
    var normalizeSimpleBranch = (branch) => {
      let value = branch.trim();
      let changed = true;
      while (changed === true) {
        changed = false;
        if (/^@\([^\\()[\]{}|]+\)$/.test(value)) {
          value = value.slice(2, -1);
          changed = true;
        }
      }
      if (!isPlainBranch(value)) {
        return;
      }
      return value.replace(/\\(.)/g, "$1");
    };
    var hasRepeatedCharPrefixOverlap = (branches) => {
      const values = branches.map(normalizeSimpleBranch).filter(Boolean);
      for (let i = 0; i < values.length; i++) {
        for (let j = i + 1; j < values.length; j++) {
          const a = values[i];
          const b = values[j];
          const char = a[0];
          if (!char || a !== char.repeat(a.length) || b !== char.repeat(b.length)) {
            continue;
          }
          if (a === b || a.startsWith(b) || b.startsWith(a)) {
            return true;
          }
        }
      }
      return false;
    };
    var parseRepeatedExtglob = (pattern, requireEnd = true) => {
      if (pattern[0] !== "+" && pattern[0] !== "*" || pattern[1] !== "(") {
        return;
      }
      let bracket = 0;
      let paren = 0;
      let quote = 0;
      let escaped = false;
      for (let i = 1; i < pattern.length; i++) {
        const ch = pattern[i];
        if (escaped === true) {
          escaped = false;
          continue;
        }
        if (ch === "\\") {
          escaped = true;
          continue;
        }
        if (ch === '"') {
          quote = quote === 1 ? 0 : 1;
          continue;
        }
        if (quote === 1) {
          continue;
        }
        if (ch === "[") {
          bracket++;
          continue;
        }
        if (ch === "]" && bracket > 0) {
          bracket--;
          continue;
        }
        if (bracket > 0) {
          continue;
        }
        if (ch === "(") {
          paren++;
          continue;
        }
        if (ch === ")") {
          paren--;
          if (paren === 0) {
            if (requireEnd === true && i !== pattern.length - 1) {
              return;
            }
            return {
              type: pattern[0],
              body: pattern.slice(2, i),
              end: i
            };
          }
        }
      }
    };
    var buildCharClassStar = (chars) => {
      const source = chars.length === 1 ? utils.escapeRegex(chars[0]) : `[${chars.map((ch) => utils.escapeRegex(ch)).join("")}]`;
      return `${source}*`;
    };
    var getStarExtglobSequenceChars = (pattern) => {
      let index = 0;
      const chars = [];
      while (index < pattern.length) {
        const match = parseRepeatedExtglob(pattern.slice(index), false);
        if (!match || match.type !== "*") {
          return;
        }
        const branches = splitTopLevel(match.body).map((branch2) => branch2.trim());
        if (branches.length !== 1) {
          return;
        }
        const branch = normalizeSimpleBranch(branches[0]);
        if (!branch || branch.length !== 1) {
          return;
        }
        chars.push(branch);
        index += match.end + 1;
      }
      if (chars.length < 1) {
        return;
      }
      return chars;
    };
    var repeatedExtglobRecursion = (pattern) => {
      let depth = 0;
      let value = pattern.trim();
      let match = parseRepeatedExtglob(value);
      while (match) {
        depth++;
        value = match.body.trim();
        match = parseRepeatedExtglob(value);
      }
      return depth;
    };
    var analyzeRepeatedExtglob = (body, options) => {
      if (options.maxExtglobRecursion === false) {
        return { risky: false };
      }
      const max = typeof options.maxExtglobRecursion === "number" ? options.maxExtglobRecursion : constants.DEFAULT_MAX_EXTGLOB_RECURSION;
      const branches = splitTopLevel(body).map((branch) => branch.trim());
      if (branches.length > 1) {
        if (branches.some((branch) => branch === "") || branches.some((branch) => /^[*?]+$/.test(branch)) || hasRepeatedCharPrefixOverlap(branches)) {
          return { risky: true };
        }
      }
      const safeChars = [];
      let sawStarSequence = false;
      let combinable = true;
      for (const branch of branches) {
        const chars = getStarExtglobSequenceChars(branch);
        if (chars) {
          sawStarSequence = true;
          safeChars.push(...chars);
          continue;
        }
        const literal = normalizeSimpleBranch(branch);
        if (literal && literal.length === 1) {
          safeChars.push(literal);
          continue;
        }
        combinable = false;
        if (repeatedExtglobRecursion(branch) > max) {
          return { risky: true };
        }
      }
      if (sawStarSequence) {
        return combinable ? { risky: true, safeOutput: buildCharClassStar([...new Set(safeChars)]) } : { risky: true };
      }
      return { risky: false };
    };
    var parse = (input, options) => {
      if (typeof input !== "string") {
        throw new TypeError("Expected a string");
      }
      input = REPLACEMENTS[input] || input;
      const opts = { ...options };
      const max = typeof opts.maxLength === "number" ? Math.min(MAX_LENGTH, opts.maxLength) : MAX_LENGTH;
      let len = input.length;
      if (len > max) {
        throw new SyntaxError(`Input length: ${len}, exceeds maximum allowed length: ${max}`);
      }
      const bos = { type: "bos", value: "", output: opts.prepend || "" };
      const tokens = [bos];
      const capture = opts.capture ? "" : "?:";
      const PLATFORM_CHARS = constants.globChars(opts.windows);
      const EXTGLOB_CHARS = constants.extglobChars(PLATFORM_CHARS);
      const {
        DOT_LITERAL,
        PLUS_LITERAL,
        SLASH_LITERAL,
        ONE_CHAR,
        DOTS_SLASH,
        NO_DOT,
        NO_DOT_SLASH,
        NO_DOTS_SLASH,
        QMARK,
        QMARK_NO_DOT,
        STAR,
        START_ANCHOR
      } = PLATFORM_CHARS;
      const globstar = (opts2) => {
        return `(${capture}(?:(?!${START_ANCHOR}${opts2.dot ? DOTS_SLASH : DOT_LITERAL}).)*?)`;
      };
      const nodot = opts.dot ? "" : NO_DOT;
      const qmarkNoDot = opts.dot ? QMARK : QMARK_NO_DOT;
      let star = opts.bash === true ? globstar(opts) : STAR;
      if (opts.capture) {
        star = `(${star})`;
      }
      if (typeof opts.noext === "boolean") {
        opts.noextglob = opts.noext;
      }
      const state = {
        input,
        index: -1,
        start: 0,
        dot: opts.dot === true,
        consumed: "",
        output: "",
        prefix: "",
        backtrack: false,
        negated: false,
        brackets: 0,
        braces: 0,
        parens: 0,
        quotes: 0,
        globstar: false,
        tokens
      };
      input = utils.removePrefix(input, state);
      len = input.length;
      const extglobs = [];
      const braces = [];
      const stack = [];
      let prev = bos;
      let value;
      const eos = () => state.index === len - 1;
      const peek = state.peek = (n = 1) => input[state.index + n];
      const advance = state.advance = () => input[++state.index] || "";
      const remaining = () => input.slice(state.index + 1);
      const consume = (value2 = "", num = 0) => {
        state.consumed += value2;
        state.index += num;
      };
      const append = (token) => {
        state.output += token.output != null ? token.output : token.value;
        consume(token.value);
      };
      const negate = () => {
        let count = 1;
        while (peek() === "!" && (peek(2) !== "(" || peek(3) === "?")) {
          advance();
          state.start++;
          count++;
        }
        if (count % 2 === 0) {
          return false;
        }
        state.negated = true;
        state.start++;
        return true;
      };
      const increment = (type) => {
        state[type]++;
        stack.push(type);
      };
      const decrement = (type) => {
        state[type]--;
        stack.pop();
      };
      const push = (tok) => {
        if (prev.type === "globstar") {
          const isBrace = state.braces > 0 && (tok.type === "comma" || tok.type === "brace");
          const isExtglob = tok.extglob === true || extglobs.length && (tok.type === "pipe" || tok.type === "paren");
          if (tok.type !== "slash" && tok.type !== "paren" && !isBrace && !isExtglob) {
            state.output = state.output.slice(0, -prev.output.length);
            prev.type = "star";
            prev.value = "*";
            prev.output = star;
            state.output += prev.output;
          }
        }
        if (extglobs.length && tok.type !== "paren") {
          extglobs[extglobs.length - 1].inner += tok.value;
        }
        if (tok.value || tok.output) append(tok);
        if (prev && prev.type === "text" && tok.type === "text") {
          prev.output = (prev.output || prev.value) + tok.value;
          prev.value += tok.value;
          return;
        }
        tok.prev = prev;
        tokens.push(tok);
        prev = tok;
      };
      const extglobOpen = (type, value2) => {
        const token = { ...EXTGLOB_CHARS[value2], conditions: 1, inner: "" };
        token.prev = prev;
        token.parens = state.parens;
        token.output = state.output;
        token.startIndex = state.index;
        token.tokensIndex = tokens.length;
        const output = (opts.capture ? "(" : "") + token.open;
        increment("parens");
        push({ type, value: value2, output: state.output ? "" : ONE_CHAR });
        push({ type: "paren", extglob: true, value: advance(), output });
        extglobs.push(token);
      };
      const extglobClose = (token) => {
        const literal = input.slice(token.startIndex, state.index + 1);
        const body = input.slice(token.startIndex + 2, state.index);
        const analysis = analyzeRepeatedExtglob(body, opts);
        if ((token.type === "plus" || token.type === "star") && analysis.risky) {
          const safeOutput = analysis.safeOutput ? (token.output ? "" : ONE_CHAR) + (opts.capture ? `(${analysis.safeOutput})` : analysis.safeOutput) : void 0;
          const open2 = tokens[token.tokensIndex];
          open2.type = "text";
          open2.value = literal;
          open2.output = safeOutput || utils.escapeRegex(literal);
          for (let i = token.tokensIndex + 1; i < tokens.length; i++) {
            tokens[i].value = "";
            tokens[i].output = "";
            delete tokens[i].suffix;
          }
          state.output = token.output + open2.output;
          state.backtrack = true;
          push({ type: "paren", extglob: true, value, output: "" });
          decrement("parens");
          return;
        }
        let output = token.close + (opts.capture ? ")" : "");
        let rest;
        if (token.type === "negate") {
          let extglobStar = star;
          if (token.inner && token.inner.length > 1 && token.inner.includes("/")) {
            extglobStar = globstar(opts);
          }
          if (extglobStar !== star || eos() || /^\)+$/.test(remaining())) {
            output = token.close = `)$))${extglobStar}`;
          }
          if (token.inner.includes("*") && (rest = remaining()) && /^\.[^\\/.]+$/.test(rest)) {
            const expression = parse(rest, { ...options, fastpaths: false }).output;
            output = token.close = `)${expression})${extglobStar})`;
          }
          if (token.prev.type === "bos") {
            state.negatedExtglob = true;
          }
        }
        push({ type: "paren", extglob: true, value, output });
        decrement("parens");
      };
      if (opts.fastpaths !== false && !/(^[*!]|[/()[\]{}"])/.test(input)) {
        let backslashes = false;
        let output = input.replace(REGEX_SPECIAL_CHARS_BACKREF, (m, esc, chars, first, rest, index) => {
          if (first === "\\") {
            backslashes = true;
            return m;
          }
          if (first === "?") {
            if (esc) {
              return esc + first + (rest ? QMARK.repeat(rest.length) : "");
            }
            if (index === 0) {
              return qmarkNoDot + (rest ? QMARK.repeat(rest.length) : "");
            }
            return QMARK.repeat(chars.length);
          }
          if (first === ".") {
            return DOT_LITERAL.repeat(chars.length);
          }
          if (first === "*") {
            if (esc) {
              return esc + first + (rest ? star : "");
            }
            return star;
          }
          return esc ? m : `\\${m}`;
        });
        if (backslashes === true) {
          if (opts.unescape === true) {
            output = output.replace(/\\/g, "");
          } else {
            output = output.replace(/\\+/g, (m) => {
              return m.length % 2 === 0 ? "\\\\" : m ? "\\" : "";
            });
          }
        }
        if (output === input && opts.contains === true) {
          state.output = input;
          return state;
        }
        state.output = utils.wrapOutput(output, state, options);
        return state;
      }
      while (!eos()) {
        value = advance();
        if (value === "\0") {
          continue;
        }
        if (value === "\\") {
          const next = peek();
          if (next === "/" && opts.bash !== true) {
            continue;
          }
          if (next === "." || next === ";") {
            continue;
          }
          if (!next) {
            value += "\\";
            push({ type: "text", value });
            continue;
          }
          const match = /^\\+/.exec(remaining());
          let slashes = 0;
          if (match && match[0].length > 2) {
            slashes = match[0].length;
            state.index += slashes;
            if (slashes % 2 !== 0) {
              value += "\\";
            }
          }
          if (opts.unescape === true) {
            value = advance();
          } else {
            value += advance();
          }
          if (state.brackets === 0) {
            push({ type: "text", value });
            continue;
          }
        }
        if (state.brackets > 0 && (value !== "]" || prev.value === "[" || prev.value === "[^")) {
          if (opts.posix !== false && value === ":") {
            const inner = prev.value.slice(1);
            if (inner.includes("[")) {
              prev.posix = true;
              if (inner.includes(":")) {
                const idx = prev.value.lastIndexOf("[");
                const pre = prev.value.slice(0, idx);
                const rest2 = prev.value.slice(idx + 2);
                const posix2 = POSIX_REGEX_SOURCE[rest2];
                if (posix2) {
                  prev.value = pre + posix2;
                  state.backtrack = true;
                  advance();
                  if (!bos.output && tokens.indexOf(prev) === 1) {
                    bos.output = ONE_CHAR;
                  }
                  continue;
                }
              }
            }
          }
          if (value === "[" && peek() !== ":" || value === "-" && peek() === "]") {
            value = `\\${value}`;
          }
          if (value === "]" && (prev.value === "[" || prev.value === "[^")) {
            value = `\\${value}`;
          }
          if (opts.posix === true && value === "!" && prev.value === "[") {
            value = "^";
          }
          prev.value += value;
          append({ value });
          continue;
        }
        if (state.quotes === 1 && value !== '"') {
          value = utils.escapeRegex(value);
          prev.value += value;
          append({ value });
          continue;
        }
        if (value === '"') {
          state.quotes = state.quotes === 1 ? 0 : 1;
          if (opts.keepQuotes === true) {
            push({ type: "text", value });
          }
          continue;
        }
        if (value === "(") {
          increment("parens");
          push({ type: "paren", value });
          continue;
        }
        if (value === ")") {
          if (state.parens === 0 && opts.strictBrackets === true) {
            throw new SyntaxError(syntaxError("opening", "("));
          }
          const extglob = extglobs[extglobs.length - 1];
          if (extglob && state.parens === extglob.parens + 1) {
            extglobClose(extglobs.pop());
            continue;
          }
          push({ type: "paren", value, output: state.parens ? ")" : "\\)" });
          decrement("parens");
          continue;
        }
        if (value === "[") {
          if (opts.nobracket === true || !remaining().includes("]")) {
            if (opts.nobracket !== true && opts.strictBrackets === true) {
              throw new SyntaxError(syntaxError("closing", "]"));
            }
            value = `\\${value}`;
          } else {
            increment("brackets");
          }
          push({ type: "bracket", value });
          continue;
        }
        if (value === "]") {
          if (opts.nobracket === true || prev && prev.type === "bracket" && prev.value.length === 1) {
            push({ type: "text", value, output: `\\${value}` });
            continue;
          }
          if (state.brackets === 0) {
            if (opts.strictBrackets === true) {
              throw new SyntaxError(syntaxError("opening", "["));
            }
            push({ type: "text", value, output: `\\${value}` });
            continue;
          }
          decrement("brackets");
          const prevValue = prev.value.slice(1);
          if (prev.posix !== true && prevValue[0] === "^" && !prevValue.includes("/")) {
            value = `/${value}`;
          }
          prev.value += value;
          append({ value });
          if (opts.literalBrackets === false || utils.hasRegexChars(prevValue)) {
            continue;
          }
          const escaped = utils.escapeRegex(prev.value);
          state.output = state.output.slice(0, -prev.value.length);
          if (opts.literalBrackets === true) {
            state.output += escaped;
            prev.value = escaped;
            continue;
          }
          prev.value = `(${capture}${escaped}|${prev.value})`;
          state.output += prev.value;
          continue;
        }
        if (value === "{" && opts.nobrace !== true) {
          increment("braces");
          const open2 = {
            type: "brace",
            value,
            output: "(",
            outputIndex: state.output.length,
            tokensIndex: state.tokens.length
          };
          braces.push(open2);
          push(open2);
          continue;
        }
        if (value === "}") {
          const brace = braces[braces.length - 1];
          if (opts.nobrace === true || !brace) {
            push({ type: "text", value, output: value });
            continue;
          }
          let output = ")";
          if (brace.dots === true) {
            const arr = tokens.slice();
            const range = [];
            for (let i = arr.length - 1; i >= 0; i--) {
              tokens.pop();
              if (arr[i].type === "brace") {
                break;
              }
              if (arr[i].type !== "dots") {
                range.unshift(arr[i].value);
              }
            }
            output = expandRange(range, opts);
            state.backtrack = true;
          }
          if (brace.comma !== true && brace.dots !== true) {
            const out = state.output.slice(0, brace.outputIndex);
            const toks = state.tokens.slice(brace.tokensIndex);
            brace.value = brace.output = "\\{";
            value = output = "\\}";
            state.output = out;
            for (const t of toks) {
              state.output += t.output || t.value;
            }
          }
          push({ type: "brace", value, output });
          decrement("braces");
          braces.pop();
          continue;
        }
        if (value === "|") {
          if (extglobs.length > 0) {
            extglobs[extglobs.length - 1].conditions++;
          }
          push({ type: "text", value });
          continue;
        }
        if (value === ",") {
          let output = value;
          const brace = braces[braces.length - 1];
          if (brace && stack[stack.length - 1] === "braces") {
            brace.comma = true;
            output = "|";
          }
          push({ type: "comma", value, output });
          continue;
        }
        if (value === "/") {
          if (prev.type === "dot" && state.index === state.start + 1) {
            state.start = state.index + 1;
            state.consumed = "";
            state.output = "";
            tokens.pop();
            prev = bos;
            continue;
          }
          push({ type: "slash", value, output: SLASH_LITERAL });
          continue;
        }
        if (value === ".") {
          if (state.braces > 0 && prev.type === "dot") {
            if (prev.value === ".") prev.output = DOT_LITERAL;
            const brace = braces[braces.length - 1];
            prev.type = "dots";
            prev.output += value;
            prev.value += value;
            brace.dots = true;
            continue;
          }
          if (state.braces + state.parens === 0 && prev.type !== "bos" && prev.type !== "slash") {
            push({ type: "text", value, output: DOT_LITERAL });
            continue;
          }
          push({ type: "dot", value, output: DOT_LITERAL });
          continue;
        }
        if (value === "?") {
          const isGroup = prev && prev.value === "(";
          if (!isGroup && opts.noextglob !== true && peek() === "(" && peek(2) !== "?") {
            extglobOpen("qmark", value);
            continue;
          }
          if (prev && prev.type === "paren") {
            const next = peek();
            let output = value;
            if (prev.value === "(" && !/[!=<:]/.test(next) || next === "<" && !/<([!=]|\w+>)/.test(remaining())) {
              output = `\\${value}`;
            }
            push({ type: "text", value, output });
            continue;
          }
          if (opts.dot !== true && (prev.type === "slash" || prev.type === "bos")) {
            push({ type: "qmark", value, output: QMARK_NO_DOT });
            continue;
          }
          push({ type: "qmark", value, output: QMARK });
          continue;
        }
        if (value === "!") {
          if (opts.noextglob !== true && peek() === "(") {
            if (peek(2) !== "?" || !/[!=<:]/.test(peek(3))) {
              extglobOpen("negate", value);
              continue;
            }
          }
          if (opts.nonegate !== true && state.index === 0) {
            negate();
            continue;
          }
        }
        if (value === "+") {
          if (opts.noextglob !== true && peek() === "(" && peek(2) !== "?") {
            extglobOpen("plus", value);
            continue;
          }
          if (prev && prev.value === "(" || opts.regex === false) {
            push({ type: "plus", value, output: PLUS_LITERAL });
            continue;
          }
          if (prev && (prev.type === "bracket" || prev.type === "paren" || prev.type === "brace") || state.parens > 0) {
            push({ type: "plus", value });
            continue;
          }
          push({ type: "plus", value: PLUS_LITERAL });
          continue;
        }
        if (value === "@") {
          if (opts.noextglob !== true && peek() === "(" && peek(2) !== "?") {
            push({ type: "at", extglob: true, value, output: "" });
            continue;
          }
          push({ type: "text", value });
          continue;
        }
        if (value !== "*") {
          if (value === "$" || value === "^") {
            value = `\\${value}`;
          }
          const match = REGEX_NON_SPECIAL_CHARS.exec(remaining());
          if (match) {
            value += match[0];
            state.index += match[0].length;
          }
          push({ type: "text", value });
          continue;
        }
        if (prev && (prev.type === "globstar" || prev.star === true)) {
          prev.type = "star";
          prev.star = true;
          prev.value += value;
          prev.output = star;
          state.backtrack = true;
          state.globstar = true;
          consume(value);
          continue;
        }
        let rest = remaining();
        if (opts.noextglob !== true && /^\([^?]/.test(rest)) {
          extglobOpen("star", value);
          continue;
        }
        if (prev.type === "star") {
          if (opts.noglobstar === true) {
            consume(value);
            continue;
          }
          const prior = prev.prev;
          const before = prior.prev;
          const isStart = prior.type === "slash" || prior.type === "bos";
          const afterStar = before && (before.type === "star" || before.type === "globstar");
          if (opts.bash === true && (!isStart || rest[0] && rest[0] !== "/")) {
            push({ type: "star", value, output: "" });
            continue;
          }
          const isBrace = state.braces > 0 && (prior.type === "comma" || prior.type === "brace");
          const isExtglob = extglobs.length && (prior.type === "pipe" || prior.type === "paren");
          if (!isStart && prior.type !== "paren" && !isBrace && !isExtglob) {
            push({ type: "star", value, output: "" });
            continue;
          }
          while (rest.slice(0, 3) === "/**") {
            const after = input[state.index + 4];
            if (after && after !== "/") {
              break;
            }
            rest = rest.slice(3);
            consume("/**", 3);
          }
          const isEnd = eos() || state.parens > 0 && rest === ")".repeat(state.parens) && !extglobs.some((extglob) => extglob.type === "negate");
          if (prior.type === "bos" && eos()) {
            prev.type = "globstar";
            prev.value += value;
            prev.output = globstar(opts);
            state.output = prev.output;
            state.globstar = true;
            consume(value);
            continue;
          }
          if (prior.type === "slash" && prior.prev.type !== "bos" && !afterStar && isEnd) {
            state.output = state.output.slice(0, -(prior.output + prev.output).length);
            prior.output = `(?:${prior.output}`;
            prev.type = "globstar";
            prev.output = globstar(opts) + (opts.strictSlashes ? ")" : "|$)");
            prev.value += value;
            state.globstar = true;
            state.output += prior.output + prev.output;
            consume(value);
            continue;
          }
          if (prior.type === "slash" && prior.prev.type !== "bos" && rest[0] === "/") {
            const end = rest[1] !== void 0 ? "|$" : "";
            state.output = state.output.slice(0, -(prior.output + prev.output).length);
            prior.output = `(?:${prior.output}`;
            prev.type = "globstar";
            prev.output = `${globstar(opts)}${SLASH_LITERAL}|${SLASH_LITERAL}${end})`;
            prev.value += value;
            state.output += prior.output + prev.output;
            state.globstar = true;
            consume(value + advance());
            push({ type: "slash", value: "/", output: "" });
            continue;
          }
          if (prior.type === "bos" && rest[0] === "/") {
            prev.type = "globstar";
            prev.value += value;
            prev.output = `(?:^|${SLASH_LITERAL}|${globstar(opts)}${SLASH_LITERAL})`;
            state.output = prev.output;
            state.globstar = true;
            consume(value + advance());
            push({ type: "slash", value: "/", output: "" });
            continue;
          }
          state.output = state.output.slice(0, -prev.output.length);
          prev.type = "globstar";
          prev.output = globstar(opts);
          prev.value += value;
          state.output += prev.output;
          state.globstar = true;
          consume(value);
          continue;
        }
        const token = { type: "star", value, output: star };
        if (opts.bash === true) {
          token.output = ".*?";
          if (prev.type === "bos" || prev.type === "slash") {
            token.output = nodot + token.output;
          }
          push(token);
          continue;
        }
        if (prev && (prev.type === "bracket" || prev.type === "paren") && opts.regex === true) {
          token.output = value;
          push(token);
          continue;
        }
        if (state.index === state.start || prev.type === "slash" || prev.type === "dot") {
          if (prev.type === "dot") {
            state.output += NO_DOT_SLASH;
            prev.output += NO_DOT_SLASH;
          } else if (opts.dot === true) {
            state.output += NO_DOTS_SLASH;
            prev.output += NO_DOTS_SLASH;
          } else {
            state.output += nodot;
            prev.output += nodot;
          }
          if (peek() !== "*") {
            state.output += ONE_CHAR;
            prev.output += ONE_CHAR;
          }
        }
        push(token);
      }
      while (state.brackets > 0) {
        if (opts.strictBrackets === true) throw new SyntaxError(syntaxError("closing", "]"));
        state.output = utils.escapeLast(state.output, "[");
        decrement("brackets");
      }
      while (state.parens > 0) {
        if (opts.strictBrackets === true) throw new SyntaxError(syntaxError("closing", ")"));
        state.output = utils.escapeLast(state.output, "(");
        decrement("parens");
      }
      while (state.braces > 0) {
        if (opts.strictBrackets === true) throw new SyntaxError(syntaxError("closing", "}"));
        state.output = utils.escapeLast(state.output, "{");
        decrement("braces");
      }
      if (opts.strictSlashes !== true && (prev.type === "star" || prev.type === "bracket")) {
        push({ type: "maybe_slash", value: "", output: `${SLASH_LITERAL}?` });
      }
      if (state.backtrack === true) {
        state.output = "";
        for (const token of state.tokens) {
          state.output += token.output != null ? token.output : token.value;
          if (token.suffix) {
            state.output += token.suffix;
          }
        }
      }
      return state;
    };
    parse.fastpaths = (input, options) => {
      const opts = { ...options };
      const max = typeof opts.maxLength === "number" ? Math.min(MAX_LENGTH, opts.maxLength) : MAX_LENGTH;
      const len = input.length;
      if (len > max) {
        throw new SyntaxError(`Input length: ${len}, exceeds maximum allowed length: ${max}`);
      }
      input = REPLACEMENTS[input] || input;
      const {
        DOT_LITERAL,
        SLASH_LITERAL,
        ONE_CHAR,
        DOTS_SLASH,
        NO_DOT,
        NO_DOTS,
        NO_DOTS_SLASH,
        STAR,
        START_ANCHOR
      } = constants.globChars(opts.windows);
      const nodot = opts.dot ? NO_DOTS : NO_DOT;
      const slashDot = opts.dot ? NO_DOTS_SLASH : NO_DOT;
      const capture = opts.capture ? "" : "?:";
      const state = { negated: false, prefix: "" };
      let star = opts.bash === true ? ".*?" : STAR;
      if (opts.capture) {
        star = `(${star})`;
      }
      const globstar = (opts2) => {
        if (opts2.noglobstar === true) return star;
        return `(${capture}(?:(?!${START_ANCHOR}${opts2.dot ? DOTS_SLASH : DOT_LITERAL}).)*?)`;
      };
      const create = (str) => {
        switch (str) {
          case "*":
            return `${nodot}${ONE_CHAR}${star}`;
          case ".*":
            return `${DOT_LITERAL}${ONE_CHAR}${star}`;
          case "*.*":
            return `${nodot}${star}${DOT_LITERAL}${ONE_CHAR}${star}`;
          case "*/*":
            return `${nodot}${star}${SLASH_LITERAL}${ONE_CHAR}${slashDot}${star}`;
          case "**":
            return nodot + globstar(opts);
          case "**/*":
            return `(?:${nodot}${globstar(opts)}${SLASH_LITERAL})?${slashDot}${ONE_CHAR}${star}`;
          case "**/*.*":
            return `(?:${nodot}${globstar(opts)}${SLASH_LITERAL})?${slashDot}${star}${DOT_LITERAL}${ONE_CHAR}${star}`;
          case "**/.*":
            return `(?:${nodot}${globstar(opts)}${SLASH_LITERAL})?${DOT_LITERAL}${ONE_CHAR}${star}`;
          default: {
            const match = /^(.*?)\.(\w+)$/.exec(str);
            if (!match) return;
            const source2 = create(match[1]);
            if (!source2) return;
            return source2 + DOT_LITERAL + match[2];
          }
        }
      };
      const output = utils.removePrefix(input, state);
      let source = create(output);
      if (source && opts.strictSlashes !== true) {
        source += `${SLASH_LITERAL}?`;
      }
      return source;
    };
    module.exports = parse;
  }
});

// node_modules/picomatch/lib/picomatch.js
var require_picomatch = __commonJS({
  "node_modules/picomatch/lib/picomatch.js"(exports, module) {
    "use strict";
    var scan = require_scan();
    var parse = require_parse();
    var utils = require_utils();
    var constants = require_constants();
    var isObject = (val) => val && typeof val === "object" && !Array.isArray(val);
    var picomatch2 = (glob2, options, returnState = false) => {
      if (Array.isArray(glob2)) {
        const fns = glob2.map((input) => picomatch2(input, options, returnState));
        const arrayMatcher = (str) => {
          for (const isMatch of fns) {
            const state2 = isMatch(str);
            if (state2) return state2;
          }
          return false;
        };
        return arrayMatcher;
      }
      const isState = isObject(glob2) && glob2.tokens && glob2.input;
      if (glob2 === "" || typeof glob2 !== "string" && !isState) {
        throw new TypeError("Expected pattern to be a non-empty string");
      }
      const opts = options || {};
      const posix2 = opts.windows;
      const regex = isState ? picomatch2.compileRe(glob2, options) : picomatch2.makeRe(glob2, options, false, true);
      const state = regex.state;
      delete regex.state;
      let isIgnored = () => false;
      if (opts.ignore) {
        const ignoreOpts = { ...options, ignore: null, onMatch: null, onResult: null };
        isIgnored = picomatch2(opts.ignore, ignoreOpts, returnState);
      }
      const matcher = (input, returnObject = false) => {
        const { isMatch, match, output } = picomatch2.test(input, regex, options, { glob: glob2, posix: posix2 });
        const result = { glob: glob2, state, regex, posix: posix2, input, output, match, isMatch };
        if (typeof opts.onResult === "function") {
          opts.onResult(result);
        }
        if (isMatch === false) {
          result.isMatch = false;
          return returnObject ? result : false;
        }
        if (isIgnored(input)) {
          if (typeof opts.onIgnore === "function") {
            opts.onIgnore(result);
          }
          result.isMatch = false;
          return returnObject ? result : false;
        }
        if (typeof opts.onMatch === "function") {
          opts.onMatch(result);
        }
        return returnObject ? result : true;
      };
      if (returnState) {
        matcher.state = state;
      }
      return matcher;
    };
    picomatch2.test = (input, regex, options, { glob: glob2, posix: posix2 } = {}) => {
      if (typeof input !== "string") {
        throw new TypeError("Expected input to be a string");
      }
      if (input === "") {
        return { isMatch: false, output: "" };
      }
      const opts = options || {};
      const format = opts.format || (posix2 ? utils.toPosixSlashes : null);
      let match = input === glob2;
      let output = match && format ? format(input) : input;
      if (match === false) {
        output = format ? format(input) : input;
        match = output === glob2;
      }
      if (match === false || opts.capture === true) {
        if (opts.matchBase === true || opts.basename === true) {
          match = picomatch2.matchBase(input, regex, options, posix2);
        } else {
          match = regex.exec(output);
        }
      }
      return { isMatch: Boolean(match), match, output };
    };
    picomatch2.matchBase = (input, glob2, options, posix2 = options && options.windows) => {
      const regex = glob2 instanceof RegExp ? glob2 : picomatch2.makeRe(glob2, options);
      return regex.test(utils.basename(input, { windows: posix2 }));
    };
    picomatch2.isMatch = (str, patterns, options) => picomatch2(patterns, options)(str);
    picomatch2.parse = (pattern, options) => {
      if (Array.isArray(pattern)) return pattern.map((p) => picomatch2.parse(p, options));
      return parse(pattern, { ...options, fastpaths: false });
    };
    picomatch2.scan = (input, options) => scan(input, options);
    picomatch2.compileRe = (state, options, returnOutput = false, returnState = false) => {
      if (returnOutput === true) {
        return state.output;
      }
      const opts = options || {};
      const prepend = opts.contains ? "" : "^";
      const append = opts.contains ? "" : "$";
      let source = `${prepend}(?:${state.output})${append}`;
      if (state && state.negated === true) {
        source = `^(?!${source}).*$`;
      }
      const regex = picomatch2.toRegex(source, options);
      if (returnState === true) {
        regex.state = state;
      }
      return regex;
    };
    picomatch2.makeRe = (input, options = {}, returnOutput = false, returnState = false) => {
      if (!input || typeof input !== "string") {
        throw new TypeError("Expected a non-empty string");
      }
      let parsed = { negated: false, fastpaths: true };
      if (options.fastpaths !== false && (input[0] === "." || input[0] === "*")) {
        parsed.output = parse.fastpaths(input, options);
      }
      if (!parsed.output) {
        parsed = parse(input, options);
      }
      return picomatch2.compileRe(parsed, options, returnOutput, returnState);
    };
    picomatch2.toRegex = (source, options) => {
      try {
        const opts = options || {};
        return new RegExp(source, opts.flags || (opts.nocase ? "i" : ""));
      } catch (err) {
        if (options && options.debug === true) throw err;
        return /$^/;
      }
    };
    picomatch2.constants = constants;
    module.exports = picomatch2;
  }
});

// node_modules/picomatch/index.js
var require_picomatch2 = __commonJS({
  "node_modules/picomatch/index.js"(exports, module) {
    "use strict";
    var pico = require_picomatch();
    var utils = require_utils();
    function picomatch2(glob2, options, returnState = false) {
      if (options && (options.windows === null || options.windows === void 0)) {
        options = { ...options, windows: utils.isWindows() };
      }
      return pico(glob2, options, returnState);
    }
    Object.assign(picomatch2, pico);
    module.exports = picomatch2;
  }
});

// src/job/inputs.ts
var both = ["action", "task"];
var INPUTS = [
  { key: "subject", action: "subject", in: both, required: true },
  { key: "sbom", action: "sbom", in: both },
  { key: "sbomArtifactType", action: "sbom-artifact-type", in: both },
  { key: "signature", action: "signature", in: both },
  { key: "signatureArtifactType", action: "signature-artifact-type", in: both },
  { key: "scanResults", action: "scan-results", in: both },
  { key: "scanResultsArtifactType", action: "scan-results-artifact-type", in: both },
  { key: "attach", action: "attach", in: both },
  { key: "annotations", action: "annotations", in: both },
  { key: "provenance", action: "provenance", in: both },
  { key: "promoteTo", action: "promote-to", in: both },
  { key: "promoteArtifactTypes", action: "promote-artifact-types", in: both },
  { key: "lock", action: "lock", in: both },
  { key: "require", action: "require", in: both },
  { key: "failOnDuplicate", action: "fail-on-duplicate", in: both },
  { key: "plainHttp", action: "plain-http", in: both },
  { key: "insecure", action: "insecure", in: both },
  { key: "crossHostRealm", action: "cross-host-realm", in: both },
  { key: "maxNodes", action: "max-nodes", in: both },
  { key: "username", action: "username", in: both },
  { key: "password", action: "password", in: both, secret: true },
  { key: "registryConfig", action: "registry-config", in: both },
  { key: "azureCredential", action: "azure-credential", in: ["action"] },
  { key: "azureClientId", action: "azure-client-id", in: ["action"] },
  { key: "azureTenantId", action: "azure-tenant-id", in: ["action"] },
  { key: "azureAudience", action: "azure-audience", in: both },
  { key: "azureRegistry", action: "azure-registry", in: both }
];
function taskInputName(spec) {
  return spec.key;
}
function readInputs(frontEnd, get) {
  const result = {};
  for (const spec of INPUTS) {
    result[spec.key] = spec.in.includes(frontEnd) ? get(frontEnd === "action" ? spec.action : taskInputName(spec)).trim() : "";
  }
  return result;
}

// src/job/attach-lines.ts
var PARENT_INPUTS = ["sbom", "signature", "scan-results"];
var GRAMMAR = "write each line as [@parent] <artifact-type> <path>[:<media-type>] [<path>...]";
function tokenize(line, origin) {
  const tokens = [];
  const re = /"([^"]*)"|(\S+)/g;
  let match;
  while ((match = re.exec(line)) !== null) {
    const token = match[1] ?? match[2] ?? "";
    if (match[2]?.includes('"')) {
      throw new OcigraphError("INVALID_INPUT", `${origin}: unbalanced quote in "${line}"`, { hint: GRAMMAR });
    }
    tokens.push(token);
  }
  return tokens;
}
function parseAttachLines(value) {
  const result = [];
  value.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith("#")) return;
    const origin = `attach line ${i + 1}`;
    const tokens = tokenize(line, origin);
    let parent = { kind: "subject" };
    if (tokens[0]?.startsWith("@")) parent = parseParent(tokens.shift(), origin);
    const [artifactType, ...paths] = tokens;
    if (!artifactType || !isValidMediaType(artifactType) || paths.length === 0) {
      throw new OcigraphError(
        "INVALID_INPUT",
        `${origin} ("${line}") needs an artifact type and at least one path`,
        { hint: `${GRAMMAR}, e.g. application/vnd.example.readme ./docs` }
      );
    }
    result.push({ origin, parent, artifactType, files: paths.map(parseFileSpec) });
  });
  return result;
}
function parseParent(token, origin) {
  const name = token.slice(1);
  if (PARENT_INPUTS.includes(name))
    return { kind: "input", input: name };
  if (isDigest(name)) return { kind: "digest", digest: name };
  throw new OcigraphError("INVALID_INPUT", `${origin}: "${token}" is not something to attach to`, {
    hint: "use @sbom, @signature, @scan-results (what those inputs attach in this run) or @sha256:<digest>"
  });
}

// src/job/naming.ts
function namingInput(name, parse) {
  try {
    return parse();
  } catch (err) {
    if (!isOcigraphError(err, "INVALID_INPUT")) throw err;
    throw new OcigraphError("INVALID_INPUT", `the input ${name}: ${err.message}`, {
      ...err.hint ? { hint: err.hint } : {},
      cause: err
    });
  }
}

// src/job/azure.ts
var GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
var TENANT = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[a-z0-9.-]+\.[a-z]{2,})$/i;
function invalid(name, message, hint) {
  return new OcigraphError("INVALID_INPUT", `the input ${name} ${message}`, hint ? { hint } : {});
}
function azureConnection(inputs, name, env, serviceConnection) {
  const azureRegistries = inputs.azureRegistry.split(/[\s,]+/).filter(Boolean).map((h) => parseRegistryHost(h, `the input ${name("azureRegistry")}`));
  if (inputs.azureCredential && !ENTRA_CREDENTIAL_KINDS.includes(inputs.azureCredential)) {
    throw invalid(
      name("azureCredential"),
      `is "${inputs.azureCredential}", which is not a credential kind`,
      `use one of ${ENTRA_CREDENTIAL_KINDS.join(", ")}`
    );
  }
  if (inputs.azureClientId && !GUID.test(inputs.azureClientId)) {
    throw invalid(
      name("azureClientId"),
      "is not a client id (a GUID)",
      "copy the app's Application (client) ID"
    );
  }
  if (inputs.azureTenantId && !TENANT.test(inputs.azureTenantId)) {
    throw invalid(name("azureTenantId"), "is not a tenant id (a GUID or a domain)");
  }
  if (inputs.azureAudience && !/^(https?|api):\/\/\S+$/i.test(inputs.azureAudience)) {
    throw invalid(
      name("azureAudience"),
      `("${inputs.azureAudience}") is not an audience URL`,
      "e.g. https://containerregistry.azure.net, or leave it empty"
    );
  }
  let entra;
  if (serviceConnection) {
    entra = namingInput(
      "azureSubscription",
      () => azurePipelinesSettings(serviceConnection.endpoint, serviceConnection.systemAccessToken, {
        scope: acrScope(inputs.azureAudience || void 0),
        oidcAudience: DEFAULT_OIDC_AUDIENCE
      })
    );
  } else if (inputs.azureCredential || inputs.azureClientId || inputs.azureTenantId || inputs.azureAudience) {
    entra = resolveEntraSettings(
      {
        ...inputs.azureCredential ? { kind: inputs.azureCredential } : {},
        ...inputs.azureClientId ? { clientId: inputs.azureClientId } : {},
        ...inputs.azureTenantId ? { tenantId: inputs.azureTenantId } : {},
        ...inputs.azureAudience ? { acrAudience: inputs.azureAudience } : {}
      },
      env,
      {
        tenantId: name("azureTenantId"),
        clientId: name("azureClientId"),
        clientSecret: "AZURE_CLIENT_SECRET",
        certificatePath: "AZURE_CLIENT_CERTIFICATE_PATH",
        federatedTokenFile: "AZURE_FEDERATED_TOKEN_FILE"
      }
    );
  }
  if (azureRegistries.length && !entra) {
    throw invalid(
      name("azureRegistry"),
      "names registries for Entra ID sign-in, but no Entra ID sign-in is set up",
      "set up Entra ID sign-in too: the azure-* inputs of the action, or azureSubscription in the task"
    );
  }
  return { ...entra ? { entra } : {}, ...azureRegistries.length ? { azureRegistries } : {} };
}

// src/job/detect.ts
import { open } from "node:fs/promises";
var ArtifactType = {
  /** https://spdx.github.io/spdx-spec/v2.3/conformance/ (IANA: application/spdx+json) */
  Spdx: "application/spdx+json",
  /** https://cyclonedx.org/specification/overview/ (IANA: application/vnd.cyclonedx+json) */
  CycloneDx: "application/vnd.cyclonedx+json",
  /** https://docs.oasis-open.org/sarif/sarif/v2.1.0/ (IANA: application/sarif+json) */
  Sarif: "application/sarif+json",
  /** https://github.com/in-toto/attestation/blob/main/spec/v1/statement.md */
  InTotoStatement: "application/vnd.in-toto+json",
  /** https://github.com/secure-systems-lab/dsse/blob/master/envelope.md */
  DsseEnvelope: "application/vnd.dsse.envelope.v1+json"
};
var MAX_PARSE_BYTES = 16 * 1024 * 1024;
var SNIFF_BYTES = 64 * 1024;
function detectFromJson(doc) {
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) return void 0;
  const d = doc;
  if (typeof d["spdxVersion"] === "string" && d["spdxVersion"].startsWith("SPDX-")) return ArtifactType.Spdx;
  if (typeof d["@context"] === "string" && /spdx\.org\/rdf\/3/.test(d["@context"])) return ArtifactType.Spdx;
  if (d["bomFormat"] === "CycloneDX") return ArtifactType.CycloneDx;
  if (typeof d["$schema"] === "string" && /sarif/i.test(d["$schema"]) && Array.isArray(d["runs"])) {
    return ArtifactType.Sarif;
  }
  if (typeof d["version"] === "string" && d["version"].startsWith("2.1") && Array.isArray(d["runs"])) {
    return ArtifactType.Sarif;
  }
  if (typeof d["_type"] === "string" && d["_type"].startsWith("https://in-toto.io/Statement/")) {
    return ArtifactType.InTotoStatement;
  }
  if (typeof d["payloadType"] === "string" && typeof d["payload"] === "string" && Array.isArray(d["signatures"])) {
    return ArtifactType.DsseEnvelope;
  }
  if (typeof d["mediaType"] === "string" && d["mediaType"].startsWith("application/vnd.dev.sigstore.bundle")) {
    return d["mediaType"];
  }
  return void 0;
}
async function detectArtifactType(path, input, typeInput = `${input}-artifact-type`) {
  const { text, whole } = await readStart(path);
  let detected;
  if (whole) {
    try {
      detected = detectFromJson(JSON.parse(text));
    } catch {
      detected = void 0;
    }
  } else {
    detected = detectFromPrefix(text);
  }
  if (detected) return detected;
  throw new OcigraphError(
    "INVALID_INPUT",
    `cannot tell the artifact type of ${path} (given as ${input}) from its content`,
    {
      hint: `set the ${typeInput} input, e.g. application/vnd.example.signature; recognised are SPDX JSON, CycloneDX JSON, SARIF, in-toto statements, DSSE envelopes and Sigstore bundles`
    }
  );
}
function detectFromPrefix(text) {
  const start = text.trimStart();
  if (!start.startsWith("{")) return void 0;
  if (/"spdxVersion"\s*:\s*"SPDX-/.test(start)) return ArtifactType.Spdx;
  if (/"bomFormat"\s*:\s*"CycloneDX"/.test(start)) return ArtifactType.CycloneDx;
  if (/"\$schema"\s*:\s*"[^"]*sarif[^"]*"/i.test(start)) return ArtifactType.Sarif;
  if (/"_type"\s*:\s*"https:\/\/in-toto\.io\/Statement\//.test(start)) return ArtifactType.InTotoStatement;
  return void 0;
}
async function readStart(path) {
  let handle;
  try {
    handle = await open(path, "r");
  } catch {
    throw new OcigraphError("NOT_FOUND", `file not found: ${path}`, {
      hint: "check the path and the working directory"
    });
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) return { text: "", whole: true };
    const size = info.size;
    const whole = size <= MAX_PARSE_BYTES;
    const length = whole ? size : SNIFF_BYTES;
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    return {
      text: buffer.subarray(0, bytesRead).toString("utf8").replace(/^\uFEFF/, ""),
      whole
    };
  } finally {
    await handle.close();
  }
}

// src/job/paths.ts
import { stat as stat2 } from "node:fs/promises";
import { isAbsolute as isAbsolute2, resolve as resolve3 } from "node:path";

// node_modules/tinyglobby/dist/index.mjs
import { readdir, readdirSync, realpath, realpathSync, stat, statSync } from "fs";
import { isAbsolute, posix, resolve as resolve2 } from "path";
import { fileURLToPath } from "url";

// node_modules/fdir/dist/index.mjs
import { createRequire } from "module";
import { basename, dirname, normalize, relative, resolve, sep } from "path";
import * as nativeFs from "fs";
var __require = /* @__PURE__ */ createRequire(import.meta.url);
function cleanPath(path) {
  let normalized = normalize(path);
  if (normalized.length > 1 && normalized[normalized.length - 1] === sep) normalized = normalized.substring(0, normalized.length - 1);
  return normalized;
}
var SLASHES_REGEX = /[\\/]/g;
function convertSlashes(path, separator) {
  return path.replace(SLASHES_REGEX, separator);
}
var WINDOWS_ROOT_DIR_REGEX = /^[a-z]:[\\/]$/i;
function isRootDirectory(path) {
  return path === "/" || WINDOWS_ROOT_DIR_REGEX.test(path);
}
function normalizePath(path, options) {
  const { resolvePaths, normalizePath: normalizePath$1, pathSeparator } = options;
  const pathNeedsCleaning = process.platform === "win32" && path.includes("/") || path.startsWith(".");
  if (resolvePaths) path = resolve(path);
  if (normalizePath$1 || pathNeedsCleaning) path = cleanPath(path);
  if (path === ".") return "";
  const needsSeperator = path[path.length - 1] !== pathSeparator;
  return convertSlashes(needsSeperator ? path + pathSeparator : path, pathSeparator);
}
function joinPathWithBasePath(filename, directoryPath) {
  return directoryPath + filename;
}
function joinPathWithRelativePath(root, options) {
  return function(filename, directoryPath) {
    const sameRoot = directoryPath.startsWith(root);
    if (sameRoot) return directoryPath.slice(root.length) + filename;
    else return convertSlashes(relative(root, directoryPath), options.pathSeparator) + options.pathSeparator + filename;
  };
}
function joinPath(filename) {
  return filename;
}
function joinDirectoryPath(filename, directoryPath, separator) {
  return directoryPath + filename + separator;
}
function build$7(root, options) {
  const { relativePaths, includeBasePath } = options;
  return relativePaths && root ? joinPathWithRelativePath(root, options) : includeBasePath ? joinPathWithBasePath : joinPath;
}
function pushDirectoryWithRelativePath(root) {
  return function(directoryPath, paths) {
    paths.push(directoryPath.substring(root.length) || ".");
  };
}
function pushDirectoryFilterWithRelativePath(root) {
  return function(directoryPath, paths, filters) {
    const relativePath = directoryPath.substring(root.length) || ".";
    if (filters.every((filter) => filter(relativePath, true))) paths.push(relativePath);
  };
}
var pushDirectory = (directoryPath, paths) => {
  paths.push(directoryPath || ".");
};
var pushDirectoryFilter = (directoryPath, paths, filters) => {
  const path = directoryPath || ".";
  if (filters.every((filter) => filter(path, true))) paths.push(path);
};
var empty$2 = () => {
};
function build$6(root, options) {
  const { includeDirs, filters, relativePaths } = options;
  if (!includeDirs) return empty$2;
  if (relativePaths) return filters && filters.length ? pushDirectoryFilterWithRelativePath(root) : pushDirectoryWithRelativePath(root);
  return filters && filters.length ? pushDirectoryFilter : pushDirectory;
}
var pushFileFilterAndCount = (filename, _paths, counts, filters) => {
  if (filters.every((filter) => filter(filename, false))) counts.files++;
};
var pushFileFilter = (filename, paths, _counts, filters) => {
  if (filters.every((filter) => filter(filename, false))) paths.push(filename);
};
var pushFileCount = (_filename, _paths, counts, _filters) => {
  counts.files++;
};
var pushFile = (filename, paths) => {
  paths.push(filename);
};
var empty$1 = () => {
};
function build$5(options) {
  const { excludeFiles, filters, onlyCounts } = options;
  if (excludeFiles) return empty$1;
  if (filters && filters.length) return onlyCounts ? pushFileFilterAndCount : pushFileFilter;
  else if (onlyCounts) return pushFileCount;
  else return pushFile;
}
var getArray = (paths) => {
  return paths;
};
var getArrayGroup = () => {
  return [""].slice(0, 0);
};
function build$4(options) {
  return options.group ? getArrayGroup : getArray;
}
var groupFiles = (groups, directory, files) => {
  groups.push({
    directory,
    files,
    dir: directory
  });
};
var empty = () => {
};
function build$3(options) {
  return options.group ? groupFiles : empty;
}
var resolveSymlinksAsync = function(path, state, callback$1) {
  const { queue, fs, options: { suppressErrors } } = state;
  queue.enqueue();
  fs.realpath(path, (error, resolvedPath) => {
    if (error) return queue.dequeue(suppressErrors ? null : error, state);
    fs.stat(resolvedPath, (error$1, stat3) => {
      if (error$1) return queue.dequeue(suppressErrors ? null : error$1, state);
      if (stat3.isDirectory() && isRecursive(path, resolvedPath, state)) return queue.dequeue(null, state);
      callback$1(stat3, resolvedPath);
      queue.dequeue(null, state);
    });
  });
};
var resolveSymlinks = function(path, state, callback$1) {
  const { queue, fs, options: { suppressErrors } } = state;
  queue.enqueue();
  try {
    const resolvedPath = fs.realpathSync(path);
    const stat3 = fs.statSync(resolvedPath);
    if (stat3.isDirectory() && isRecursive(path, resolvedPath, state)) return;
    callback$1(stat3, resolvedPath);
  } catch (e) {
    if (!suppressErrors) throw e;
  }
};
function build$2(options, isSynchronous) {
  if (!options.resolveSymlinks || options.excludeSymlinks) return null;
  return isSynchronous ? resolveSymlinks : resolveSymlinksAsync;
}
function isRecursive(path, resolved, state) {
  if (state.options.useRealPaths) return isRecursiveUsingRealPaths(resolved, state);
  let parent = dirname(path);
  let depth = 1;
  while (parent !== state.root && depth < 2) {
    const resolvedPath = state.symlinks.get(parent);
    const isSameRoot = !!resolvedPath && (resolvedPath === resolved || resolvedPath.startsWith(resolved) || resolved.startsWith(resolvedPath));
    if (isSameRoot) depth++;
    else parent = dirname(parent);
  }
  state.symlinks.set(path, resolved);
  return depth > 1;
}
function isRecursiveUsingRealPaths(resolved, state) {
  return state.visited.includes(resolved + state.options.pathSeparator);
}
var onlyCountsSync = (state) => {
  return state.counts;
};
var groupsSync = (state) => {
  return state.groups;
};
var defaultSync = (state) => {
  return state.paths;
};
var limitFilesSync = (state) => {
  return state.paths.slice(0, state.options.maxFiles);
};
var onlyCountsAsync = (state, error, callback$1) => {
  report(error, callback$1, state.counts, state.options.suppressErrors);
  return null;
};
var defaultAsync = (state, error, callback$1) => {
  report(error, callback$1, state.paths, state.options.suppressErrors);
  return null;
};
var limitFilesAsync = (state, error, callback$1) => {
  report(error, callback$1, state.paths.slice(0, state.options.maxFiles), state.options.suppressErrors);
  return null;
};
var groupsAsync = (state, error, callback$1) => {
  report(error, callback$1, state.groups, state.options.suppressErrors);
  return null;
};
function report(error, callback$1, output, suppressErrors) {
  if (error && !suppressErrors) callback$1(error, output);
  else callback$1(null, output);
}
function build$1(options, isSynchronous) {
  const { onlyCounts, group, maxFiles } = options;
  if (onlyCounts) return isSynchronous ? onlyCountsSync : onlyCountsAsync;
  else if (group) return isSynchronous ? groupsSync : groupsAsync;
  else if (maxFiles) return isSynchronous ? limitFilesSync : limitFilesAsync;
  else return isSynchronous ? defaultSync : defaultAsync;
}
var readdirOpts = { withFileTypes: true };
var walkAsync = (state, crawlPath, directoryPath, currentDepth, callback$1) => {
  state.queue.enqueue();
  if (currentDepth < 0) return state.queue.dequeue(null, state);
  const { fs } = state;
  state.visited.push(crawlPath);
  state.counts.directories++;
  fs.readdir(crawlPath || ".", readdirOpts, (error, entries = []) => {
    callback$1(entries, directoryPath, currentDepth);
    state.queue.dequeue(state.options.suppressErrors ? null : error, state);
  });
};
var walkSync = (state, crawlPath, directoryPath, currentDepth, callback$1) => {
  const { fs } = state;
  if (currentDepth < 0) return;
  state.visited.push(crawlPath);
  state.counts.directories++;
  let entries = [];
  try {
    entries = fs.readdirSync(crawlPath || ".", readdirOpts);
  } catch (e) {
    if (!state.options.suppressErrors) throw e;
  }
  callback$1(entries, directoryPath, currentDepth);
};
function build(isSynchronous) {
  return isSynchronous ? walkSync : walkAsync;
}
var Queue = class {
  count = 0;
  constructor(onQueueEmpty) {
    this.onQueueEmpty = onQueueEmpty;
  }
  enqueue() {
    this.count++;
    return this.count;
  }
  dequeue(error, output) {
    if (this.onQueueEmpty && (--this.count <= 0 || error)) {
      this.onQueueEmpty(error, output);
      if (error) {
        output.controller.abort();
        this.onQueueEmpty = void 0;
      }
    }
  }
};
var Counter = class {
  _files = 0;
  _directories = 0;
  set files(num) {
    this._files = num;
  }
  get files() {
    return this._files;
  }
  set directories(num) {
    this._directories = num;
  }
  get directories() {
    return this._directories;
  }
  /**
  * @deprecated use `directories` instead
  */
  /* c8 ignore next 3 */
  get dirs() {
    return this._directories;
  }
};
var Aborter = class {
  aborted = false;
  abort() {
    this.aborted = true;
  }
};
var Walker = class {
  root;
  isSynchronous;
  state;
  joinPath;
  pushDirectory;
  pushFile;
  getArray;
  groupFiles;
  resolveSymlink;
  walkDirectory;
  callbackInvoker;
  constructor(root, options, callback$1) {
    this.isSynchronous = !callback$1;
    this.callbackInvoker = build$1(options, this.isSynchronous);
    this.root = normalizePath(root, options);
    this.state = {
      root: isRootDirectory(this.root) ? this.root : this.root.slice(0, -1),
      paths: [""].slice(0, 0),
      groups: [],
      counts: new Counter(),
      options,
      queue: new Queue((error, state) => this.callbackInvoker(state, error, callback$1)),
      symlinks: /* @__PURE__ */ new Map(),
      visited: [""].slice(0, 0),
      controller: new Aborter(),
      fs: options.fs || nativeFs
    };
    this.joinPath = build$7(this.root, options);
    this.pushDirectory = build$6(this.root, options);
    this.pushFile = build$5(options);
    this.getArray = build$4(options);
    this.groupFiles = build$3(options);
    this.resolveSymlink = build$2(options, this.isSynchronous);
    this.walkDirectory = build(this.isSynchronous);
  }
  start() {
    this.pushDirectory(this.root, this.state.paths, this.state.options.filters);
    this.walkDirectory(this.state, this.root, this.root, this.state.options.maxDepth, this.walk);
    return this.isSynchronous ? this.callbackInvoker(this.state, null) : null;
  }
  walk = (entries, directoryPath, depth) => {
    const { paths, options: { filters, resolveSymlinks: resolveSymlinks$1, excludeSymlinks, exclude, maxFiles, signal, useRealPaths, pathSeparator }, controller } = this.state;
    if (controller.aborted || signal && signal.aborted || maxFiles && paths.length > maxFiles) return;
    const files = this.getArray(this.state.paths);
    for (let i = 0; i < entries.length; ++i) {
      const entry = entries[i];
      if (entry.isFile() || entry.isSymbolicLink() && !resolveSymlinks$1 && !excludeSymlinks) {
        const filename = this.joinPath(entry.name, directoryPath);
        this.pushFile(filename, files, this.state.counts, filters);
      } else if (entry.isDirectory()) {
        let path = joinDirectoryPath(entry.name, directoryPath, this.state.options.pathSeparator);
        if (exclude && exclude(entry.name, path)) continue;
        this.pushDirectory(path, paths, filters);
        this.walkDirectory(this.state, path, path, depth - 1, this.walk);
      } else if (this.resolveSymlink && entry.isSymbolicLink()) {
        let path = joinPathWithBasePath(entry.name, directoryPath);
        this.resolveSymlink(path, this.state, (stat3, resolvedPath) => {
          if (stat3.isDirectory()) {
            resolvedPath = normalizePath(resolvedPath, this.state.options);
            if (exclude && exclude(entry.name, useRealPaths ? resolvedPath : path + pathSeparator)) return;
            this.walkDirectory(this.state, resolvedPath, useRealPaths ? resolvedPath : path + pathSeparator, depth - 1, this.walk);
          } else {
            resolvedPath = useRealPaths ? resolvedPath : path;
            const filename = basename(resolvedPath);
            const directoryPath$1 = normalizePath(dirname(resolvedPath), this.state.options);
            resolvedPath = this.joinPath(filename, directoryPath$1);
            this.pushFile(resolvedPath, files, this.state.counts, filters);
          }
        });
      }
    }
    this.groupFiles(this.state.groups, directoryPath, files);
  };
};
function promise(root, options) {
  return new Promise((resolve$1, reject) => {
    callback(root, options, (err, output) => {
      if (err) return reject(err);
      resolve$1(output);
    });
  });
}
function callback(root, options, callback$1) {
  let walker = new Walker(root, options, callback$1);
  walker.start();
}
function sync(root, options) {
  const walker = new Walker(root, options);
  return walker.start();
}
var APIBuilder = class {
  constructor(root, options) {
    this.root = root;
    this.options = options;
  }
  withPromise() {
    return promise(this.root, this.options);
  }
  withCallback(cb) {
    callback(this.root, this.options, cb);
  }
  sync() {
    return sync(this.root, this.options);
  }
};
var pm = null;
try {
  __require.resolve("picomatch");
  pm = __require("picomatch");
} catch {
}
var Builder = class {
  globCache = {};
  options = {
    maxDepth: Infinity,
    suppressErrors: true,
    pathSeparator: sep,
    filters: []
  };
  globFunction;
  constructor(options) {
    this.options = {
      ...this.options,
      ...options
    };
    this.globFunction = this.options.globFunction;
  }
  group() {
    this.options.group = true;
    return this;
  }
  withPathSeparator(separator) {
    this.options.pathSeparator = separator;
    return this;
  }
  withBasePath() {
    this.options.includeBasePath = true;
    return this;
  }
  withRelativePaths() {
    this.options.relativePaths = true;
    return this;
  }
  withDirs() {
    this.options.includeDirs = true;
    return this;
  }
  withMaxDepth(depth) {
    this.options.maxDepth = depth;
    return this;
  }
  withMaxFiles(limit) {
    this.options.maxFiles = limit;
    return this;
  }
  withFullPaths() {
    this.options.resolvePaths = true;
    this.options.includeBasePath = true;
    return this;
  }
  withErrors() {
    this.options.suppressErrors = false;
    return this;
  }
  withSymlinks({ resolvePaths = true } = {}) {
    this.options.resolveSymlinks = true;
    this.options.useRealPaths = resolvePaths;
    return this.withFullPaths();
  }
  withAbortSignal(signal) {
    this.options.signal = signal;
    return this;
  }
  normalize() {
    this.options.normalizePath = true;
    return this;
  }
  filter(predicate) {
    this.options.filters.push(predicate);
    return this;
  }
  onlyDirs() {
    this.options.excludeFiles = true;
    this.options.includeDirs = true;
    return this;
  }
  exclude(predicate) {
    this.options.exclude = predicate;
    return this;
  }
  onlyCounts() {
    this.options.onlyCounts = true;
    return this;
  }
  crawl(root) {
    return new APIBuilder(root || ".", this.options);
  }
  withGlobFunction(fn) {
    this.globFunction = fn;
    return this;
  }
  /**
  * @deprecated Pass options using the constructor instead:
  * ```ts
  * new fdir(options).crawl("/path/to/root");
  * ```
  * This method will be removed in v7.0
  */
  /* c8 ignore next 4 */
  crawlWithOptions(root, options) {
    this.options = {
      ...this.options,
      ...options
    };
    return new APIBuilder(root || ".", this.options);
  }
  glob(...patterns) {
    if (this.globFunction) return this.globWithOptions(patterns);
    return this.globWithOptions(patterns, ...[{ dot: true }]);
  }
  globWithOptions(patterns, ...options) {
    const globFn = this.globFunction || pm;
    if (!globFn) throw new Error("Please specify a glob function to use glob matching.");
    var isMatch = this.globCache[patterns.join("\0")];
    if (!isMatch) {
      isMatch = globFn(patterns, ...options);
      this.globCache[patterns.join("\0")] = isMatch;
    }
    this.options.filters.push((path) => isMatch(path));
    return this;
  }
};

// node_modules/tinyglobby/dist/index.mjs
var import_picomatch = __toESM(require_picomatch2(), 1);
var isReadonlyArray = Array.isArray;
var BACKSLASHES = /\\/g;
var DRIVE_RELATIVE_PATH = /^[A-Za-z]:$/;
var isWin = process.platform === "win32";
var ONLY_PARENT_DIRECTORIES = /^(\/?\.\.)+$/;
function getPartialMatcher(patterns, options = {}) {
  const patternsCount = patterns.length;
  const patternsParts = Array(patternsCount);
  const matchers = Array(patternsCount);
  let i, j;
  for (i = 0; i < patternsCount; i++) {
    const parts = splitPattern(patterns[i]);
    patternsParts[i] = parts;
    const partsCount = parts.length;
    const partMatchers = Array(partsCount);
    for (j = 0; j < partsCount; j++) partMatchers[j] = (0, import_picomatch.default)(parts[j], options);
    matchers[i] = partMatchers;
  }
  return (input) => {
    const inputParts = input.split("/");
    if (inputParts[0] === ".." && ONLY_PARENT_DIRECTORIES.test(input)) return true;
    for (i = 0; i < patternsCount; i++) {
      const patternParts = patternsParts[i];
      const matcher = matchers[i];
      const inputPatternCount = inputParts.length;
      const minParts = Math.min(inputPatternCount, patternParts.length);
      j = 0;
      while (j < minParts) {
        const part = patternParts[j];
        if (part.includes("/")) return true;
        if (!matcher[j](inputParts[j])) break;
        if (!options.noglobstar && part === "**") return true;
        j++;
      }
      if (j === inputPatternCount) return true;
    }
    return false;
  };
}
var WIN32_ROOT_DIR = /^[A-Z]:\/$/i;
var isRoot = isWin ? (p) => WIN32_ROOT_DIR.test(p) : (p) => p === "/";
function buildFormat(cwd, root, absolute) {
  if (cwd === root || root.startsWith(`${cwd}/`)) {
    if (absolute) {
      const start = cwd.length + +!isRoot(cwd);
      return (p, isDir) => p.slice(start, isDir ? -1 : void 0) || ".";
    }
    const prefix = root.slice(cwd.length + 1);
    if (prefix) return (p, isDir) => {
      if (p === ".") return prefix;
      const result = `${prefix}/${p}`;
      return isDir ? result.slice(0, -1) : result;
    };
    return (p, isDir) => isDir && p !== "." ? p.slice(0, -1) : p;
  }
  if (absolute) return (p) => posix.relative(cwd, p) || ".";
  return (p) => posix.relative(cwd, `${root}/${p}`) || ".";
}
function buildRelative(cwd, root) {
  if (root.startsWith(`${cwd}/`)) {
    const prefix = root.slice(cwd.length + 1);
    return (p) => `${prefix}/${p}`;
  }
  return (p) => {
    const result = posix.relative(cwd, `${root}/${p}`);
    return p[p.length - 1] === "/" && result !== "" ? `${result}/` : result || ".";
  };
}
function ensureNonDriveRelativePath(path) {
  return path.replace(DRIVE_RELATIVE_PATH, (match) => `${match}/`);
}
var splitPatternOptions = { parts: true };
function splitPattern(path) {
  var _result$parts;
  const result = import_picomatch.default.scan(path, splitPatternOptions);
  return ((_result$parts = result.parts) === null || _result$parts === void 0 ? void 0 : _result$parts.length) ? result.parts : [path];
}
var POSIX_UNESCAPED_GLOB_SYMBOLS = /(?<!\\)([()[\]{}*?|]|^!|[!+@](?=\()|\\(?![()[\]{}!*+?@|]))/g;
var WIN32_UNESCAPED_GLOB_SYMBOLS = /(?<!\\)([()[\]{}]|^!|[!+@](?=\())/g;
var escapePosixPath = (path) => path.replace(POSIX_UNESCAPED_GLOB_SYMBOLS, "\\$&");
var escapeWin32Path = (path) => path.replace(WIN32_UNESCAPED_GLOB_SYMBOLS, "\\$&");
var escapePath = isWin ? escapeWin32Path : escapePosixPath;
function isDynamicPattern(pattern, options) {
  if ((options === null || options === void 0 ? void 0 : options.caseSensitiveMatch) === false) return true;
  const scan = import_picomatch.default.scan(pattern);
  return scan.isGlob || scan.negated;
}
function log(...tasks) {
  console.log(`[tinyglobby ${(/* @__PURE__ */ new Date()).toLocaleTimeString("es")}]`, ...tasks);
}
function ensureStringArray(value) {
  return typeof value === "string" ? [value] : value !== null && value !== void 0 ? value : [];
}
var PARENT_DIRECTORY = /^(\/?\.\.)+/;
var ESCAPING_BACKSLASHES = /\\(?=[()[\]{}!*+?@|])/g;
function normalizePattern(pattern, opts, props, isIgnore) {
  var _PARENT_DIRECTORY$exe;
  const cwd = opts.cwd;
  let result = pattern;
  if (pattern[pattern.length - 1] === "/") result = pattern.slice(0, -1);
  if (result[result.length - 1] !== "*" && opts.expandDirectories) result += "/**";
  const escapedCwd = escapePath(cwd);
  result = isAbsolute(result.replace(ESCAPING_BACKSLASHES, "")) ? posix.relative(escapedCwd, result) : posix.normalize(result);
  const parentDir = (_PARENT_DIRECTORY$exe = PARENT_DIRECTORY.exec(result)) === null || _PARENT_DIRECTORY$exe === void 0 ? void 0 : _PARENT_DIRECTORY$exe[0];
  const parts = splitPattern(result);
  if (parentDir) {
    const n = (parentDir.length + 1) / 3;
    let i = 0;
    const cwdParts = escapedCwd.split("/");
    while (i < n && parts[i + n] === cwdParts[cwdParts.length + i - n]) {
      result = result.slice(0, (n - i - 1) * 3) + result.slice((n - i) * 3 + parts[i + n].length + 1) || ".";
      i++;
    }
    const potentialRoot = posix.join(cwd, parentDir.slice(i * 3));
    if (potentialRoot[0] !== "." && props.root.length > potentialRoot.length) {
      props.root = ensureNonDriveRelativePath(potentialRoot);
      props.depthOffset = -n + i;
    }
  }
  if (!isIgnore && props.depthOffset >= 0) {
    var _props$commonPath;
    (_props$commonPath = props.commonPath) !== null && _props$commonPath !== void 0 || (props.commonPath = parts);
    const newCommonPath = [];
    const length = Math.min(props.commonPath.length, parts.length);
    for (let i = 0; i < length; i++) {
      const part = parts[i];
      if (part === "**" && !parts[i + 1]) {
        newCommonPath.pop();
        break;
      }
      if (i === parts.length - 1 || part !== props.commonPath[i] || isDynamicPattern(part)) break;
      newCommonPath.push(part);
    }
    props.depthOffset = newCommonPath.length;
    props.commonPath = newCommonPath;
    props.root = ensureNonDriveRelativePath(newCommonPath.length > 0 ? posix.join(cwd, ...newCommonPath) : cwd);
  }
  return result;
}
function processPatterns(options, patterns, props) {
  const matchPatterns = [];
  const ignorePatterns = [];
  for (const pattern of options.ignore) {
    if (!pattern) continue;
    if (pattern[0] !== "!" || pattern[1] === "(") ignorePatterns.push(normalizePattern(pattern, options, props, true));
  }
  for (const pattern of patterns) {
    if (!pattern) continue;
    if (pattern[0] !== "!" || pattern[1] === "(") matchPatterns.push(normalizePattern(pattern, options, props, false));
    else if (pattern[1] !== "!" || pattern[2] === "(") ignorePatterns.push(normalizePattern(pattern.slice(1), options, props, true));
  }
  return {
    match: matchPatterns,
    ignore: ignorePatterns
  };
}
function buildCrawler(options, patterns) {
  const cwd = options.cwd;
  const props = {
    root: cwd,
    depthOffset: 0
  };
  const processed = processPatterns(options, patterns, props);
  if (options.debug) log("internal processing patterns:", processed);
  const { absolute, caseSensitiveMatch, debug, dot, followSymbolicLinks, onlyDirectories } = options;
  const root = props.root.replace(BACKSLASHES, "");
  const matchOptions = {
    dot,
    nobrace: options.braceExpansion === false,
    nocase: !caseSensitiveMatch,
    noextglob: options.extglob === false,
    noglobstar: options.globstar === false,
    posix: true
  };
  const matcher = (0, import_picomatch.default)(processed.match, matchOptions);
  const ignore = (0, import_picomatch.default)(processed.ignore, matchOptions);
  const partialMatcher = getPartialMatcher(processed.match, matchOptions);
  const format = buildFormat(cwd, root, absolute);
  const excludeFormatter = absolute ? format : buildFormat(cwd, root, true);
  const excludePredicate = (_, p) => {
    const relativePath = excludeFormatter(p, true);
    return relativePath !== "." && !partialMatcher(relativePath) || ignore(relativePath);
  };
  let maxDepth;
  if (options.deep !== void 0) maxDepth = Math.round(options.deep - props.depthOffset);
  const crawler = new Builder({
    filters: [debug ? (p, isDirectory) => {
      const path = format(p, isDirectory);
      const matches = matcher(path) && !ignore(path);
      if (matches) log(`matched ${path}`);
      return matches;
    } : (p, isDirectory) => {
      const path = format(p, isDirectory);
      return matcher(path) && !ignore(path);
    }],
    exclude: debug ? (_, p) => {
      const skipped = excludePredicate(_, p);
      log(`${skipped ? "skipped" : "crawling"} ${p}`);
      return skipped;
    } : excludePredicate,
    fs: options.fs,
    pathSeparator: "/",
    relativePaths: !absolute,
    resolvePaths: absolute,
    includeBasePath: absolute,
    resolveSymlinks: followSymbolicLinks,
    excludeSymlinks: !followSymbolicLinks,
    excludeFiles: onlyDirectories,
    includeDirs: onlyDirectories || !options.onlyFiles,
    maxDepth,
    signal: options.signal
  }).crawl(root);
  if (options.debug) log("internal properties:", {
    ...props,
    root
  });
  return [crawler, cwd !== root && !absolute && buildRelative(cwd, root)];
}
function formatPaths(paths, mapper) {
  if (mapper) for (let i = paths.length - 1; i >= 0; i--) paths[i] = mapper(paths[i]);
  return paths;
}
var defaultOptions = {
  caseSensitiveMatch: true,
  debug: !!process.env.TINYGLOBBY_DEBUG,
  expandDirectories: true,
  followSymbolicLinks: true,
  onlyFiles: true
};
function getOptions(options) {
  const opts = Object.assign({}, options);
  for (const key in defaultOptions) if (opts[key] === void 0) Object.assign(opts, { [key]: defaultOptions[key] });
  opts.cwd = (opts.cwd instanceof URL ? fileURLToPath(opts.cwd) : resolve2(opts.cwd || process.cwd())).replace(BACKSLASHES, "/");
  opts.ignore = ensureStringArray(opts.ignore);
  opts.fs && (opts.fs = {
    readdir: opts.fs.readdir || readdir,
    readdirSync: opts.fs.readdirSync || readdirSync,
    realpath: opts.fs.realpath || realpath,
    realpathSync: opts.fs.realpathSync || realpathSync,
    stat: opts.fs.stat || stat,
    statSync: opts.fs.statSync || statSync
  });
  if (opts.debug) log("globbing with options:", opts);
  return opts;
}
function getCrawler(globInput, inputOptions = {}) {
  var _ref;
  if (globInput && (inputOptions === null || inputOptions === void 0 ? void 0 : inputOptions.patterns)) throw new Error("Cannot pass patterns as both an argument and an option");
  const isModern = isReadonlyArray(globInput) || typeof globInput === "string";
  const patterns = ensureStringArray((_ref = isModern ? globInput : globInput.patterns) !== null && _ref !== void 0 ? _ref : "**/*");
  const options = getOptions(isModern ? inputOptions : globInput);
  return patterns.length > 0 ? buildCrawler(options, patterns) : [];
}
async function glob(globInput, options) {
  const [crawler, relative2] = getCrawler(globInput, options);
  return crawler ? formatPaths(await crawler.withPromise(), relative2) : [];
}

// src/job/paths.ts
function inputLines(value) {
  return value.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== "" && !l.startsWith("#"));
}
async function expandPath(pattern, origin, cwd = process.cwd()) {
  if (isDynamicPattern(pattern)) {
    const absolute = isAbsolute2(pattern);
    const matches = await glob(pattern, {
      cwd,
      absolute,
      onlyFiles: true,
      dot: false,
      expandDirectories: false
    });
    if (matches.length === 0) {
      throw new OcigraphError("NOT_FOUND", `${origin}: "${pattern}" matches no file`, {
        hint: `patterns are relative to ${cwd}; check the path and that the file was produced by an earlier step`
      });
    }
    return matches.map((m) => pattern.startsWith("./") && !m.startsWith(".") ? `./${m}` : m).sort();
  }
  try {
    await stat2(resolve3(cwd, pattern));
  } catch {
    throw new OcigraphError("NOT_FOUND", `${origin}: file not found: ${pattern}`, {
      hint: `paths are relative to ${cwd}; check the path and that the file was produced by an earlier step`
    });
  }
  return [pattern];
}

// src/job/provenance.ts
var RUN_URL_ANNOTATION = "dev.ocigraph.run.url";
function provenanceAnnotations(env) {
  if (env["GITHUB_ACTIONS"] === "true" && env["GITHUB_REPOSITORY"]) {
    const server = (env["GITHUB_SERVER_URL"] || "https://github.com").replace(/\/+$/, "");
    const repo = `${server}/${env["GITHUB_REPOSITORY"]}`;
    return {
      [Annotation.Source]: repo,
      ...env["GITHUB_SHA"] ? { [Annotation.Revision]: env["GITHUB_SHA"] } : {},
      ...env["GITHUB_RUN_ID"] ? { [RUN_URL_ANNOTATION]: `${repo}/actions/runs/${env["GITHUB_RUN_ID"]}` } : {}
    };
  }
  if ((env["TF_BUILD"] ?? "").toLowerCase() === "true") {
    const collection = env["SYSTEM_COLLECTIONURI"];
    const project = env["SYSTEM_TEAMPROJECT"];
    const build2 = env["BUILD_BUILDID"];
    return {
      ...env["BUILD_REPOSITORY_URI"] ? { [Annotation.Source]: env["BUILD_REPOSITORY_URI"] } : {},
      ...env["BUILD_SOURCEVERSION"] ? { [Annotation.Revision]: env["BUILD_SOURCEVERSION"] } : {},
      ...collection && project && build2 ? {
        [RUN_URL_ANNOTATION]: `${collection.replace(/\/?$/, "/")}${encodeURIComponent(project)}/_build/results?buildId=${build2}`
      } : {}
    };
  }
  return {};
}

// src/job/build.ts
var FILE_INPUTS = [
  { input: "sbom", files: "sbom", type: "sbomArtifactType" },
  { input: "signature", files: "signature", type: "signatureArtifactType" },
  { input: "scan-results", files: "scanResults", type: "scanResultsArtifactType" }
];
function parseBoolean(value, name, fallback) {
  const v = value.trim().toLowerCase();
  if (v === "") return fallback;
  if (v === "true") return true;
  if (v === "false") return false;
  throw new OcigraphError(
    "INVALID_INPUT",
    `the input ${name} is "${value}", which is neither true nor false`
  );
}
async function buildJob(inputs, ctx) {
  const cwd = ctx.cwd ?? process.cwd();
  if (!inputs.subject) {
    throw new OcigraphError("INVALID_INPUT", `the input ${ctx.name("subject")} is required`, {
      hint: "give the image reference, e.g. myregistry.azurecr.io/net-monitor:v1 or ...@sha256:<digest>"
    });
  }
  namingInput(ctx.name("subject"), () => parseReference(inputs.subject, { requireTagOrDigest: true }));
  if (inputs.promoteTo) namingInput(ctx.name("promoteTo"), () => parseReference(inputs.promoteTo));
  const artifacts = [];
  for (const { input, files, type } of FILE_INPUTS) {
    const given = inputs[type];
    if (given && !isValidMediaType(given)) {
      throw new OcigraphError(
        "INVALID_INPUT",
        `the input ${ctx.name(type)} ("${given}") is not a media type`,
        {
          hint: "write it as type/subtype, e.g. application/spdx+json"
        }
      );
    }
    for (const line of inputLines(inputs[files])) {
      const spec = parseFileSpec(line);
      for (const path of await expandPath(spec.path, ctx.name(files), cwd)) {
        artifacts.push({
          input,
          origin: `${ctx.name(files)} (${path})`,
          artifactType: given || await detectArtifactType(path, ctx.name(files), ctx.name(type)),
          files: [{ path, ...spec.mediaType ? { mediaType: spec.mediaType } : {} }],
          parent: { kind: "subject" }
        });
      }
    }
  }
  for (const line of parseAttachLines(inputs.attach)) {
    const files = [];
    for (const file of line.files) {
      for (const path of await expandPath(file.path, line.origin, cwd)) {
        files.push({ path, ...file.mediaType ? { mediaType: file.mediaType } : {} });
      }
    }
    if (line.parent.kind === "input") {
      const input = line.parent.input;
      const count = artifacts.filter((a) => a.input === input).length;
      if (count !== 1) {
        throw new OcigraphError(
          "INVALID_INPUT",
          `${line.origin} attaches to @${input}, but the ${input} input gives ${count} files in this run`,
          { hint: `@${input} needs exactly one; attach to a digest instead (@sha256:...)` }
        );
      }
    }
    artifacts.push({
      input: "attach",
      origin: line.origin,
      artifactType: line.artifactType,
      files,
      parent: line.parent
    });
  }
  const provenance = parseBoolean(inputs.provenance, ctx.name("provenance"), true);
  const annotations = {
    ...provenance ? provenanceAnnotations(ctx.env) : {},
    ...parseAnnotations(inputLines(inputs.annotations), {
      origin: `the input ${ctx.name("annotations")}: annotation`,
      example: "one key=value per line, e.g. org.opencontainers.image.description=Net monitor",
      trim: true
    })
  };
  const promoteArtifactTypes = splitList(inputs.promoteArtifactTypes);
  for (const type of promoteArtifactTypes) {
    if (!isValidMediaType(type)) {
      throw new OcigraphError(
        "INVALID_INPUT",
        `the input ${ctx.name("promoteArtifactTypes")} has "${type}", which is not an artifact type`
      );
    }
  }
  if (promoteArtifactTypes.length && !inputs.promoteTo) {
    throw new OcigraphError(
      "INVALID_INPUT",
      `the input ${ctx.name("promoteArtifactTypes")} is set but ${ctx.name("promoteTo")} is not`
    );
  }
  const require2 = namingInput(ctx.name("require"), () => parseRequirements([inputs.require]));
  const lock = parseBoolean(inputs.lock, ctx.name("lock"), false);
  if (artifacts.length === 0 && require2.length === 0 && !inputs.promoteTo && !lock) {
    throw new OcigraphError(
      "INVALID_INPUT",
      "nothing to do: no file to attach, no promotion and no requirement",
      {
        hint: `give ${ctx.name("sbom")}, ${ctx.name("signature")}, ${ctx.name("scanResults")}, ${ctx.name("attach")}, ${ctx.name("promoteTo")}, ${ctx.name("lock")} or ${ctx.name("require")}`
      }
    );
  }
  const connection = {
    ...azureConnection(inputs, ctx.name, ctx.env, ctx.serviceConnection),
    ...parseBoolean(inputs.plainHttp, ctx.name("plainHttp"), false) ? { plainHttp: true } : {},
    ...parseBoolean(inputs.insecure, ctx.name("insecure"), false) ? { insecure: true } : {},
    ...inputs.username ? { username: inputs.username } : {},
    ...inputs.password ? { password: inputs.password } : {},
    ...inputs.registryConfig ? { registryConfig: inputs.registryConfig } : {},
    ...parseBoolean(inputs.crossHostRealm, ctx.name("crossHostRealm"), true) ? {} : { crossHostRealm: false },
    ...ctx.connection
  };
  if (Boolean(connection.username) !== Boolean(connection.password)) {
    throw new OcigraphError(
      "INVALID_INPUT",
      `give both ${ctx.name("username")} and ${ctx.name("password")}, or neither`
    );
  }
  return {
    subject: inputs.subject,
    artifacts,
    annotations,
    ...inputs.promoteTo ? { promoteTo: inputs.promoteTo } : {},
    promoteArtifactTypes,
    lock,
    require: require2,
    failOnDuplicate: parseBoolean(inputs.failOnDuplicate, ctx.name("failOnDuplicate"), false),
    maxNodes: parsePositive(inputs.maxNodes, ctx.name("maxNodes"), DEFAULT_MAX_NODES),
    connection
  };
}
function parsePositive(value, name, fallback) {
  const v = value.trim();
  if (v === "") return fallback;
  const n = Number(v);
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(n) || n <= 0) {
    throw new OcigraphError(
      "INVALID_INPUT",
      `the input ${name} is "${value}", which is not a whole number above 0`
    );
  }
  return n;
}
function splitList(value) {
  return value.split(/[\n,]/).map((s) => s.replace(/#.*$/, "").trim()).filter(Boolean);
}

// src/job/outputs.ts
function digestsOf(result, input) {
  return result.artifacts.filter((a) => a.input === input).map((a) => a.digest).join(",");
}
var OUTPUTS = [
  {
    action: "subject-digest",
    task: "SubjectDigest",
    description: "Digest of the subject image",
    value: (r) => r.subject.digest
  },
  {
    action: "sbom-digest",
    task: "SbomDigest",
    description: "Digest of the SBOM artifact (comma-separated when a glob matched several files)",
    value: (r) => digestsOf(r, "sbom")
  },
  {
    action: "signature-digest",
    task: "SignatureDigest",
    description: "Digest of the signature artifact (comma-separated when a glob matched several files)",
    value: (r) => digestsOf(r, "signature")
  },
  {
    action: "scan-results-digest",
    task: "ScanResultsDigest",
    description: "Digest of the scan results artifact (comma-separated when a glob matched several files)",
    value: (r) => digestsOf(r, "scan-results")
  },
  {
    action: "attach-digests",
    task: "AttachDigests",
    description: "Digests of the artifacts of the attach lines, comma-separated, in line order",
    value: (r) => digestsOf(r, "attach")
  },
  {
    action: "promoted-digest",
    task: "PromotedDigest",
    description: "Digest of the subject in the promotion repository (empty when not promoted)",
    value: (r) => r.promotion && "digest" in r.promotion ? r.promotion.digest : ""
  },
  {
    action: "gate",
    task: "Gate",
    description: "passed or failed when require was given, else empty",
    value: (r) => r.gate ? r.gate.passed ? "passed" : "failed" : ""
  },
  {
    action: "graph",
    task: "Graph",
    description: "The subject's referrers graph after the step, as ocigraph/oras discover --format json",
    value: (r) => safeJson(r.graph, 0)
  },
  {
    action: "locked-digests",
    task: "LockedDigests",
    description: "Digests the lock input locked, comma-separated (empty when lock is false)",
    value: (r) => r.lock && "manifests" in r.lock ? r.lock.manifests.map((m) => m.digest).join(",") : ""
  }
];

// src/job/lock.ts
async function lockGraph(target, digest, hooks) {
  const outcomes = await applyLock(target, await planLock(target, digest, true), "lock");
  for (const o of outcomes) {
    hooks.info(
      `${o.changed ? "Locked " : "Already locked"} ${o.role} ${o.descriptor.digest}` + (o.descriptor.artifactType ? ` (${shownType(o.descriptor.artifactType)})` : "")
    );
  }
  hooks.info(`Locked ${outcomes.length} manifests of ${target.name}@${digest}`);
  return {
    repository: target.name,
    digest,
    manifests: outcomes.map((o) => ({
      digest: o.descriptor.digest,
      role: o.role,
      ...o.descriptor.artifactType ? { artifactType: o.descriptor.artifactType } : {},
      changed: o.changed
    }))
  };
}

// src/job/run.ts
async function runJob(job, hooks) {
  const warn = (line) => (hooks.warn ?? hooks.info)(neutral(line, 1024));
  const factory = new TargetFactory({ warn, ...job.connection });
  const settling = [];
  try {
    const source = await factory.open(job.subject, { create: false, needSelector: true });
    const target = source.target;
    const subject = await hooks.group(`Resolve ${job.subject}`, async () => {
      const d = await target.resolve(source.selector);
      hooks.info(`${neutral(job.subject)} is ${d.digest} (${neutral(d.mediaType)})`);
      return d;
    });
    const destination = job.promoteTo ? await factory.open(job.promoteTo, { create: true, needSelector: false }) : void 0;
    const promotionTagList = destination ? promotionTags({
      sourceDigest: subject.digest,
      sourceSelector: source.selector,
      destinationSelector: destination.selector,
      destination: `promote-to ${job.promoteTo}`
    }) : [];
    if (job.lock) {
      await lockApi(destination ? destination.target : target);
    }
    const artifacts = [];
    if (job.artifacts.length) {
      await hooks.group(`Attach ${job.artifacts.length} artifact(s) to ${job.subject}`, async () => {
        const waves = [
          job.artifacts.filter((a) => a.parent.kind !== "input"),
          job.artifacts.filter((a) => a.parent.kind === "input")
        ];
        const done = /* @__PURE__ */ new Map();
        for (const wave of waves) {
          const attached = [...done.values()];
          const results = await Promise.all(
            wave.map((spec) => attachOne(target, subject, spec, attached, job, hooks, settling))
          );
          wave.forEach((spec, i) => done.set(spec, results[i]));
        }
        for (const spec of job.artifacts) artifacts.push(done.get(spec));
      });
    }
    let gate;
    if (job.require.length) {
      gate = await hooks.group("Release gate", async () => {
        const verdict = await verify(target, subject, job.require, {
          display: job.subject,
          maxNodes: job.maxNodes
        });
        for (const o of verdict.outcomes) {
          hooks.info(
            `${o.met ? "\u2713" : "\u2717"} ${neutral(o.requirement)}${o.met ? ` (${o.chain.join(" > ")})` : `: ${neutral(o.reason ?? "", 1024)}`}`
          );
        }
        return { passed: verdict.passed, outcomes: verdict.outcomes, message: verdict.message };
      });
    }
    let promotion;
    const modes = [];
    let promotedTarget;
    if (job.promoteTo && destination) {
      const promoteTo = job.promoteTo;
      if (gate && !gate.passed) {
        promotion = { skipped: "the release gate failed" };
        hooks.info(`Not promoting to ${neutral(promoteTo)}: the release gate failed`);
      } else {
        promotion = await hooks.group(`Promote to ${promoteTo}`, async () => {
          promotedTarget = destination.target;
          return promote(target, subject, destination.target, promotionTagList, promoteTo, job, hooks);
        });
      }
    }
    let lock;
    if (job.lock) {
      const promoted = promotion && "digest" in promotion && promotedTarget ? promotion : void 0;
      if (gate && !gate.passed || promotion && !promoted) {
        lock = { skipped: gate && !gate.passed ? "the release gate failed" : "nothing was promoted" };
        hooks.info(`Not locking: ${lock.skipped}`);
      } else {
        await Promise.all(settling);
        const lockTarget = promoted ? promotedTarget : target;
        const digest = promoted ? promoted.digest : subject.digest;
        lock = await hooks.group(
          `Lock ${lockTarget.name}@${digest} and its graph`,
          () => lockGraph(lockTarget, digest, hooks)
        );
      }
    }
    const referrers = await hooks.group(
      "Graph",
      async () => discover(target, subject, { maxNodes: job.maxNodes })
    );
    await Promise.all(settling);
    modes.push({ repository: target.name, role: "subject", mode: await target.referrersMode() });
    if (promotedTarget) {
      modes.push({
        repository: promotedTarget.name,
        role: "promotion",
        mode: await promotedTarget.referrersMode()
      });
    }
    return {
      subject: {
        reference: job.subject,
        repository: target.name,
        digest: subject.digest,
        mediaType: subject.mediaType,
        size: subject.size
      },
      artifacts,
      ...promotion ? { promotion } : {},
      ...gate ? { gate } : {},
      ...lock ? { lock } : {},
      referrers,
      graph: discoverJson(target.name, subject, referrers),
      modes
    };
  } finally {
    await Promise.allSettled(settling);
    await factory.close();
  }
}
async function attachOne(target, subject, spec, done, job, hooks, settling) {
  let parent = subject.digest;
  if (spec.parent.kind === "input") {
    const input = spec.parent.input;
    const found = done.find((a) => a.input === input);
    if (!found) throw new OcigraphError("INTERNAL", `${spec.origin}: nothing was attached for @${input}`);
    parent = found.digest;
  } else if (spec.parent.kind === "digest") {
    parent = spec.parent.digest;
  }
  const files = spec.files.map((f) => f.path);
  let result;
  try {
    result = await attach(target, parent, {
      artifactType: spec.artifactType,
      files: spec.files,
      annotations: job.annotations,
      deferSettle: true
    });
    if (result.settled) {
      const settled = result.settled.catch((err) => Promise.reject(withOrigin(err, spec.origin)));
      settled.catch(() => void 0);
      settling.push(settled);
    }
  } catch (err) {
    throw withOrigin(err, spec.origin);
  }
  if (result.reused && job.failOnDuplicate) {
    throw new OcigraphError(
      "ALREADY_EXISTS",
      `${spec.origin}: an identical ${spec.artifactType} artifact already refers to ${parent}: ${result.descriptor.digest}`,
      { hint: "set fail-on-duplicate to false to reuse it" }
    );
  }
  hooks.info(
    `${result.reused ? "Reused" : "Attached"} ${shownType(spec.artifactType)} ${result.descriptor.digest} (${neutral(files.join(", "), 1024)})` + (parent === subject.digest ? "" : ` to ${parent}`)
  );
  return {
    input: spec.input,
    origin: spec.origin,
    artifactType: spec.artifactType,
    files,
    digest: result.descriptor.digest,
    size: result.descriptor.size,
    contentSize: result.layers.reduce((n, l) => n + l.size, 0),
    reused: result.reused,
    parent
  };
}
async function promote(source, subject, destination, tags, reference, job, hooks) {
  const result = await copy(source, subject, destination, tags, {
    recursive: true,
    includeArtifactTypes: job.promoteArtifactTypes,
    maxNodes: job.maxNodes,
    // The per-node line quotes the registry's artifact type: never a log command.
    onNode: (d, outcome) => hooks.info(
      `${outcome.padEnd(7)} ${shownType(d.artifactType ?? d.mediaType)} ${d.digest} (${d.size} bytes)`
    )
  });
  hooks.info(
    `Promoted ${subject.digest} to ${neutral(reference)}: ${result.copied} copied, ${result.mounted} mounted, ${result.skipped} already there, ${result.referrers.length} referrers, ${result.bytes} bytes sent`
  );
  return {
    reference,
    digest: result.root.digest,
    copied: result.copied,
    mounted: result.mounted,
    skipped: result.skipped,
    referrers: result.referrers.length,
    bytes: result.bytes
  };
}
function withOrigin(err, origin) {
  if (isOcigraphError(err)) {
    return new OcigraphError(err.code, `${origin}: ${err.message}`, {
      cause: err,
      ...err.hint ? { hint: err.hint } : {},
      ...err.status !== void 0 ? { status: err.status } : {},
      registryErrors: err.registryErrors
    });
  }
  return err;
}

// src/job/words.ts
var WORDS = [
  [
    "--username and --password (or --password-stdin)",
    "the username and password inputs",
    "the username and password inputs (or dockerRegistryServiceConnection)"
  ],
  ["--username/--password", "the username and password inputs", "the username and password inputs"],
  ["-u/-p", "username/password", "username/password (or dockerRegistryServiceConnection)"],
  [
    "ocigraph login",
    "a docker/login-action step",
    "a Docker@2 login step or dockerRegistryServiceConnection"
  ],
  ["--plain-http / --insecure", "plain-http / insecure", "plainHttp / insecure"],
  ["--plain-http", "`plain-http: true`", "`plainHttp: true`"],
  ["--insecure", "`insecure: true`", "`insecure: true`"],
  ["--ca-file", "NODE_EXTRA_CA_CERTS", "NODE_EXTRA_CA_CERTS"],
  ["--registry-config", "registry-config", "registryConfig"],
  ["--fail-on-duplicate", "fail-on-duplicate", "failOnDuplicate"],
  ["--azure-credential", "azure-credential", "azureSubscription"],
  ["--azure-client-id", "azure-client-id", "the azureSubscription service connection's client id"],
  ["--azure-tenant-id", "azure-tenant-id", "the azureSubscription service connection's tenant id"],
  ["--azure-audience", "azure-audience", "azureAudience"],
  ["--azure-authority-host", "AZURE_AUTHORITY_HOST", "the azureSubscription service connection's cloud"],
  ["--azure-federated-token-file", "AZURE_FEDERATED_TOKEN_FILE", "AZURE_FEDERATED_TOKEN_FILE"],
  ["--azure-client-certificate", "AZURE_CLIENT_CERTIFICATE_PATH", "AZURE_CLIENT_CERTIFICATE_PATH"],
  ["--azure-client-secret", "AZURE_CLIENT_SECRET", "AZURE_CLIENT_SECRET"],
  ["--concurrency", "the default concurrency", "the default concurrency"]
];
function inFrontEndWords(text, frontEnd) {
  if (frontEnd === "cli") return text;
  const column = frontEnd === "action" ? 1 : 2;
  let out = text;
  for (const row of WORDS) {
    const escaped = row[0].replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
    out = out.replace(
      new RegExp(`(^|[^\\w-])${escaped}(?![\\w-])`, "g"),
      (_m, before) => before + row[column]
    );
  }
  return out;
}
function failureSentence(err, frontEnd) {
  const error = toOcigraphError(err);
  const text = error.hint ? `${error.message} (${error.hint})` : error.message;
  return inFrontEndWords(text, frontEnd);
}

// src/report/mermaid.ts
var MAX_MERMAID_NODES = 30;
var GROUP_LEAVES_AT = 3;
var MAX_LEVEL_WIDTH = 4;
function mermaidLabel(text) {
  return text.replace(/[\r\n]+/g, " ").replace(/[#&"<>`]/g, (c) => `#${c.charCodeAt(0)};`);
}
function shortDigest(digest) {
  const [alg, hex = ""] = digest.split(":");
  return `${alg}:${hex.slice(0, 12)}`;
}
var typeOf = (node) => shownType(node.descriptor.artifactType ?? node.descriptor.mediaType);
var typeLabel = (type) => mermaidLabel(type.replace(/^application\//, ""));
function units(nodes) {
  const leaves = /* @__PURE__ */ new Map();
  for (const n of nodes)
    if (n.referrers.length === 0) leaves.set(typeOf(n), (leaves.get(typeOf(n)) ?? 0) + 1);
  const out = [];
  const grouped = /* @__PURE__ */ new Set();
  for (const node of nodes) {
    const type = typeOf(node);
    const count = leaves.get(type) ?? 0;
    if (node.referrers.length > 0 || count < GROUP_LEAVES_AT) out.push({ node });
    else if (!grouped.has(type)) {
      grouped.add(type);
      out.push({ type, count });
    }
  }
  return out;
}
function countAll(nodes) {
  return nodes.reduce((n, node) => n + 1 + countAll(node.referrers), 0);
}
function mermaidGraph(subjectLabel, subjectDigest, referrers) {
  const nodes = /* @__PURE__ */ new Map();
  const edges = [];
  nodes.set("n0", `${mermaidLabel(subjectLabel)}<br/>${mermaidLabel(shortDigest(subjectDigest))}`);
  let next = 1;
  let budget = MAX_MERMAID_NODES - 1;
  let shown = 0;
  const perLevel = [];
  const queue = [
    { children: referrers, parent: "n0", level: 1 }
  ];
  while (queue.length > 0) {
    const { children, parent, level } = queue.shift();
    let omitted = 0;
    const drawn = [];
    for (const unit of units(children)) {
      if (budget <= 0) {
        omitted += "node" in unit ? 1 + countAll(unit.node.referrers) : unit.count;
        continue;
      }
      const id = `n${next++}`;
      budget--;
      drawn.push(id);
      perLevel[level] = (perLevel[level] ?? 0) + 1;
      if ("node" in unit) {
        const { node } = unit;
        nodes.set(id, `${typeLabel(typeOf(node))}<br/>${mermaidLabel(shortDigest(node.descriptor.digest))}`);
        shown++;
        if (node.referrers.length) queue.push({ children: node.referrers, parent: id, level: level + 1 });
      } else {
        nodes.set(id, `${typeLabel(unit.type)}<br/>\xD7${unit.count}`);
        shown += unit.count;
      }
      edges.push(`  ${id} --> ${parent}`);
    }
    if (omitted && drawn.length) {
      const id = `n${next++}`;
      nodes.set(id, `\u2026 and ${omitted} more`);
      edges.push(`  ${id} -.-> ${parent}`);
    } else if (omitted) {
      nodes.set(parent, `${nodes.get(parent) ?? ""}<br/>+${omitted} not drawn`);
    }
  }
  const init = '%%{init: {"flowchart": {"nodeSpacing": 24, "rankSpacing": 36}}}%%';
  const lines = [init, "flowchart BT", ...[...nodes].map(([id, label]) => `  ${id}["${label}"]`), ...edges];
  lines.push("  style n0 stroke-width:3px");
  return {
    text: lines.join("\n"),
    total: countAll(referrers),
    shown,
    widest: Math.max(0, ...perLevel.filter(Boolean))
  };
}

// src/report/summary.ts
var MAX_TREE_LINES = 500;
var MODE_TEXT = {
  api: "referrers API",
  "tag-schema": "tag-schema fallback (no referrers API)",
  layout: "OCI image layout"
};
var MARKDOWN_PUNCTUATION = /[\\`*_{}[\]()#!|~]/g;
function escapeMarkdown(text) {
  return text.replace(/[\r\n\t]+/g, " ").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(MARKDOWN_PUNCTUATION, (c) => `\\${c}`);
}
function codeSpan(text) {
  const oneLine = text.replace(/[\r\n]+/g, " ");
  const longest = Math.max(0, ...(oneLine.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = oneLine.startsWith("`") || oneLine.endsWith("`") ? " " : "";
  return `${fence}${pad}${oneLine}${pad}${fence}`;
}
function codeBlock(text, language = "") {
  const longest = Math.max(0, ...(text.match(/`{3,}/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(Math.max(3, longest + 1));
  return `${fence}${language}
${text}
${fence}`;
}
function table(header, rows) {
  const line = (cells) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}
function bytes(n) {
  if (n < 1024) return `${n}\xA0B`;
  const units2 = ["KiB", "MiB", "GiB", "TiB"];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units2.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)}\xA0${units2[unit]}`;
}
function countsByType(nodes) {
  const counts = /* @__PURE__ */ new Map();
  const visit = (level) => {
    for (const n of level) {
      const type = n.descriptor.artifactType ?? n.descriptor.mediaType;
      counts.set(type, (counts.get(type) ?? 0) + 1);
      visit(n.referrers);
    }
  };
  visit(nodes);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}
var plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;
function renderSummary(result, options = {}) {
  const { title = "ocigraph", mermaid = true } = typeof options === "string" ? { title: options } : options;
  const parts = [];
  parts.push(`## ${escapeMarkdown(title)}: ${codeSpan(result.subject.reference)}`);
  parts.push(`Subject digest: ${codeSpan(result.subject.digest)}`);
  if (result.gate) {
    const verdict = result.gate.passed ? "\u2705 **Release gate passed**" : "\u274C **Release gate failed**";
    const rows = result.gate.outcomes.map((o) => [
      o.met ? "\u2705" : "\u274C",
      escapeMarkdown(o.requirement),
      o.met ? (o.chain ?? []).map((d) => codeSpan(shortDigest(d))).join(" \u2192 ") || "present" : escapeMarkdown(o.reason ?? "missing")
    ]);
    parts.push(`### Release gate

${verdict}

${table(["", "Requirement", "Met by"], rows)}`);
  }
  if (result.artifacts.length) {
    const attached = result.artifacts.filter((a) => !a.reused).length;
    const rows = result.artifacts.map((a) => [
      escapeMarkdown(a.artifactType),
      `${codeSpan(shortDigest(a.digest))}${a.reused ? " (reused)" : ""}`,
      bytes(a.contentSize),
      a.files.map(escapeMarkdown).join("<br>"),
      a.parent === result.subject.digest ? "subject" : codeSpan(shortDigest(a.parent))
    ]);
    parts.push(
      `### Artifacts

${attached} attached, ${result.artifacts.length - attached} reused (identical artifact already there)

` + table(["Artifact type", "Digest", "Size", "Files", "Refers to"], rows)
    );
  }
  if (result.promotion) {
    const p = result.promotion;
    parts.push(
      "reference" in p ? `### Promotion

Promoted to ${codeSpan(p.reference)} as ${codeSpan(shortDigest(p.digest))}, ${plural(p.referrers, "referrer", "referrers")} with it:

- ${plural(p.copied, "blob or manifest", "blobs and manifests")} copied (${bytes(p.bytes)} of blobs sent)
- ${plural(p.mounted, "blob", "blobs")} mounted from the source repository (nothing sent)
- ${plural(p.skipped, "blob or manifest", "blobs and manifests")} already at the destination` : `### Promotion

Not promoted: ${escapeMarkdown(p.skipped)}.`
    );
  }
  if (result.lock) {
    const l = result.lock;
    parts.push(
      "manifests" in l ? `### Lock

\u{1F512} ${l.manifests.length} manifests of ${codeSpan(`${l.repository}@${l.digest}`)} locked (writeEnabled and deleteEnabled false)

${table(
        ["Role", "Digest", "Artifact type", ""],
        l.manifests.map((m) => [
          escapeMarkdown(m.role),
          codeSpan(shortDigest(m.digest)),
          m.artifactType ? escapeMarkdown(m.artifactType) : "",
          m.changed ? "locked" : "already locked"
        ])
      )}` : `### Lock

Not locked: ${escapeMarkdown(l.skipped)}.`
    );
  }
  const tree = renderTree(result.subject.reference, result.referrers).split("\n");
  const shown = tree.length > MAX_TREE_LINES ? [...tree.slice(0, MAX_TREE_LINES), `\u2026 ${tree.length - MAX_TREE_LINES} more lines`] : tree;
  const treeBlock = codeBlock(shown.join("\n"), "text");
  const graph = mermaidGraph(result.subject.reference, result.subject.digest, result.referrers);
  const fits = graph.shown === graph.total && graph.widest <= MAX_LEVEL_WIDTH;
  if (!mermaid) {
    parts.push(`### Graph

${treeBlock}`);
  } else if (!fits) {
    const rows = countsByType(result.referrers).map(([type, n]) => [escapeMarkdown(type), String(n)]);
    parts.push(
      `### Graph

${plural(graph.total, "referrer", "referrers")}, too many to draw; by type:

${table(["Artifact type", "Referrers"], rows)}

<details><summary>Tree</summary>

${treeBlock}

</details>`
    );
  } else {
    parts.push(
      `### Graph

${codeBlock(graph.text, "mermaid")}

<details><summary>Tree</summary>

${treeBlock}

</details>`
    );
  }
  if (result.modes.length) {
    const rows = result.modes.map((m) => [
      escapeMarkdown(m.repository),
      m.role,
      escapeMarkdown(MODE_TEXT[m.mode] ?? m.mode)
    ]);
    parts.push(`### Referrers mode

${table(["Repository", "Role", "Mode"], rows)}`);
  }
  return `${parts.join("\n\n")}
`;
}

export {
  buildJob,
  INPUTS,
  readInputs,
  OUTPUTS,
  runJob,
  failureSentence,
  renderSummary
};
