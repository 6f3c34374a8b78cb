/** Reading (never verifying) the claims of a JWT: enough to know when a token expires. */

/** The claims of a compact JWT, or `undefined` when `token` is not one. Does not check the signature. */
export function jwtClaims(token: string): Record<string, unknown> | undefined {
  const parts = token.split(".");
  if (parts.length !== 3 || parts[1] === undefined) return undefined;
  try {
    const v: unknown = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8"));
    return typeof v === "object" && v !== null && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** When a JWT expires (`exp`, epoch ms), or `undefined` when it says not or is no JWT. */
export function jwtExpiresAt(token: string): number | undefined {
  const exp = jwtClaims(token)?.["exp"];
  return typeof exp === "number" && Number.isFinite(exp) ? exp * 1000 : undefined;
}
