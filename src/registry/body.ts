import { OcigraphError } from "../oci/errors.js";
import { headerValue, type RegistryResponse } from "./client.js";

/**
 * Reads a response body of at most `max` bytes, refusing a larger declared length before reading
 * and stopping as soon as the bytes read pass `max`: a registry cannot make ocigraph buffer more
 * (manifests, referrer and tag pages, identity answers).
 *
 * @param what names the body in the error: `manifest`, `referrers page`, `tag page`.
 */
export async function readCapped(
  res: Pick<RegistryResponse, "headers" | "body">,
  max: number,
  label: string,
  what: string,
): Promise<Buffer> {
  const limit = `${Math.round(max / (1024 * 1024))} MiB`;
  const declared = Number(headerValue(res.headers, "content-length") ?? "0");
  if (declared > max) {
    await res.body.dump().catch(() => undefined);
    throw new OcigraphError("TOO_LARGE", `${label}: ${what} is larger than ${limit} (${declared} bytes)`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body) {
    size += (chunk as Buffer).length;
    if (size > max) {
      res.body.destroy();
      throw new OcigraphError("TOO_LARGE", `${label}: ${what} is larger than ${limit}`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
