import { createRequire as __ocigraphRequire } from "node:module"; import { fileURLToPath as __ocigraphPath } from "node:url"; import { dirname as __ocigraphDir } from "node:path"; const require = __ocigraphRequire(import.meta.url); const __filename = __ocigraphPath(import.meta.url); const __dirname = __ocigraphDir(__filename);
import {
  WalkBudget
} from "./chunk-P5BZIH3A.mjs";
import {
  limiter
} from "./chunk-JFBLHQF4.mjs";

// src/graph/discover.ts
async function discover(target, subject, options = {}) {
  const budget = options.budget ?? new WalkBudget(options.maxNodes);
  const walker = {
    target,
    limit: limiter(options.concurrency, 8),
    maxDepth: options.depth && options.depth > 0 ? options.depth : Number.POSITIVE_INFINITY,
    artifactTypes: options.artifactTypes?.length ? options.artifactTypes : void 0,
    budget,
    where: `${target.name}@${subject.digest}`
  };
  budget.visit(subject.digest, walker.where);
  return walk(walker, subject, 1);
}
async function walk(w, subject, level) {
  const found = await w.limit(
    () => w.target.referrers(subject, {
      ...w.artifactTypes ? { artifactTypes: w.artifactTypes } : {},
      // +1 so a listing that alone passes the cap is still reported by the cap's own error
      limit: w.budget.remaining + 1,
      // what this listing names is walked next, unless this is the last level
      ahead: level < w.maxDepth
    })
  );
  const unique = [...new Map(found.map((d) => [d.digest, d])).values()];
  unique.sort(byCreatedThenDigest);
  const nodes = unique.map((descriptor) => ({
    descriptor,
    fresh: w.budget.visit(descriptor.digest, w.where)
  }));
  return Promise.all(
    nodes.map(async ({ descriptor, fresh }) => {
      if (!fresh) return { descriptor, referrers: [], repeat: true };
      return {
        descriptor,
        referrers: level < w.maxDepth ? await walk(w, descriptor, level + 1) : []
      };
    })
  );
}
function byCreatedThenDigest(a, b) {
  const ca = a.annotations?.["org.opencontainers.image.created"] ?? "";
  const cb = b.annotations?.["org.opencontainers.image.created"] ?? "";
  if (ca !== cb) return ca < cb ? -1 : 1;
  return a.digest < b.digest ? -1 : a.digest > b.digest ? 1 : 0;
}
function countNodes(nodes) {
  return nodes.reduce((n, node) => n + 1 + countNodes(node.referrers), 0);
}
function uniqueNodes(nodes) {
  return nodes.flatMap((n) => n.repeat ? [] : [n, ...uniqueNodes(n.referrers)]);
}

export {
  discover,
  countNodes,
  uniqueNodes
};
