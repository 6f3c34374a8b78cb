// Looking for secrets in what ocigraph prints: every form a known secret could leak in (as is,
// base64, base64url, URL-encoded, JSON-escaped, inside a Basic credential), plus shapes that are
// secret whatever their value (a JWT, an Authorization header with a value).

export interface KnownSecret {
  /** What it is, for the report: "htpasswd password", "ACR refresh token", ... */
  label: string;
  value: string;
  /** The user name it goes with, for `Basic base64(user:secret)`. */
  username?: string;
}

export interface ScannedOutput {
  /** Which run and which stream: "cli push -p (stderr)". */
  label: string;
  text: string;
}

export interface Finding {
  output: string;
  secret: string;
  form: string;
  excerpt: string;
}

/** The forms a secret is looked for in. */
export function secretForms(secret: KnownSecret): { form: string; value: string }[] {
  const b64 = (s: string) => Buffer.from(s).toString("base64");
  const forms = [
    { form: "as is", value: secret.value },
    { form: "base64", value: b64(secret.value) },
    { form: "base64 (unpadded)", value: b64(secret.value).replace(/=+$/, "") },
    { form: "base64url", value: Buffer.from(secret.value).toString("base64url") },
    { form: "URL-encoded", value: encodeURIComponent(secret.value) },
    { form: "JSON-escaped", value: JSON.stringify(secret.value).slice(1, -1) },
  ];
  if (secret.username !== undefined) {
    const basic = b64(`${secret.username}:${secret.value}`);
    forms.push(
      { form: "base64(user:secret)", value: basic },
      { form: "Basic header", value: `Basic ${basic}` },
    );
  }
  // one form once (URL-encoding and JSON often leave a value as it is)
  const seen = new Set<string>();
  return forms.filter((f) => !seen.has(f.value) && seen.add(f.value));
}

/** Secret whatever the value: a JWT (ID tokens, assertions, access and refresh tokens). */
const JWT = /eyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]*/;
/** An Authorization header (or trace line) that carries a credential rather than a redaction. */
const AUTH_HEADER = /\bauthorization["']?\s*[:=]\s*["']?(basic|bearer)\s+(?!\*\*\*)[A-Za-z0-9+/=._~-]{8,}/i;

/**
 * What a log reader sees: the runner and the agent consume masking commands (`::add-mask::`,
 * `##vso[task.setsecret]`) and never print them, so those lines are left out of the scan.
 */
export function hostVisible(text: string): string {
  return text
    .split("\n")
    .filter((l) => !l.startsWith("::add-mask::") && !l.startsWith("##vso[task.setsecret]"))
    .join("\n");
}

function excerpt(text: string, index: number, length: number): string {
  const from = Math.max(0, index - 40);
  return text.slice(from, index + length + 40).replace(/\n/g, "⏎");
}

/** Every place a known secret, in any of its forms, or a secret-shaped value appears. */
export function scanForSecrets(
  outputs: readonly ScannedOutput[],
  secrets: readonly KnownSecret[],
): Finding[] {
  const findings: Finding[] = [];
  for (const output of outputs) {
    const text = hostVisible(output.text);
    for (const secret of secrets) {
      for (const { form, value } of secretForms(secret)) {
        const at = text.indexOf(value);
        if (at >= 0)
          findings.push({
            output: output.label,
            secret: secret.label,
            form,
            excerpt: excerpt(text, at, value.length),
          });
      }
    }
    for (const [form, pattern] of [
      ["JWT", JWT],
      ["Authorization header with a credential", AUTH_HEADER],
    ] as const) {
      const m = pattern.exec(text);
      if (m)
        findings.push({
          output: output.label,
          secret: "any",
          form,
          excerpt: excerpt(text, m.index, m[0].length),
        });
    }
  }
  return findings;
}

/**
 * Where in `stdout` the host is first told to mask `secret`, and where the step first did
 * something with the registry (`marker`, e.g. the first log group): masking must come first.
 */
export function maskedBeforeUse(
  stdout: string,
  secret: string,
  kind: "action" | "task",
  marker: string,
): { masked: boolean; before: boolean } {
  const command = kind === "action" ? `::add-mask::${secret}` : `##vso[task.setsecret]${secret}`;
  const lines = stdout.split("\n");
  const maskAt = lines.indexOf(command);
  const useAt = lines.findIndex((l) => l.includes(marker));
  return { masked: maskAt >= 0, before: maskAt >= 0 && (useAt < 0 || maskAt < useAt) };
}
