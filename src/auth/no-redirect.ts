/**
 * Token, exchange and ID-token requests carry secrets in their body or headers. The transport's
 * redirect interceptor would re-send them (a 307 keeps the POST body) to whatever origin a
 * Location names, so these requests never follow redirects: a 3xx is an error naming where it
 * pointed.
 */
import type { Dispatcher } from "undici";
import { OcigraphError } from "../oci/errors.js";
import { redactUrl } from "./redact.js";

/** Request option that turns the transport's redirect interceptor off for one request. */
export const NO_REDIRECT = { maxRedirections: 0 } as const;

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
