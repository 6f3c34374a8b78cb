import type { ReferrerNode } from "../oci/graph-results.js";
import type { Descriptor } from "../oci/manifest.js";
import type { Target } from "../oci/target.js";
import { limiter, type Limiter } from "../util/limit.js";
import { WalkBudget } from "./walk.js";

export type { ReferrerNode };

export interface DiscoverOptions {
  /** Only referrers of these artifact types, at every level (all when empty). */
  artifactTypes?: readonly string[];
  /** Levels to walk; 0 or unset means all. */
  depth?: number;
  /** Parallel referrers listings; 0 means the default (8). */
  concurrency?: number;
  /** Total nodes the walk may visit; 0 or unset means the default (10,000). Ignored with `budget`. */
  maxNodes?: number;
  /** Share one visited set and cap between several walks of one command (delete, copy). */
  budget?: WalkBudget;
}

/**
 * Walks the referrers graph below `subject`, listing sibling branches concurrently. One visited
 * set for the whole walk: each node is listed once; a node named again is a `repeat`. Passing
 * the node cap is a TOO_LARGE error, so a hostile mesh costs seconds, not hours.
 */
export async function discover(
  target: Target,
  subject: Descriptor,
  options: DiscoverOptions = {},
): Promise<ReferrerNode[]> {
  const budget = options.budget ?? new WalkBudget(options.maxNodes);
  const walker: Walker = {
    target,
    limit: limiter(options.concurrency, 8),
    maxDepth: options.depth && options.depth > 0 ? options.depth : Number.POSITIVE_INFINITY,
    artifactTypes: options.artifactTypes?.length ? options.artifactTypes : undefined,
    budget,
    where: `${target.name}@${subject.digest}`,
  };
  budget.visit(subject.digest, walker.where);
  return walk(walker, subject, 1);
}

interface Walker {
  target: Target;
  limit: Limiter;
  maxDepth: number;
  artifactTypes: readonly string[] | undefined;
  budget: WalkBudget;
  where: string;
}

async function walk(w: Walker, subject: Descriptor, level: number): Promise<ReferrerNode[]> {
  const found = await w.limit(() =>
    w.target.referrers(subject, {
      ...(w.artifactTypes ? { artifactTypes: w.artifactTypes } : {}),
      // +1 so a listing that alone passes the cap is still reported by the cap's own error
      limit: w.budget.remaining + 1,
      // what this listing names is walked next, unless this is the last level
      ahead: level < w.maxDepth,
    }),
  );
  const unique = [...new Map(found.map((d) => [d.digest, d])).values()];
  unique.sort(byCreatedThenDigest);
  // Decide visits before any await, so concurrent branches never both walk one node.
  const nodes = unique.map((descriptor) => ({
    descriptor,
    fresh: w.budget.visit(descriptor.digest, w.where),
  }));
  return Promise.all(
    nodes.map(async ({ descriptor, fresh }): Promise<ReferrerNode> => {
      if (!fresh) return { descriptor, referrers: [], repeat: true };
      return {
        descriptor,
        referrers: level < w.maxDepth ? await walk(w, descriptor, level + 1) : [],
      };
    }),
  );
}

/** Oldest first (as attached), so output is stable whatever order the registry lists. */
function byCreatedThenDigest(a: Descriptor, b: Descriptor): number {
  const ca = a.annotations?.["org.opencontainers.image.created"] ?? "";
  const cb = b.annotations?.["org.opencontainers.image.created"] ?? "";
  if (ca !== cb) return ca < cb ? -1 : 1;
  return a.digest < b.digest ? -1 : a.digest > b.digest ? 1 : 0;
}

/** Counts the nodes of a discovered graph (repeats included, as shown). */
export function countNodes(nodes: readonly ReferrerNode[]): number {
  return nodes.reduce((n, node) => n + 1 + countNodes(node.referrers), 0);
}

/** Every distinct node of a discovered graph, each once (repeats left out), leaves last. */
export function uniqueNodes(nodes: readonly ReferrerNode[]): ReferrerNode[] {
  return nodes.flatMap((n) => (n.repeat ? [] : [n, ...uniqueNodes(n.referrers)]));
}
