/**
 * `@azure/identity` over the run's transport: an `HttpClient` that sends Entra ID, managed identity
 * and Azure Pipelines ID-token requests through the same connection pool (CA, proxy, TLS) as the
 * registries, instead of Node's global agent.
 */
import type { TokenCredentialOptions } from "@azure/identity";
import type { Dispatcher } from "undici";
import { OcigraphError } from "../oci/errors.js";
import { readCapped } from "../registry/body.js";

type HttpClient = NonNullable<TokenCredentialOptions["httpClient"]>;
type PipelineRequest = Parameters<HttpClient["sendRequest"]>[0];
type PipelineResponse = Awaited<ReturnType<HttpClient["sendRequest"]>>;
type HttpHeaders = PipelineResponse["headers"];

/** Identity answers are small JSON documents; a larger one is refused. */
const MAX_BODY_BYTES = 1024 * 1024;

/** The `HttpHeaders` of core-rest-pipeline, case-insensitive, over a plain map. */
function headers(init: Iterable<[string, string]> = []): HttpHeaders {
  const map = new Map<string, { name: string; value: string }>();
  const h: HttpHeaders = {
    get: (name) => map.get(name.toLowerCase())?.value,
    has: (name) => map.has(name.toLowerCase()),
    set: (name, value) => void map.set(name.toLowerCase(), { name, value: String(value) }),
    delete: (name) => void map.delete(name.toLowerCase()),
    toJSON: (options) => {
      const out: Record<string, string> = {};
      for (const [key, { name, value }] of map) out[options?.preserveCase ? name : key] = value;
      return out;
    },
    [Symbol.iterator]: () =>
      [...map.values()].map(({ name, value }): [string, string] => [name, value])[Symbol.iterator](),
  };
  for (const [name, value] of init) h.set(name, value);
  return h;
}

/** An `HttpClient` for `@azure/identity` credentials (their `httpClient` option). */
export function identityHttpClient(dispatcher: Dispatcher): HttpClient {
  return {
    async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
      const sent = request.body;
      if (sent !== undefined && typeof sent !== "string") {
        throw new OcigraphError("INTERNAL", "an Entra ID request carried a body ocigraph cannot send");
      }
      const url = new URL(request.url);
      const res = await dispatcher.request({
        origin: url.origin,
        path: url.pathname + url.search,
        method: request.method,
        headers: request.headers.toJSON(),
        ...(sent !== undefined ? { body: sent } : {}),
        ...(request.timeout > 0 ? { headersTimeout: request.timeout, bodyTimeout: request.timeout } : {}),
        ...(request.abortSignal ? { signal: request.abortSignal as AbortSignal } : {}),
      });
      const body = await readCapped(
        { headers: res.headers, body: res.body },
        MAX_BODY_BYTES,
        url.host,
        "identity answer",
      );
      const pairs: [string, string][] = [];
      for (const [name, value] of Object.entries(res.headers)) {
        if (value !== undefined) pairs.push([name, Array.isArray(value) ? value.join(", ") : value]);
      }
      return {
        request,
        status: res.statusCode,
        headers: headers(pairs),
        bodyAsText: body.toString("utf8"),
      };
    },
  };
}
