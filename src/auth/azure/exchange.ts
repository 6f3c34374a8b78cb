/**
 * ACR's token exchange: an Entra ID access token for an ACR refresh token.
 * https://github.com/Azure/acr/blob/main/docs/AAD-OAuth.md
 *
 * ```
 * POST https://<registry>/oauth2/exchange
 * Content-Type: application/x-www-form-urlencoded
 *
 * grant_type=access_token&service=<registry>&tenant=<tenant>&access_token=<Entra token>
 * -> { "refresh_token": "<JWT>" }
 * ```
 * The refresh token is then used with `POST /oauth2/token` (grant_type=refresh_token), which the
 * registry client already does for any `Credential` carrying a `refreshToken`.
 */
import type { Dispatcher } from "undici";
import { refuseRedirect, requestWithoutRedirect } from "../no-redirect.js";
import { OcigraphError } from "../../oci/errors.js";
import { oneLine, redactText } from "../redact.js";
import { jwtExpiresAt } from "./jwt.js";

/** The username docker, oras and notation use with an ACR refresh token. */
export const ACR_REFRESH_TOKEN_USERNAME = "00000000-0000-0000-0000-000000000000";

/** Lifetime assumed when the refresh token carries no `exp` (ACR's are 3 hours). */
const DEFAULT_LIFETIME_MS = 60 * 60 * 1000;
const MAX_BYTES = 1024 * 1024;

/** Options of {@link exchangeAadToken}. */
export interface ExchangeOptions {
  /** `https://<registry>` (or `http://` for a plain-http test registry). */
  origin: string;
  /** The registry's login server host, sent as `service`. */
  service: string;
  /** Entra tenant; sent when known. */
  tenantId?: string;
  /** The Entra access token for the ACR audience. */
  aadToken: string;
  dispatcher?: Dispatcher;
  userAgent?: string;
}

/** An ACR refresh token and when it expires (epoch ms). */
export interface AcrRefreshToken {
  refreshToken: string;
  expiresAt: number;
}

function said(text: string): string {
  try {
    const json = JSON.parse(text) as Record<string, unknown>;
    const errors = Array.isArray(json["errors"]) ? (json["errors"] as Record<string, unknown>[]) : [];
    const parts = errors.map((e) =>
      [e["code"], e["message"]].filter((x) => typeof x === "string").join(": "),
    );
    for (const k of ["error", "error_description", "message"]) {
      if (typeof json[k] === "string") parts.push(json[k]);
    }
    return parts.join("; ");
  } catch {
    return text.trim();
  }
}

/**
 * Exchanges an Entra access token for an ACR refresh token.
 *
 * @throws OcigraphError UNSUPPORTED (404: the registry has no Entra ID sign-in), UNAUTHORIZED (401/400:
 *   token refused, typically another tenant), DENIED (403), REGISTRY (5xx, no token), NETWORK.
 */
export async function exchangeAadToken(opts: ExchangeOptions): Promise<AcrRefreshToken> {
  const url = new URL("/oauth2/exchange", opts.origin);
  const form = new URLSearchParams({ grant_type: "access_token", service: opts.service });
  if (opts.tenantId) form.set("tenant", opts.tenantId);
  form.set("access_token", opts.aadToken);
  const secrets = [opts.aadToken];
  let res: Dispatcher.ResponseData;
  try {
    res = await requestWithoutRedirect(url, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        accept: "application/json",
        ...(opts.userAgent ? { "user-agent": opts.userAgent } : {}),
      },
      body: form.toString(),
      ...(opts.dispatcher ? { dispatcher: opts.dispatcher } : {}),
    });
  } catch (err) {
    throw new OcigraphError(
      "NETWORK",
      `Could not reach ${url.host} to exchange the Entra ID token: ${redactText(String((err as Error).message), secrets)}`,
      { cause: err },
    );
  }
  await refuseRedirect(res, `${url.host} (POST /oauth2/exchange)`, url);
  const text = (await res.body.text()).slice(0, MAX_BYTES);
  const what = oneLine(redactText(said(text), secrets)).slice(0, 300);
  const tail = what === "" ? "" : `: ${what}`;
  const host = opts.service;
  if (res.statusCode === 404) {
    throw new OcigraphError(
      "UNSUPPORTED",
      `${host} does not offer Entra ID sign-in (POST /oauth2/exchange answered 404).`,
      {
        status: 404,
        hint: "Check that this is an Azure Container Registry login server (<name>.azurecr.io) and that Entra ID authentication is not disabled on it; otherwise use --username/--password.",
      },
    );
  }
  if (res.statusCode === 401 || res.statusCode === 400) {
    throw new OcigraphError(
      "UNAUTHORIZED",
      `${host} refused the Entra ID token (HTTP ${res.statusCode}${tail}).`,
      {
        status: res.statusCode,
        hint: "Sign in to the tenant that owns the registry (--azure-tenant-id) with the audience it expects (--azure-audience).",
      },
    );
  }
  if (res.statusCode === 403) {
    throw new OcigraphError("DENIED", `${host} denied the Entra ID identity (HTTP 403${tail}).`, {
      status: 403,
      hint: "Grant the identity a role on the registry (AcrPull to read, AcrPush to attach), and check the registry's network rules.",
    });
  }
  let refreshToken: unknown;
  try {
    refreshToken = (JSON.parse(text) as { refresh_token?: unknown }).refresh_token;
  } catch {
    refreshToken = undefined;
  }
  if (
    res.statusCode < 200 ||
    res.statusCode > 299 ||
    typeof refreshToken !== "string" ||
    refreshToken === ""
  ) {
    throw new OcigraphError(
      "REGISTRY",
      `${host} answered the Entra ID token exchange with HTTP ${res.statusCode} and no refresh token${tail}.`,
      {
        status: res.statusCode,
        hint: "Retry; if it persists, check the registry's health in the Azure portal.",
      },
    );
  }
  return { refreshToken, expiresAt: jwtExpiresAt(refreshToken) ?? Date.now() + DEFAULT_LIFETIME_MS };
}
