import { createRequire as __ocigraphRequire } from "node:module"; import { fileURLToPath as __ocigraphPath } from "node:url"; import { dirname as __ocigraphDir } from "node:path"; const require = __ocigraphRequire(import.meta.url); const __filename = __ocigraphPath(import.meta.url); const __dirname = __ocigraphDir(__filename);
import {
  planDelete
} from "./chunk-MAQBXL5U.mjs";
import {
  resolveIfTagged
} from "./chunk-P5MH55NN.mjs";
import {
  fallbackTag
} from "./chunk-GK4QK3RS.mjs";
import {
  hasManifestMetadata
} from "./chunk-72SBY5LG.mjs";
import {
  limiter
} from "./chunk-JFBLHQF4.mjs";
import {
  OcigraphError
} from "./chunk-N65ZBPAW.mjs";

// src/graph/lock.ts
function isLocked(attributes) {
  return attributes?.writeEnabled === false || attributes?.deleteEnabled === false;
}
async function lockApi(target) {
  const api = hasManifestMetadata(target) ? await target.manifestMetadata() : void 0;
  if (!api) {
    throw new OcigraphError(
      "UNSUPPORTED",
      `${target.name} has no manifest lock API; only Azure Container Registry supports locking`
    );
  }
  return api;
}
async function planLock(target, selector, recursive) {
  if (!recursive) return [{ descriptor: await target.resolve(selector), role: "subject" }];
  const plan = await planDelete(target, selector, true);
  const platforms = new Set(plan.children.map((c) => c.descriptor.digest));
  const items = plan.order.map((descriptor) => ({
    descriptor,
    role: descriptor.digest === plan.root.digest ? "subject" : platforms.has(descriptor.digest) ? "platform" : "referrer"
  }));
  for (const index of await fallbackIndexes(target, plan.order))
    items.push({ descriptor: index, role: "fallback-index" });
  return items;
}
async function fallbackIndexes(target, manifests) {
  if (await target.referrersMode() !== "tag-schema") return [];
  const limit = limiter(0, 8);
  const found = await Promise.all(
    manifests.map((m) => limit(() => resolveIfTagged(target, fallbackTag(m.digest))))
  );
  const seen = new Set(manifests.map((m) => m.digest));
  return found.filter((d) => {
    if (!d || seen.has(d.digest)) return false;
    seen.add(d.digest);
    return true;
  });
}
async function applyLock(target, items, mode, options = {}) {
  const api = await lockApi(target);
  const wanted = mode === "lock" ? { writeEnabled: Boolean(options.allowWrite), deleteEnabled: Boolean(options.allowDelete) } : { writeEnabled: true, deleteEnabled: true };
  const limit = limiter(options.concurrency, 8);
  return Promise.all(
    items.map(
      (item) => limit(async () => {
        const before = (await api.get(item.descriptor.digest)).attributes;
        const changed = before.writeEnabled !== wanted.writeEnabled || before.deleteEnabled !== wanted.deleteEnabled;
        if (options.dryRun || !changed) return { ...item, attributes: before, changed };
        const after = (await api.update(item.descriptor.digest, wanted)).attributes;
        return { ...item, attributes: after, changed };
      })
    )
  );
}
async function lockedAmong(target, descriptors) {
  const api = hasManifestMetadata(target) ? await target.manifestMetadata() : void 0;
  if (!api) return [];
  const attributes = new Map((await api.list()).map((r) => [r.digest, r.attributes]));
  return descriptors.filter((d) => isLocked(attributes.get(d.digest)));
}

export {
  isLocked,
  lockApi,
  planLock,
  fallbackIndexes,
  applyLock,
  lockedAmong
};
