import type { RegistryClient, RegistryResponse } from "./client.js";
import { readRegistryErrors, refusedError, registryError } from "./errors.js";
import { repositoryScope } from "../auth/scope.js";
import type { OcigraphError } from "../oci/errors.js";

/** What every per-concern module (blobs, manifests, tags, referrers) needs about one repository. */
export interface RepositoryContext {
  client: RegistryClient;
  repository: string;
  /** `host/repository`, for messages. */
  name: string;
  /** Chunk size for PATCH uploads; 0 means monolithic (POST then PUT). */
  chunkSize: number;
  /** What this repository's registry showed it supports, learnt while uploading. */
  uploads: UploadSupport;
}

/** Learnt once per target: undefined until the first answer says. */
export interface UploadSupport {
  /** The registry stores a blob sent whole in the POST (`?digest=`) instead of opening a session. */
  singlePost: boolean | undefined;
}

export function pullScope(ctx: RepositoryContext): string[] {
  return [repositoryScope(ctx.repository, ["pull"])];
}

export function pushScope(ctx: RepositoryContext): string[] {
  return [repositoryScope(ctx.repository, ["pull", "push"])];
}

export function deleteScope(ctx: RepositoryContext): string[] {
  return [repositoryScope(ctx.repository, ["delete"])];
}

export function v2Path(ctx: RepositoryContext, suffix: string): string {
  return `/v2/${ctx.repository}/${suffix}`;
}

/** Reads the error body and builds the error for an unexpected answer. */
export async function unexpected(res: RegistryResponse, what: string, hint?: string): Promise<OcigraphError> {
  const errors = await readRegistryErrors(res.body);
  // A registry may echo the credentials it was sent (Basic header, password, token).
  const redacted = errors.map((e) =>
    e.message === undefined ? e : { ...e, message: res.redact(e.message) },
  );
  if ((res.status === 401 || res.status === 403) && res.auth && hint === undefined)
    return refusedError(what, res.status, res.url.host, redacted, res.auth);
  return registryError(what, res.status, redacted, hint);
}
