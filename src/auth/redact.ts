/**
 * Keeping secrets out of messages and logs. Pure functions: the caller passes what it knows is
 * secret, so there is no process-wide registry of secrets.
 */

/** What a redacted value is replaced with. */
export const REDACTED = "***";

const SECRET_HEADERS: ReadonlySet<string> = new Set([
  "authorization",
  "proxy-authorization",
  "cookie",
  "set-cookie",
  "x-amz-security-token",
]);

/**
 * A copy of `headers` fit to print: `Authorization`, `Proxy-Authorization`, `Cookie`, `Set-Cookie`
 * (any case) become `***`; repeated values are joined with `", "`; undefined values are left out.
 */
export function redactHeaders(
  headers: Readonly<Record<string, string | string[] | undefined>>,
): Record<string, string> {
  const out = new Map<string, string>();
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out.set(
      name,
      SECRET_HEADERS.has(name.toLowerCase()) ? REDACTED : Array.isArray(value) ? value.join(", ") : value,
    );
  }
  return Object.fromEntries(out);
}

const SECRET_PARAMS: ReadonlySet<string> = new Set([
  "sig",
  "signature",
  "token",
  "code",
  "key",
  "apikey",
  "api_key",
  "password",
  "passwd",
  "pwd",
  "secret",
  "auth",
  "credential",
  "policy",
  // Azure SAS
  "se",
  "sp",
  "sv",
  "sr",
  "st",
  "ss",
  "srt",
  "spr",
  "skoid",
  "sktid",
  "sks",
  "skv",
  "ske",
  "skt",
  // CloudFront
  "key-pair-id",
]);

function isSecretParam(name: string): boolean {
  const n = name.toLowerCase();
  return (
    SECRET_PARAMS.has(n) ||
    n.startsWith("x-amz-") ||
    n.startsWith("x-goog-") ||
    n.startsWith("x-ms-") ||
    /token|secret|passw|signature|credential/.test(n)
  );
}

/**
 * `url` fit to print: user info is dropped, and when any query parameter looks secret (a signature,
 * token, password, `X-Amz-*`, Azure SAS fields...) the whole query becomes `?…`, as does the
 * fragment. A string that is not an absolute URL loses everything from its first `?` or `#`.
 */
export function redactUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    const cut = url.search(/[?#]/);
    const base = cut === -1 ? url : url.slice(0, cut);
    // "//user:pass@" in something URL() refused
    return base.replace(/\/\/[^/?#]*@/, "//") + (cut === -1 ? "" : "?…");
  }
  u.username = "";
  u.password = "";
  u.hash = "";
  let secret = false;
  for (const name of u.searchParams.keys()) {
    if (isSecretParam(name)) {
      secret = true;
      break;
    }
  }
  if (!secret) return u.toString();
  u.search = "";
  return `${u.toString()}?…`;
}

/**
 * `text` with every occurrence of each non-empty secret replaced by `***` (longer secrets first, so
 * one secret containing another is hidden whole).
 */
export function redactText(text: string, secrets: readonly string[]): string {
  const ordered = secrets.filter((s) => s !== "").sort((a, b) => b.length - a.length);
  let out = text;
  for (const s of ordered) out = out.split(s).join(REDACTED);
  return out;
}

/**
 * A server's words made one line for an error message: control characters (newlines, escapes)
 * turned into spaces, the ends trimmed. Front ends still neutralise the whole message.
 */
export function oneLine(text: string): string {
  let out = "";
  for (const ch of text) {
    const c = ch.charCodeAt(0);
    out += c < 0x20 || c === 0x7f ? " " : ch;
  }
  return out.trim();
}

/**
 * Every form in which a credential may come back in a registry's error body: the password, the
 * `user:pass` pair and its base64 (the Basic header), refresh and access tokens. Values shorter
 * than 4 characters are left out (redacting "a" would garble every message).
 */
export function credentialSecrets(cred: {
  username?: string | undefined;
  password?: string | undefined;
  refreshToken?: string | undefined;
  accessToken?: string | undefined;
}): string[] {
  const out: string[] = [];
  for (const v of [cred.password, cred.refreshToken, cred.accessToken]) if (v) out.push(v);
  if (cred.password) {
    const pair = `${cred.username ?? ""}:${cred.password}`;
    out.push(pair, Buffer.from(pair, "utf8").toString("base64"));
  }
  return out.filter((s) => s.length >= 4);
}

/** Secrets one client has sent, so what a server echoes of them is redacted before printing. */
export class SecretSet {
  private readonly values = new Set<string>();

  add(...secrets: readonly string[]): void {
    for (const s of secrets) if (s.length >= 4) this.values.add(s);
  }

  redact(text: string): string {
    return this.values.size ? redactText(text, [...this.values]) : text;
  }
}
