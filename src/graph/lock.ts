/**
 * Locking a manifest, or a whole graph, through a registry's manifest metadata API (ACR's
 * `changeableAttributes`). What ACR does with a lock (its docs and its answers):
 * - `writeEnabled: false` refuses a push that overwrites the manifest (or a tag on it) and its
 *   delete; `deleteEnabled: false` refuses the delete only. Both refusals are HTTP 405 with
 *   `REGISTRY_DISALLOWED_OPERATION` ("The operation is disallowed on this registry, repository or
 *   image"; learn.microsoft.com/troubleshoot/azure/azure-container-registry, Azure/acr-cli#70).
 *   A delete stays refused while `writeEnabled` is false, whatever `deleteEnabled` says
 *   (Azure/acr#561).
 * - A lock is per manifest: tags have their own attributes. ACR's lock documentation speaks of
 *   overwriting and deleting the locked image and has no rule for manifests that refer to it; a
 *   referrer (signature, SBOM) is a new manifest, not a write to its subject, and ACR indexes it
 *   through its referrers API, so it can still be attached to a locked subject while the
 *   subject's bytes, tags and lock stay as they are. Only a repository-level lock refuses new
 *   manifests. Where referrers live in a fallback index instead, locking that index (lock -r)
 *   makes the next attach to its subject fail: the index is rewritten.
 */
import { OcigraphError } from "../oci/errors.js";
import type { Descriptor } from "../oci/manifest.js";
import { fallbackTag } from "../oci/referrers-index.js";
import {
  hasManifestMetadata,
  type ManifestAttributes,
  type ManifestMetadataApi,
  type Target,
} from "../oci/target.js";
import { limiter } from "../util/limit.js";
import { planDelete } from "./delete.js";
import { resolveIfTagged } from "./manifests.js";

export type LockRole = "subject" | "platform" | "referrer" | "fallback-index";

export interface LockItem {
  descriptor: Descriptor;
  role: LockRole;
}

export interface LockOptions {
  /** Keep `deleteEnabled` true (ACR still refuses deletes while writes are locked). */
  allowDelete?: boolean;
  /** Keep `writeEnabled` true. */
  allowWrite?: boolean;
  /** Read the current attributes, change nothing. */
  dryRun?: boolean;
  /** Parallel requests; 0 means the default (8). */
  concurrency?: number;
}

export interface LockOutcome extends LockItem {
  /** The attributes before (dry run) or after the change. */
  attributes: ManifestAttributes;
  /** False when the attributes already had the wanted values. */
  changed: boolean;
}

/** True when a delete (or an overwrite) of the manifest would be refused. */
export function isLocked(attributes: ManifestAttributes | undefined): boolean {
  return attributes?.writeEnabled === false || attributes?.deleteEnabled === false;
}

/** The target's manifest metadata API; UNSUPPORTED with one clear line when it has none. */
export async function lockApi(target: Target): Promise<ManifestMetadataApi> {
  const api = hasManifestMetadata(target) ? await target.manifestMetadata() : undefined;
  if (!api) {
    throw new OcigraphError(
      "UNSUPPORTED",
      `${target.name} has no manifest lock API; only Azure Container Registry supports locking`,
    );
  }
  return api;
}

/**
 * What `lock` covers: the manifest, or with `recursive` its graph: the subject, the platform
 * manifests of an index, every referrer at every depth, and each referrers fallback index
 * (`<alg>-<hex>` tag) that exists for any of them.
 */
export async function planLock(target: Target, selector: string, recursive: boolean): Promise<LockItem[]> {
  if (!recursive) return [{ descriptor: await target.resolve(selector), role: "subject" }];
  const plan = await planDelete(target, selector, true);
  const platforms = new Set(plan.children.map((c) => c.descriptor.digest));
  const items: LockItem[] = plan.order.map((descriptor) => ({
    descriptor,
    role:
      descriptor.digest === plan.root.digest
        ? "subject"
        : platforms.has(descriptor.digest)
          ? "platform"
          : "referrer",
  }));
  for (const index of await fallbackIndexes(target, plan.order))
    items.push({ descriptor: index, role: "fallback-index" });
  return items;
}

/**
 * The referrers fallback indexes (`<alg>-<hex>` tags) of these manifests that exist, on a target
 * that uses the tag schema; none elsewhere.
 */
export async function fallbackIndexes(
  target: Target,
  manifests: readonly Descriptor[],
): Promise<Descriptor[]> {
  if ((await target.referrersMode()) !== "tag-schema") return [];
  const limit = limiter(0, 8);
  const found = await Promise.all(
    manifests.map((m) => limit(() => resolveIfTagged(target, fallbackTag(m.digest)))),
  );
  const seen = new Set(manifests.map((m) => m.digest));
  return found.filter((d): d is Descriptor => {
    if (!d || seen.has(d.digest)) return false;
    seen.add(d.digest);
    return true;
  });
}

/** Locks (or unlocks) every item; with `dryRun`, reports the current attributes only. */
export async function applyLock(
  target: Target,
  items: readonly LockItem[],
  mode: "lock" | "unlock",
  options: LockOptions = {},
): Promise<LockOutcome[]> {
  const api = await lockApi(target);
  const wanted: ManifestAttributes =
    mode === "lock"
      ? { writeEnabled: Boolean(options.allowWrite), deleteEnabled: Boolean(options.allowDelete) }
      : { writeEnabled: true, deleteEnabled: true };
  const limit = limiter(options.concurrency, 8);
  return Promise.all(
    items.map((item) =>
      limit(async () => {
        const before = (await api.get(item.descriptor.digest)).attributes;
        const changed =
          before.writeEnabled !== wanted.writeEnabled || before.deleteEnabled !== wanted.deleteEnabled;
        if (options.dryRun || !changed) return { ...item, attributes: before, changed };
        const after = (await api.update(item.descriptor.digest, wanted)).attributes;
        return { ...item, attributes: after, changed };
      }),
    ),
  );
}

/**
 * The manifests among `descriptors` that the registry would refuse to delete; empty where the
 * target has no lock API (nothing can be locked there).
 */
export async function lockedAmong(target: Target, descriptors: readonly Descriptor[]): Promise<Descriptor[]> {
  const api = hasManifestMetadata(target) ? await target.manifestMetadata() : undefined;
  if (!api) return [];
  const attributes = new Map((await api.list()).map((r) => [r.digest, r.attributes]));
  return descriptors.filter((d) => isLocked(attributes.get(d.digest)));
}
