// Minimal RS256 JWTs for the stand-in services.
import { createPublicKey, randomUUID, sign, verify, type KeyObject } from "node:crypto";

export type Claims = Record<string, unknown>;

const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString("base64url");

export function signJwt(claims: Claims, key: KeyObject, header: Record<string, unknown> = {}): string {
  const input = `${b64({ typ: "JWT", alg: "RS256", ...header })}.${b64({ jti: randomUUID(), ...claims })}`;
  return `${input}.${sign("sha256", Buffer.from(input), key).toString("base64url")}`;
}

/** The claims when `token` carries a valid RS256 or PS256 signature by `key` (a private or public key). */
export function verifyJwt(token: string, key: KeyObject): { header: Claims; claims: Claims } | undefined {
  const parts = token.split(".");
  if (parts.length !== 3) return undefined;
  const [h, c, s] = parts as [string, string, string];
  try {
    const header = JSON.parse(Buffer.from(h, "base64url").toString()) as Claims;
    const pub = key.type === "private" ? createPublicKey(key) : key;
    const input = Buffer.from(`${h}.${c}`);
    const sig = Buffer.from(s, "base64url");
    const ok =
      header["alg"] === "PS256"
        ? verify("sha256", input, { key: pub, padding: 6 /* RSA_PKCS1_PSS_PADDING */, saltLength: 32 }, sig)
        : header["alg"] === "RS256" && verify("sha256", input, pub, sig);
    if (!ok) return undefined;
    return { header, claims: JSON.parse(Buffer.from(c, "base64url").toString()) as Claims };
  } catch {
    return undefined;
  }
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);
