import type { Descriptor } from "../oci/manifest.js";
import type { Target } from "../oci/target.js";
import { limiter, type Limiter } from "../util/limit.js";

export interface ReferrerNode {
  descriptor: Descriptor;
  referrers: ReferrerNode[];
}

export interface DiscoverOptions {
  /** Only referrers of these artifact types, at every level (all when empty). */
  artifactTypes?: readonly string[];
  /** Levels to walk; 0 or unset means all. */
  depth?: number;
  /** Parallel referrers listings; 0 means the default (8). */
  concurrency?: number;
}

/**
 * Walks the referrers graph below `subject`, listing sibling branches concurrently.
 * A node seen twice on one path (a cycle a hostile registry could serve) is not walked again.
 */
export async function discover(
  target: Target,
  subject: Descriptor,
  options: DiscoverOptions = {},
): Promise<ReferrerNode[]> {
  const limit = limiter(options.concurrency, 8);
  const maxDepth = options.depth && options.depth > 0 ? options.depth : Number.POSITIVE_INFINITY;
  return walk(target, subject, 1, maxDepth, new Set([subject.digest]), limit, options.artifactTypes);
}

async function walk(
  target: Target,
  subject: Descriptor,
  level: number,
  maxDepth: number,
  path: ReadonlySet<string>,
  limit: Limiter,
  artifactTypes: readonly string[] | undefined,
): Promise<ReferrerNode[]> {
  const found = await limit(() => target.referrers(subject, artifactTypes?.length ? { artifactTypes } : {}));
  const unique = [...new Map(found.map((d) => [d.digest, d])).values()].filter((d) => !path.has(d.digest));
  unique.sort(byCreatedThenDigest);
  return Promise.all(
    unique.map(async (descriptor) => ({
      descriptor,
      referrers:
        level < maxDepth
          ? await walk(
              target,
              descriptor,
              level + 1,
              maxDepth,
              new Set([...path, descriptor.digest]),
              limit,
              artifactTypes,
            )
          : [],
    })),
  );
}

/** Oldest first (as attached), so output is stable whatever order the registry lists. */
function byCreatedThenDigest(a: Descriptor, b: Descriptor): number {
  const ca = a.annotations?.["org.opencontainers.image.created"] ?? "";
  const cb = b.annotations?.["org.opencontainers.image.created"] ?? "";
  if (ca !== cb) return ca < cb ? -1 : 1;
  return a.digest < b.digest ? -1 : a.digest > b.digest ? 1 : 0;
}

/** Counts the nodes of a discovered graph. */
export function countNodes(nodes: readonly ReferrerNode[]): number {
  return nodes.reduce((n, node) => n + 1 + countNodes(node.referrers), 0);
}
