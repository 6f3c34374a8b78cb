import { OcigraphError, toOcigraphError } from "../oci/errors.js";
import { type Descriptor, isIndex } from "../oci/manifest.js";
import { canUntag, type Target } from "../oci/target.js";
import { discover, type ReferrerNode } from "./discover.js";
import { WalkBudget } from "./walk.js";

export interface DeletePlan {
  root: Descriptor;
  /** Referrers graph below the root (and below each platform manifest of an index root). */
  referrers: ReferrerNode[];
  /** Platform manifests of an index root, deleted after it. */
  children: ReferrerNode[];
  /** Every manifest, in the order it will go: leaves first, the root, then its children. */
  order: Descriptor[];
}

/**
 * Works out what `delete` removes: with `recursive`, the whole referrers graph, in one bounded
 * walk (one visited set and node cap for the root and every platform manifest). Only referrers
 * whose own subject is the node they are listed under are planned: a forged fallback index
 * entry naming another image is ignored (the target warns), never deleted.
 */
export async function planDelete(
  target: Target,
  selector: string,
  recursive: boolean,
  options: { maxNodes?: number } = {},
): Promise<DeletePlan> {
  const root = await target.resolve(selector);
  const budget = new WalkBudget(options.maxNodes);
  const referrers = recursive ? await discover(target, root, { budget }) : [];
  const children: ReferrerNode[] = [];
  if (recursive) {
    const { manifest } = await target.fetchManifest(root);
    if (isIndex(manifest)) {
      for (const child of manifest.manifests) {
        children.push({ descriptor: child, referrers: await discover(target, child, { budget }) });
      }
    }
  }
  const leavesFirst = (nodes: readonly ReferrerNode[]): Descriptor[] =>
    nodes.flatMap((n) => (n.repeat ? [] : [...leavesFirst(n.referrers), n.descriptor]));
  // A node reachable along two paths (or a referrer that is also a child) goes once, at its
  // first place in leaves-first order, which is before every subject it refers to.
  const order = uniqueByDigest([
    ...leavesFirst(referrers),
    ...children.flatMap((c) => leavesFirst(c.referrers)),
    root,
    ...children.map((c) => c.descriptor),
  ]);
  return { root, referrers, children, order };
}

function uniqueByDigest(list: readonly Descriptor[]): Descriptor[] {
  return [...new Map(list.map((d) => [d.digest, d])).values()];
}

/**
 * Deletes in plan order, siblings in parallel, each level after the one below it. The target
 * removes each referrer from its subject's fallback index (and drops an emptied index tag).
 * If the registry refuses, the error lists what remains.
 */
export async function executeDelete(target: Target, plan: DeletePlan, tag?: string): Promise<Descriptor[]> {
  const deleted: Descriptor[] = [];
  // One deletion per digest, however many places the plan lists it in.
  const started = new Map<string, Promise<void>>();
  const remove = (descriptor: Descriptor): Promise<void> => {
    let pending = started.get(descriptor.digest);
    if (!pending) {
      pending = (async () => {
        try {
          await target.deleteManifest(descriptor);
        } catch (err) {
          if ((err as { code?: string }).code !== "NOT_FOUND") throw err;
        }
        deleted.push(descriptor);
      })();
      started.set(descriptor.digest, pending);
    }
    return pending;
  };
  const removeTree = async (nodes: readonly ReferrerNode[]): Promise<void> => {
    await Promise.all(
      nodes.map(async (node) => {
        // The root (or a child) met again below itself in a cycle is deleted in its own turn.
        if (node.repeat || node.descriptor.digest === plan.root.digest) return;
        await removeTree(node.referrers);
        if (!plan.children.some((c) => c.descriptor.digest === node.descriptor.digest)) {
          await remove(node.descriptor);
        }
      }),
    );
  };
  try {
    await removeTree(plan.referrers);
    await Promise.all(plan.children.map((c) => removeTree(c.referrers)));
    await remove(plan.root);
    if (tag && canUntag(target) && (await stillTagged(target, tag))) await target.untag(tag);
    await Promise.all(plan.children.map((c) => remove(c.descriptor)));
  } catch (err) {
    const cause = toOcigraphError(err);
    const gone = new Set(deleted.map((d) => d.digest));
    const remaining = plan.order.filter((d) => !gone.has(d.digest));
    throw new OcigraphError(
      cause.code,
      `${target.name}: ${cause.message}; ${remaining.length} of ${plan.order.length} manifests remain: ${remaining
        .map((d) => d.digest)
        .join(", ")}`,
      { cause, ...(cause.hint ? { hint: cause.hint } : {}) },
    );
  }
  return deleted;
}

async function stillTagged(target: Target, tag: string): Promise<boolean> {
  try {
    await target.resolve(tag);
    return true;
  } catch (err) {
    if ((err as { code?: string }).code === "NOT_FOUND") return false;
    throw err;
  }
}
