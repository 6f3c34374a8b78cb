import { readFileSync } from "node:fs";
import { Agent, EnvHttpProxyAgent, interceptors, type Dispatcher } from "undici";
import { OcigraphError } from "../oci/errors.js";

export interface TransportOptions {
  /** Skip TLS certificate verification (`--insecure`). */
  insecure?: boolean;
  /** Extra CA certificate file in PEM (`--ca-file`). */
  caFile?: string;
  /** Retries for 408/429/5xx and connection errors; 0 means the default (4). */
  maxRetries?: number;
  /** First backoff delay in ms; doubles each retry; 0 means the default (300). */
  minRetryDelayMs?: number;
}

/**
 * The dispatcher every registry request goes through: keep-alive connections, env proxies
 * (`HTTPS_PROXY`, `NO_PROXY`), undici's retry interceptor for idempotent requests (honours
 * `Retry-After`, resumes GETs with `Range`) and its redirect interceptor, which drops
 * `Authorization` when a redirect leaves the origin (ACR sends blob GETs to storage).
 */
export function createTransport(options: TransportOptions = {}): Dispatcher {
  let ca: string | undefined;
  if (options.caFile) {
    try {
      ca = readFileSync(options.caFile, "utf8");
    } catch (err) {
      throw new OcigraphError("INVALID_INPUT", `cannot read CA file ${options.caFile}`, { cause: err });
    }
  }
  const connect = {
    rejectUnauthorized: !options.insecure,
    ...(ca ? { ca: [ca] } : {}),
  };
  const useProxy = Boolean(
    process.env.HTTPS_PROXY || process.env.https_proxy || process.env.HTTP_PROXY || process.env.http_proxy,
  );
  const base: Dispatcher = useProxy
    ? new EnvHttpProxyAgent({ connect, keepAliveTimeout: 30_000 })
    : new Agent({ connect, keepAliveTimeout: 30_000, connections: 32 });
  return base.compose(
    interceptors.retry({
      maxRetries: options.maxRetries || 4,
      minTimeout: options.minRetryDelayMs || 300,
      maxTimeout: 30_000,
      timeoutFactor: 2,
      retryAfter: true,
      throwOnError: false,
      methods: ["GET", "HEAD", "PUT", "DELETE"],
      statusCodes: [408, 429, 500, 502, 503, 504],
      errorCodes: [
        "ECONNRESET",
        "ECONNREFUSED",
        "EPIPE",
        "ETIMEDOUT",
        "UND_ERR_SOCKET",
        "UND_ERR_CONNECT_TIMEOUT",
      ],
    }),
    interceptors.redirect({ maxRedirections: 5 }),
  );
}
