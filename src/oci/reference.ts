import { OcigraphError } from "./errors.js";
import { parseDigest } from "./digest.js";

/**
 * A registry reference: `host[:port]/path[:tag][@digest]`, validated with the grammar of
 * distribution/reference and normalised the way docker and oras do for Docker Hub.
 * https://github.com/opencontainers/distribution-spec/blob/v1.1.1/spec.md#pulling-manifests
 */
export interface Reference {
  /** Registry host as the user wrote it (`docker.io` for Docker Hub), with port if any. */
  registry: string;
  /** Repository path, e.g. `library/alpine`. */
  repository: string;
  tag?: string;
  digest?: string;
}

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const HOST =
  /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:]+\])(?::[0-9]{1,5})?$/;
const MAX_NAME_LENGTH = 255;

export const DOCKER_HUB = "docker.io";

function invalid(input: string, why: string): OcigraphError {
  // `user:pass@host/repo` is not a reference, but it may well hold a real password.
  const userinfo = /^(?:[a-z][a-z0-9+.-]*:\/\/)?([^/@\s]*:[^/@\s]*)@/i.exec(input)?.[1];
  const hide = (text: string): string => {
    if (!userinfo) return text;
    const secrets = [userinfo, userinfo.slice(userinfo.indexOf(":") + 1)].filter((p) => p.length > 0);
    return secrets.reduce((out, secret) => out.split(secret).join("***"), text);
  };
  return new OcigraphError("INVALID_INPUT", `invalid reference "${hide(input)}": ${hide(why)}`, {
    usage: true,
    hint: "write it as registry/repository[:tag][@digest], e.g. myregistry.azurecr.io/net-monitor:v1",
  });
}

function looksLikeHost(component: string): boolean {
  return (
    component.includes(".") || component.includes(":") || component === "localhost" || /[A-Z]/.test(component)
  );
}

export function isValidTag(tag: string): boolean {
  return TAG.test(tag);
}

/** Parses a reference. `requireRegistry` refuses Docker Hub short names (`alpine`). */
export function parseReference(input: string, options: { requireTagOrDigest?: boolean } = {}): Reference {
  const raw = input.trim();
  if (raw === "") throw invalid(input, "it is empty");
  let rest = raw;
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    try {
      parseDigest(digest);
    } catch (err) {
      throw invalid(input, (err as Error).message);
    }
  }
  let tag: string | undefined;
  const lastColon = rest.lastIndexOf(":");
  if (lastColon > rest.lastIndexOf("/")) {
    tag = rest.slice(lastColon + 1);
    rest = rest.slice(0, lastColon);
    if (!TAG.test(tag)) throw invalid(input, `"${tag}" is not a valid tag`);
  }
  const parts = rest.split("/");
  let registry = DOCKER_HUB;
  if (parts.length > 1 && looksLikeHost(parts[0] as string)) {
    registry = parts.shift() as string;
    if (!HOST.test(registry)) throw invalid(input, `"${registry}" is not a valid registry host`);
  }
  if (registry === "index.docker.io" || registry === "registry-1.docker.io") registry = DOCKER_HUB;
  if (registry === DOCKER_HUB && parts.length === 1) parts.unshift("library");
  for (const part of parts) {
    if (!PATH_COMPONENT.test(part)) {
      throw invalid(
        input,
        `repository "${parts.join("/")}" must be lowercase letters, digits and separators`,
      );
    }
  }
  const repository = parts.join("/");
  if (repository.length + registry.length + 1 > MAX_NAME_LENGTH) throw invalid(input, "name is too long");
  if (options.requireTagOrDigest && !tag && !digest) {
    throw invalid(input, "it needs a tag or a digest");
  }
  return { registry, repository, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}

/** The host to talk to: Docker Hub's API lives on registry-1.docker.io. */
export function apiHost(ref: Pick<Reference, "registry">): string {
  return ref.registry === DOCKER_HUB ? "registry-1.docker.io" : ref.registry;
}

/** `tag` or `digest` (digest wins), what a manifest URL ends in. */
export function referenceSelector(ref: Reference): string | undefined {
  return ref.digest ?? ref.tag;
}

export function formatReference(ref: Reference): string {
  let s = `${ref.registry}/${ref.repository}`;
  if (ref.tag) s += `:${ref.tag}`;
  if (ref.digest) s += `@${ref.digest}`;
  return s;
}

/** The same repository at another selector. */
export function withDigest(ref: Reference, digest: string): Reference {
  return { registry: ref.registry, repository: ref.repository, digest };
}

/**
 * An OCI layout reference: `<path>[:tag|@digest]`. A colon is a tag separator only when
 * what follows is a valid tag and contains no path separator.
 */
export interface LayoutReference {
  path: string;
  tag?: string;
  digest?: string;
}

export function parseLayoutReference(input: string): LayoutReference {
  let rest = input.trim();
  if (rest === "") throw new OcigraphError("INVALID_INPUT", "the OCI layout path is empty", { usage: true });
  let digest: string | undefined;
  const at = rest.lastIndexOf("@");
  if (at > 0) {
    const candidate = rest.slice(at + 1);
    // `dir@2/layout:v1` is a path with a tag, not a digest: a digest holds no path separator.
    if (candidate.includes(":") && !/[\\/]/.test(candidate)) {
      parseDigest(candidate);
      digest = candidate;
      rest = rest.slice(0, at);
    }
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(":");
  // `\` counts as a separator too (no tag holds one), so `C:\layouts\app` stays a path.
  if (!digest && colon > 0 && !/[\\/]/.test(rest.slice(colon + 1))) {
    const candidate = rest.slice(colon + 1);
    if (!TAG.test(candidate)) {
      throw new OcigraphError(
        "INVALID_INPUT",
        `invalid reference "${input}": "${candidate}" is not a valid tag`,
        { usage: true },
      );
    }
    tag = candidate;
    rest = rest.slice(0, colon);
  }
  return { path: rest, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}
