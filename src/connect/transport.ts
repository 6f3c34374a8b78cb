/**
 * The one transport of a run: a keep-alive connection pool with the run's TLS settings (`--ca-file`,
 * `--insecure`) and the environment's proxy, built once per command and shared by every request
 * ocigraph makes — registries, their token services, the ACR exchange, GitHub's and Azure
 * Pipelines' ID-token services and Entra ID itself — so those settings apply to all of them.
 */
import * as tls from "node:tls";
import { Agent, EnvHttpProxyAgent, interceptors, type Dispatcher } from "undici";
import { OcigraphError, isOcigraphError } from "../oci/errors.js";
import { PASSING_NETWORK_CODES, PASSING_STATUSES } from "../registry/errors.js";
import { safeRedirect } from "../registry/redirect.js";
import { readSmallFileSync } from "../util/small-file.js";

export interface TransportOptions {
  /** Skip TLS certificate verification (`--insecure`). */
  insecure?: boolean;
  /** Extra CA certificate file in PEM (`--ca-file`), trusted besides the system's. */
  caFile?: string;
  /** Retries for 408/429/5xx and connection errors; 0 means the default (4). */
  maxRetries?: number;
  /** First backoff delay in ms; doubles each retry; 0 means the default (300). */
  minRetryDelayMs?: number;
  /** Proxy variables (`HTTPS_PROXY`, `NO_PROXY`, ...); default `process.env`. */
  env?: NodeJS.ProcessEnv;
}

/** Two views of one connection pool. */
export interface Transport {
  /**
   * For registry requests: retries idempotent requests (honours `Retry-After`, resumes GETs with
   * `Range`) and follows redirects, dropping `Authorization` when one leaves the origin (ACR sends
   * blob GETs to storage).
   */
  registry: Dispatcher;
  /** For token and identity services: no retry of a spent POST, and never a redirect. */
  direct: Dispatcher;
  close(): Promise<void>;
}

/** The system's trusted roots plus the PEM in `caFile`: a private CA must not untrust public ones. */
function trustedCas(caFile: string): string[] {
  let pem: string;
  try {
    pem = readSmallFileSync(caFile, "the CA file");
  } catch (err) {
    if (isOcigraphError(err)) throw err; // a device, a FIFO, a file over 1 MiB
    throw new OcigraphError("INVALID_INPUT", `cannot read the CA file ${caFile}`, {
      cause: err,
      hint: "give --ca-file a readable PEM file",
    });
  }
  return [...tls.rootCertificates, pem];
}

export function createTransport(options: TransportOptions = {}): Transport {
  const connect = {
    rejectUnauthorized: !options.insecure,
    ...(options.caFile ? { ca: trustedCas(options.caFile) } : {}),
  };
  const env = options.env ?? process.env;
  const useProxy = Boolean(env.HTTPS_PROXY || env.https_proxy || env.HTTP_PROXY || env.http_proxy);
  const base: Dispatcher = useProxy
    ? new EnvHttpProxyAgent({
        connect,
        keepAliveTimeout: 30_000,
        ...(env.HTTPS_PROXY || env.https_proxy ? { httpsProxy: env.HTTPS_PROXY || env.https_proxy } : {}),
        ...(env.HTTP_PROXY || env.http_proxy ? { httpProxy: env.HTTP_PROXY || env.http_proxy } : {}),
        ...(env.NO_PROXY || env.no_proxy ? { noProxy: env.NO_PROXY || env.no_proxy } : {}),
      })
    : new Agent({ connect, keepAliveTimeout: 30_000, connections: 32 });
  const registry = base.compose(
    interceptors.retry({
      maxRetries: options.maxRetries || 4,
      minTimeout: options.minRetryDelayMs || 300,
      maxTimeout: 30_000,
      timeoutFactor: 2,
      retryAfter: true,
      throwOnError: false,
      methods: ["GET", "HEAD", "PUT", "DELETE"],
      statusCodes: PASSING_STATUSES,
      errorCodes: PASSING_NETWORK_CODES,
    }),
    // undici's redirect handler, refusing any hop from https to plain http.
    safeRedirect(5),
  );
  let closed: Promise<void> | undefined;
  return {
    registry,
    direct: base,
    close: () => (closed ??= base.close()),
  };
}
