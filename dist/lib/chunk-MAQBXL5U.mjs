import { createRequire as __ocigraphRequire } from "node:module"; import { fileURLToPath as __ocigraphPath } from "node:url"; import { dirname as __ocigraphDir } from "node:path"; const require = __ocigraphRequire(import.meta.url); const __filename = __ocigraphPath(import.meta.url); const __dirname = __ocigraphDir(__filename);
import {
  discover
} from "./chunk-VHBNKKFC.mjs";
import {
  WalkBudget
} from "./chunk-P5BZIH3A.mjs";
import {
  canUntag
} from "./chunk-72SBY5LG.mjs";
import {
  isIndex
} from "./chunk-GS7PIS4O.mjs";
import {
  OcigraphError,
  toOcigraphError
} from "./chunk-N65ZBPAW.mjs";

// src/graph/delete.ts
async function planDelete(target, selector, recursive, options = {}) {
  const root = await target.resolve(selector);
  const budget = new WalkBudget(options.maxNodes);
  const referrers = recursive ? await discover(target, root, { budget }) : [];
  const children = [];
  if (recursive) {
    const { manifest } = await target.fetchManifest(root);
    if (isIndex(manifest)) {
      for (const child of manifest.manifests) {
        children.push({ descriptor: child, referrers: await discover(target, child, { budget }) });
      }
    }
  }
  const leavesFirst = (nodes) => nodes.flatMap((n) => n.repeat ? [] : [...leavesFirst(n.referrers), n.descriptor]);
  const order = uniqueByDigest([
    ...leavesFirst(referrers),
    ...children.flatMap((c) => leavesFirst(c.referrers)),
    root,
    ...children.map((c) => c.descriptor)
  ]);
  return { root, referrers, children, order };
}
function uniqueByDigest(list) {
  return [...new Map(list.map((d) => [d.digest, d])).values()];
}
async function executeDelete(target, plan, tag) {
  const deleted = [];
  const started = /* @__PURE__ */ new Map();
  const remove = (descriptor) => {
    let pending = started.get(descriptor.digest);
    if (!pending) {
      pending = (async () => {
        try {
          await target.deleteManifest(descriptor);
        } catch (err) {
          if (err.code !== "NOT_FOUND") throw err;
        }
        deleted.push(descriptor);
      })();
      started.set(descriptor.digest, pending);
    }
    return pending;
  };
  const removeTree = async (nodes) => {
    await Promise.all(
      nodes.map(async (node) => {
        if (node.repeat || node.descriptor.digest === plan.root.digest) return;
        await removeTree(node.referrers);
        if (!plan.children.some((c) => c.descriptor.digest === node.descriptor.digest)) {
          await remove(node.descriptor);
        }
      })
    );
  };
  try {
    await removeTree(plan.referrers);
    await Promise.all(plan.children.map((c) => removeTree(c.referrers)));
    await remove(plan.root);
    if (tag && canUntag(target) && await stillTagged(target, tag)) await target.untag(tag);
    await Promise.all(plan.children.map((c) => remove(c.descriptor)));
  } catch (err) {
    const cause = toOcigraphError(err);
    const gone = new Set(deleted.map((d) => d.digest));
    const remaining = plan.order.filter((d) => !gone.has(d.digest));
    throw new OcigraphError(
      cause.code,
      `${target.name}: ${cause.message}; ${remaining.length} of ${plan.order.length} manifests remain: ${remaining.map((d) => d.digest).join(", ")}`,
      { cause, ...cause.hint ? { hint: cause.hint } : {} }
    );
  }
  return deleted;
}
async function stillTagged(target, tag) {
  try {
    await target.resolve(tag);
    return true;
  } catch (err) {
    if (err.code === "NOT_FOUND") return false;
    throw err;
  }
}

export {
  planDelete,
  executeDelete
};
