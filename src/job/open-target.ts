import { chainProviders, type CredentialProvider } from "../auth/credential.js";
import { dockerConfigProvider } from "../auth/docker-config.js";
import { OcigraphError } from "../oci/errors.js";
import { apiHost, parseLayoutReference, parseReference, referenceSelector } from "../oci/reference.js";
import type { Target } from "../oci/target.js";
import { LayoutTarget } from "../layout/layout-target.js";
import { RegistryClient } from "../registry/client.js";
import { RemoteTarget } from "../registry/repository.js";
import { createTransport } from "../registry/transport.js";
import type { Dispatcher } from "undici";

/** How to reach and authenticate to targets; what every front end collects from its inputs. */
export interface ConnectionOptions {
  /** The reference is an OCI image layout path (`<path>[:tag|@digest]`). */
  ociLayout?: boolean;
  plainHttp?: boolean;
  insecure?: boolean;
  caFile?: string;
  username?: string;
  password?: string;
  /** Docker config file to read credentials from (default: $DOCKER_CONFIG or ~/.docker). */
  registryConfig?: string;
  /** Extra credential source tried first (Entra ID, a CI service connection). */
  credentials?: CredentialProvider;
  /** One line per HTTP request/response, secrets redacted. */
  trace?: (line: string) => void;
  /** PATCH chunk size for uploads; 0 = one PUT. */
  chunkSize?: number;
}

export interface OpenedTarget {
  target: Target;
  /** Tag or digest from the reference, if any. */
  selector: string | undefined;
  /** The reference as the user should read it back. */
  display: string;
}

/**
 * Opens the Target a reference names. Keeps one transport per process so that all targets
 * share keep-alive connections.
 */
export class TargetFactory {
  private transport: Dispatcher | undefined;
  private readonly clients = new Map<string, RegistryClient>();

  constructor(private readonly options: ConnectionOptions) {}

  async open(reference: string, mode: { create: boolean; needSelector: boolean }): Promise<OpenedTarget> {
    if (this.options.ociLayout) {
      const ref = parseLayoutReference(reference);
      const selector = ref.digest ?? ref.tag;
      if (mode.needSelector && !selector) {
        throw new OcigraphError(
          "INVALID_INPUT",
          `"${reference}" needs a tag or digest (<path>:<tag> or <path>@<digest>)`,
        );
      }
      const target = await LayoutTarget.open(ref.path, { create: mode.create });
      return { target, selector, display: reference };
    }
    const ref = parseReference(reference, { requireTagOrDigest: mode.needSelector });
    const host = apiHost(ref);
    const target = new RemoteTarget(this.client(host), ref.repository, {
      chunkSize: this.options.chunkSize ?? 0,
    });
    return { target, selector: referenceSelector(ref), display: reference };
  }

  private client(host: string): RegistryClient {
    let client = this.clients.get(host);
    if (!client) {
      this.transport ??= createTransport({
        ...(this.options.insecure ? { insecure: true } : {}),
        ...(this.options.caFile ? { caFile: this.options.caFile } : {}),
        ...retryTuning(),
      });
      client = new RegistryClient({
        host,
        dispatcher: this.transport,
        credentials: this.credentialProvider(),
        ...(this.options.plainHttp ? { plainHttp: true } : {}),
        ...(this.options.trace ? { trace: this.options.trace } : {}),
        ...timeoutTuning(),
      });
      this.clients.set(host, client);
    }
    return client;
  }

  private credentialProvider(): CredentialProvider {
    const providers: CredentialProvider[] = [];
    if (this.options.credentials) providers.push(this.options.credentials);
    if (this.options.username !== undefined || this.options.password !== undefined) {
      if (!this.options.username || this.options.password === undefined) {
        throw new OcigraphError("INVALID_INPUT", "give both --username and --password (or --password-stdin)");
      }
      const explicit = { username: this.options.username, password: this.options.password };
      providers.push(async () => explicit);
    }
    providers.push(
      remembered(
        dockerConfigProvider(this.options.registryConfig ? { path: this.options.registryConfig } : {}),
      ),
    );
    return chainProviders(...providers);
  }

  async close(): Promise<void> {
    await this.transport?.close();
  }
}

/**
 * The docker config does not change during a run, but the registry client asks its provider at
 * every token fetch (so that an expiring ACR token can be renewed): answer each host once, so a
 * credential helper is spawned once per host, not once per token.
 */
function remembered(provider: CredentialProvider): CredentialProvider {
  const answers = new Map<string, ReturnType<CredentialProvider>>();
  return (host) => {
    let answer = answers.get(host);
    if (!answer) {
      answer = provider(host);
      answers.set(host, answer);
      answer.catch(() => answers.delete(host));
    }
    return answer;
  };
}

/** Test and CI hook: OCIGRAPH_MAX_RETRIES / OCIGRAPH_RETRY_DELAY_MS tune the retry budget. */
function retryTuning(): { maxRetries?: number; minRetryDelayMs?: number } {
  const maxRetries = Number(process.env.OCIGRAPH_MAX_RETRIES);
  const delay = Number(process.env.OCIGRAPH_RETRY_DELAY_MS);
  return {
    ...(Number.isFinite(maxRetries) && maxRetries > 0 ? { maxRetries } : {}),
    ...(Number.isFinite(delay) && delay > 0 ? { minRetryDelayMs: delay } : {}),
  };
}

/**
 * Test and CI hook: OCIGRAPH_TIMEOUT_MS sets the per-request headers and idle-body timeout
 * (default 60 s), so the reliability tests can prove a stalled registry fails in seconds.
 */
function timeoutTuning(): { timeoutMs?: number } {
  const timeoutMs = Number(process.env.OCIGRAPH_TIMEOUT_MS);
  return Number.isFinite(timeoutMs) && timeoutMs > 0 ? { timeoutMs } : {};
}
