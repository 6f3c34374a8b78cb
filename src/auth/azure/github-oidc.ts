/**
 * The GitHub Actions job's OIDC ID token, used as the client assertion of a federated Entra app.
 * https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect
 */
import type { Dispatcher } from "undici";
import { refuseRedirect, requestWithoutRedirect } from "../no-redirect.js";
import { OcigraphError } from "../../oci/errors.js";
import { redactText } from "../redact.js";

/** Options of {@link githubIdToken}. */
export interface GithubIdTokenOptions {
  /** `ACTIONS_ID_TOKEN_REQUEST_URL` (already has a query string). */
  requestUrl: string;
  /** `ACTIONS_ID_TOKEN_REQUEST_TOKEN`. */
  requestToken: string;
  /** The `aud` the federated credential expects; `api://AzureADTokenExchange` for Entra. */
  audience: string;
  /** Default: undici's global dispatcher. */
  dispatcher?: Dispatcher;
}

const MAX_BYTES = 64 * 1024;

/**
 * Asks the Actions runtime for an ID token. A fresh one is fetched on every call (they live minutes).
 *
 * @throws OcigraphError UNAUTHORIZED when the runtime refuses (permission missing), NETWORK, REGISTRY.
 */
export async function githubIdToken(opts: GithubIdTokenOptions): Promise<string> {
  const url = new URL(opts.requestUrl);
  url.searchParams.set("audience", opts.audience);
  const secrets = [opts.requestToken];
  let res: Dispatcher.ResponseData;
  try {
    res = await requestWithoutRedirect(url, {
      method: "GET",
      headers: { authorization: `Bearer ${opts.requestToken}`, accept: "application/json" },
      ...(opts.dispatcher ? { dispatcher: opts.dispatcher } : {}),
    });
  } catch (err) {
    throw new OcigraphError(
      "NETWORK",
      `Could not reach the GitHub Actions ID-token service ${url.host}: ${redactText(String((err as Error).message), secrets)}`,
      { cause: err },
    );
  }
  await refuseRedirect(res, `The GitHub Actions ID-token service ${url.host}`, url);
  const text = (await res.body.text()).slice(0, MAX_BYTES);
  if (res.statusCode === 401 || res.statusCode === 403) {
    throw new OcigraphError(
      "UNAUTHORIZED",
      `GitHub Actions refused to issue an ID token (HTTP ${res.statusCode}).`,
      {
        status: res.statusCode,
        hint: "Give the job `permissions: id-token: write` (pull requests from forks never get one).",
      },
    );
  }
  let value: unknown;
  try {
    value = (JSON.parse(text) as { value?: unknown }).value;
  } catch {
    value = undefined;
  }
  if (res.statusCode !== 200 || typeof value !== "string" || value === "") {
    throw new OcigraphError(
      "REGISTRY",
      `The GitHub Actions ID-token service answered HTTP ${res.statusCode} without a token.`,
      { status: res.statusCode, hint: "Re-run the job; if it persists, check githubstatus.com." },
    );
  }
  return value;
}
