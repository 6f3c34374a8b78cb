/**
 * The composition root: from a command's references and its connection settings to opened Targets.
 * One transport per command, one registry client per host (and side), each with the credentials the
 * table in `credentials.ts` gives its host.
 */
import type { Credential, CredentialProvider } from "../auth/credential.js";
import { LayoutTarget } from "../layout/layout-target.js";
import { OcigraphError } from "../oci/errors.js";
import { apiHost, parseLayoutReference, parseReference, referenceSelector } from "../oci/reference.js";
import type { Target } from "../oci/target.js";
import { RegistryClient } from "../registry/client.js";
import { RemoteTarget } from "../registry/repository.js";
import {
  credentialProvider,
  credentialSources,
  dockerConfigs,
  sourceName,
  type CredentialParts,
} from "./credentials.js";
import { entraProvider } from "./entra.js";
import type { ConnectionSettings, Side } from "./settings.js";
import { createTransport, type Transport } from "./transport.js";

export interface OpenedTarget {
  target: Target;
  /** Tag or digest from the reference, if any. */
  selector: string | undefined;
  /** The reference as the user should read it back. */
  display: string;
}

export interface OpenMode {
  /** Create an OCI layout that does not exist yet. */
  create: boolean;
  /** The reference must carry a tag or a digest. */
  needSelector: boolean;
  /** Which side of a copy the reference is (its `--from-*` / `--to-*` settings apply). */
  side?: Side;
}

/** How a factory differs for `login`'s check. */
export interface FactoryOptions {
  /** Read the docker config for credentials. Default true. */
  dockerConfig?: boolean;
  /** Told each credential a host's chain answers (login saves the one that worked). */
  onCredential?: (host: string, credential: Credential) => void;
}

/**
 * Opens the Targets the references of one command name. Everything it opens shares one transport
 * (keep-alive connections, CA, proxy, TLS); `close` ends it.
 */
export class TargetFactory {
  private transportValue: Transport | undefined;
  private parts: CredentialParts | undefined;
  private readonly clients = new Map<string, RegistryClient>();

  constructor(
    readonly settings: ConnectionSettings,
    private readonly options: FactoryOptions = {},
  ) {}

  /** The run's transport, built on first use. */
  get transport(): Transport {
    this.transportValue ??= createTransport({
      ...(this.settings.insecure ? { insecure: true } : {}),
      ...(this.settings.caFile ? { caFile: this.settings.caFile } : {}),
      ...(this.settings.knobs?.maxRetries ? { maxRetries: this.settings.knobs.maxRetries } : {}),
      ...(this.settings.knobs?.retryDelayMs ? { minRetryDelayMs: this.settings.knobs.retryDelayMs } : {}),
      ...(this.settings.env ? { env: this.settings.env } : {}),
    });
    return this.transportValue;
  }

  async open(reference: string, mode: OpenMode): Promise<OpenedTarget> {
    const side = mode.side ? this.settings[mode.side] : undefined;
    if (side?.ociLayout ?? this.settings.ociLayout) {
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
    const target = new RemoteTarget(this.client(apiHost(ref), mode.side), ref.repository, {
      chunkSize: this.settings.chunkSize ?? 0,
      ...(this.settings.warn ? { onWarning: this.settings.warn } : {}),
      ...this.settings.fallback,
    });
    return { target, selector: referenceSelector(ref), display: reference };
  }

  /** Whether `host` is reached over plain http (on `side`, or on any side for the exchange). */
  private plainHttp(side?: Side): boolean {
    return Boolean((side ? this.settings[side]?.plainHttp : undefined) ?? this.settings.plainHttp);
  }

  /** The credential chain the table gives `host` on `side`. */
  private credentials(host: string, side?: Side): CredentialProvider {
    this.parts ??= {
      dockerConfig:
        this.options.dockerConfig === false ? () => async () => undefined : dockerConfigs(this.settings.env),
      ...this.entraPart(),
    };
    const chain = credentialProvider(host, this.settings, this.parts, side);
    const observe = this.options.onCredential;
    if (!observe) return chain;
    const observed: CredentialProvider = async (h, challenge) => {
      const credential = await chain(h, challenge);
      if (credential) observe(h, credential);
      return credential;
    };
    if (chain.refused) observed.refused = chain.refused;
    return observed;
  }

  private entraPart(): Pick<CredentialParts, "entra"> {
    // The exchange goes where the registry client of that host goes: plain http only for a host
    // some side of the command reaches over plain http (test registries).
    const plain = (host: string): boolean =>
      [...this.clients.entries()].some(
        ([key, c]) => key.endsWith(`|${host}`) && c.origin.startsWith("http:"),
      );
    const entra = entraProvider(this.settings, this.transport, plain);
    return entra ? { entra } : {};
  }

  /** The registry client for `host` on `side`: one per host and side, sharing the transport. */
  client(host: string, side?: Side): RegistryClient {
    const key = `${side ?? ""}|${host}`;
    let client = this.clients.get(key);
    if (!client) {
      const plainHttp = this.plainHttp(side);
      client = new RegistryClient({
        host,
        dispatcher: this.transport.registry,
        credentials: this.credentials(host, side),
        credentialSources: credentialSources(host, this.settings, side).map((s) =>
          sourceName(s, this.settings, side),
        ),
        ...(plainHttp ? { plainHttp: true } : {}),
        ...(this.settings.trace ? { trace: this.settings.trace } : {}),
        ...(this.settings.knobs?.timeoutMs ? { timeoutMs: this.settings.knobs.timeoutMs } : {}),
        ...(this.settings.crossHostRealm === false ? { crossHostRealm: false } : {}),
        ...(this.settings.warn ? { onWarning: this.settings.warn } : {}),
      });
      this.clients.set(key, client);
    }
    return client;
  }

  async close(): Promise<void> {
    await this.transportValue?.close();
  }
}
