/**
 * The transport's redirect policy: undici's redirect handler (which drops `Authorization` when a
 * hop leaves the origin; ACR sends blob GETs to storage), refusing any hop from https to plain
 * http, as upload Locations are refused: a downgraded blob GET would be readable and rewritable
 * by anyone on the path. A request with `maxRedirections: 0` is not redirected at all.
 */
import { RedirectHandler, type Dispatcher } from "undici";
import { OcigraphError } from "../oci/errors.js";
import { redactUrl } from "../auth/redact.js";

const FOLLOWED = new Set([300, 301, 302, 303, 307, 308]);

/** undici's handler implements the new handler API, though its typings do not declare it. */
const base = RedirectHandler.prototype as unknown as {
  onResponseStart(this: unknown, ...args: unknown[]): void;
};

class NoDowngradeRedirectHandler extends RedirectHandler {
  onResponseStart(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | string[] | undefined>,
    statusMessage?: string,
  ): void {
    const self = this as unknown as { opts: { origin?: string | URL; path: string } };
    const location = headers["location"];
    const from = self.opts.origin ? new URL(self.opts.path, self.opts.origin) : undefined;
    if (FOLLOWED.has(statusCode) && typeof location === "string" && from?.protocol === "https:") {
      let to: URL | undefined;
      try {
        to = new URL(location, from);
      } catch {
        to = undefined;
      }
      if (to?.protocol === "http:") {
        throw new OcigraphError(
          "INVALID_CONTENT",
          `${from.host} redirected ${redactUrl(from.toString())} to plain http (${redactUrl(to.toString())}): refused`,
          { hint: "a registry must not send content over plain http once it was asked over https" },
        );
      }
    }
    base.onResponseStart.call(this, controller, statusCode, headers, statusMessage);
  }
}

/** Follows up to `maxRedirections` redirects per request, never from https to http. */
export function safeRedirect(maxRedirections: number): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) => (opts, handler) => {
    const { maxRedirections: asked = maxRedirections, ...rest } = opts as Dispatcher.DispatchOptions & {
      maxRedirections?: number;
    };
    if (!asked) return dispatch(rest, handler);
    return dispatch(rest, new NoDowngradeRedirectHandler(dispatch, asked, rest, handler));
  };
}
