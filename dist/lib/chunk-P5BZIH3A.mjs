import { createRequire as __ocigraphRequire } from "node:module"; import { fileURLToPath as __ocigraphPath } from "node:url"; import { dirname as __ocigraphDir } from "node:path"; const require = __ocigraphRequire(import.meta.url); const __filename = __ocigraphPath(import.meta.url); const __dirname = __ocigraphDir(__filename);
import {
  OcigraphError
} from "./chunk-N65ZBPAW.mjs";

// src/graph/walk.ts
var DEFAULT_MAX_NODES = 1e4;
var WalkBudget = class {
  visited = /* @__PURE__ */ new Set();
  maxNodes;
  /** `maxNodes` 0 or unset means {@link DEFAULT_MAX_NODES}. */
  constructor(maxNodes) {
    this.maxNodes = maxNodes && maxNodes > 0 ? maxNodes : DEFAULT_MAX_NODES;
  }
  /** Nodes visited so far. */
  get count() {
    return this.visited.size;
  }
  /** How many more nodes a listing may hold before the cap is passed (for early stops). */
  get remaining() {
    return Math.max(0, this.maxNodes - this.visited.size);
  }
  has(digest) {
    return this.visited.has(digest);
  }
  /**
   * Marks `digest` visited. False when it already was (show it as a reference, do not walk it).
   *
   * @throws OcigraphError TOO_LARGE when this node would pass the cap.
   */
  visit(digest, where) {
    if (this.visited.has(digest)) return false;
    if (this.visited.size >= this.maxNodes) {
      throw new OcigraphError(
        "TOO_LARGE",
        `the referrers graph of ${where} has more than ${this.maxNodes} nodes; stopped walking it`,
        { hint: "raise --max-nodes (input max-nodes) if this graph is really that large" }
      );
    }
    this.visited.add(digest);
    return true;
  }
};

export {
  DEFAULT_MAX_NODES,
  WalkBudget
};
