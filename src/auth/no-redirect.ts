/**
 * Token, exchange and ID-token requests carry secrets in their body or headers. The transport's
 * redirect interceptor would re-send them (a 307 keeps the POST body) to whatever origin a
 * Location names, so these requests never follow redirects: a 3xx is an error naming where it
 * pointed.
 */
import { getGlobalDispatcher, type Dispatcher } from "undici";
import { OcigraphError } from "../oci/errors.js";
import { redactUrl } from "./redact.js";

/** What {@link requestWithoutRedirect} sends; the rest of undici's request options are not needed. */
export interface SecretRequest {
  method: "GET" | "POST";
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  /** Default: undici's global dispatcher. */
  dispatcher?: Dispatcher;
}

/**
 * One request to `url` with the transport's redirect interceptor turned off (`maxRedirections: 0`),
 * so a 3xx comes back as it is for {@link refuseRedirect} to turn into an error.
 */
export function requestWithoutRedirect(url: URL, req: SecretRequest): Promise<Dispatcher.ResponseData> {
  const { dispatcher = getGlobalDispatcher(), ...rest } = req;
  // `maxRedirections` is read by our redirect interceptor (src/registry/redirect.ts), not by undici's types.
  const options: Dispatcher.RequestOptions & { maxRedirections: number } = {
    ...rest,
    origin: url.origin,
    path: url.pathname + url.search,
    maxRedirections: 0,
  };
  return dispatcher.request(options);
}

/** Throws when `res` is a redirect, after discarding its body. */
export async function refuseRedirect(res: Dispatcher.ResponseData, who: string, asked: URL): Promise<void> {
  if (res.statusCode < 300 || res.statusCode > 399) return;
  await res.body.dump().catch(() => undefined);
  const header = res.headers["location"];
  const location = Array.isArray(header) ? header[0] : header;
  let target = "nowhere";
  if (location) {
    try {
      target = redactUrl(new URL(location, asked).toString());
    } catch {
      target = "an invalid location";
    }
  }
  throw new OcigraphError(
    "REGISTRY",
    `${who} answered ${res.statusCode} redirecting to ${target}; credentials are never sent on to a redirect`,
    {
      status: res.statusCode,
      hint: "point the client at the final token service, or fix the redirect on the server",
    },
  );
}
