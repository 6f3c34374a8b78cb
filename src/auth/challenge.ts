/**
 * `WWW-Authenticate` parsing (RFC 7235 §2.1, §4.1; list syntax from RFC 9110 §5.6.1).
 *
 * ```
 * WWW-Authenticate = 1#challenge
 * challenge        = auth-scheme [ 1*SP ( token68 / #auth-param ) ]
 * auth-param       = token BWS "=" BWS ( token / quoted-string )
 * token68          = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
 * ```
 *
 * A single hand-written scanner: every character is looked at a bounded number of times, so a hostile
 * header costs linear time, and input is capped at {@link MAX_CHALLENGE_HEADER_LENGTH}.
 */

/** One authentication challenge from a `WWW-Authenticate` header. */
export interface Challenge {
  /** Auth scheme, lowercased (`bearer`, `basic`, ...). */
  scheme: string;
  /**
   * Auth parameters with lowercased names; values unquoted and unescaped. For Bearer challenges these
   * are `realm`, `service`, `scope` (space-separated scopes), `error`... Empty when the challenge had
   * none. When a name repeats, the first value wins.
   */
  params: Record<string, string>;
  /** The token68 form (`Negotiate abc==`), when the challenge used it instead of parameters. */
  token68?: string;
}

/** Longest header parsed; the rest is ignored. */
export const MAX_CHALLENGE_HEADER_LENGTH = 16 * 1024;

// tchar (RFC 9110 §5.6.2): "!#$%&'*+-.^_`|~" DIGIT ALPHA
const TCHAR = new Uint8Array(128);
for (const c of "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") {
  TCHAR[c.charCodeAt(0)] = 1;
}
// token68 characters, without the trailing "="
const T68CHAR = new Uint8Array(128);
for (const c of "-._~+/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") {
  T68CHAR[c.charCodeAt(0)] = 1;
}

interface Building {
  scheme: string;
  params: Map<string, string>;
  token68?: string;
}

function isIn(table: Uint8Array, s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c < 128 && table[c] === 1;
}

function isWs(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c === 0x20 || c === 0x09;
}

/**
 * Parses every challenge in a `WWW-Authenticate` header value (several challenges may share one
 * header, separated by commas). Never throws: malformed parts are skipped up to the next comma and
 * what does parse is returned, so garbage yields `[]`. Join repeated header fields with `", "` first.
 *
 * @example parseWwwAuthenticate('Bearer realm="https://auth.example/token",service="reg", Basic realm="x"')
 */
export function parseWwwAuthenticate(header: string): Challenge[] {
  if (typeof header !== "string") return [];
  const s =
    header.length > MAX_CHALLENGE_HEADER_LENGTH ? header.slice(0, MAX_CHALLENGE_HEADER_LENGTH) : header;
  const n = s.length;
  const all: Building[] = [];
  let cur: Building | undefined;
  let i = 0;

  const skipWs = (j: number): number => {
    while (j < n && isWs(s, j)) j++;
    return j;
  };
  const readRun = (table: Uint8Array, j: number): number => {
    while (j < n && isIn(table, s, j)) j++;
    return j;
  };
  /** Index of the next list comma at or after j, stepping over quoted strings. */
  const recover = (j: number): number => {
    let quoted = false;
    while (j < n) {
      const c = s[j];
      if (quoted) {
        if (c === "\\") j++;
        else if (c === '"') quoted = false;
      } else if (c === '"') quoted = true;
      else if (c === ",") return j;
      j++;
    }
    return n;
  };
  /** Parses a quoted-string whose opening quote is at j; undefined when unterminated. */
  const readQuoted = (j: number): { value: string; end: number } | undefined => {
    let value = "";
    let from = j + 1;
    for (let k = j + 1; k < n; k++) {
      const c = s[k];
      if (c === "\\") {
        if (k + 1 >= n) return undefined;
        value += s.slice(from, k);
        from = k + 1; // keep the escaped character itself
        k++;
      } else if (c === '"') {
        return { value: value + s.slice(from, k), end: k + 1 };
      }
    }
    return undefined;
  };

  while (i < n) {
    // list elements may be empty: ", ,"
    while (i < n && (isWs(s, i) || s[i] === ",")) i++;
    if (i >= n) break;

    const tokStart = i;
    i = readRun(TCHAR, i);
    if (i === tokStart) {
      i = recover(i + 1);
      continue;
    }
    const tok = s.slice(tokStart, i);
    const afterTok = skipWs(i);

    if (s[afterTok] === "=") {
      // auth-param of the current challenge
      // (a challenge in token68 form has no parameters)
      if (cur === undefined || cur.token68 !== undefined) {
        i = recover(afterTok);
        continue;
      }
      let j = skipWs(afterTok + 1);
      let value: string | undefined;
      if (s[j] === '"') {
        const q = readQuoted(j);
        if (q !== undefined) {
          value = q.value;
          j = q.end;
        }
      } else {
        // lenient: servers sometimes leave URLs unquoted
        const start = j;
        while (j < n && s[j] !== "," && s[j] !== '"' && !isWs(s, j)) j++;
        if (j > start) value = s.slice(start, j);
      }
      if (value === undefined) {
        i = recover(j);
        continue;
      }
      const key = tok.toLowerCase();
      if (!cur.params.has(key)) cur.params.set(key, value);
      j = skipWs(j);
      i = j < n && s[j] !== "," ? recover(j) : j;
      continue;
    }

    // a new challenge
    cur = { scheme: tok.toLowerCase(), params: new Map() };
    all.push(cur);
    if (i >= n || s[i] === ",") continue;
    if (!isWs(s, i)) {
      i = recover(i);
      continue;
    }
    i = skipWs(i);
    // token68 when a run of token68 characters (plus "=" padding) is followed by the end or a comma
    let j = readRun(T68CHAR, i);
    if (j > i) {
      while (j < n && s[j] === "=") j++;
      const k = skipWs(j);
      if (k >= n || s[k] === ",") {
        cur.token68 = s.slice(i, j);
        i = k;
      }
    }
  }

  // Object.fromEntries defines own properties, so a "__proto__" parameter cannot touch the prototype
  return all.map((c) => {
    const ch: Challenge = { scheme: c.scheme, params: Object.fromEntries(c.params) };
    if (c.token68 !== undefined) ch.token68 = c.token68;
    return ch;
  });
}
