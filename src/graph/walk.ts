/**
 * The bounds every graph walk of one command shares: one visited set, so each node is walked
 * once however many listings name it, and a total node cap, so a hostile graph (a mesh of
 * fallback indexes, a referrers API serving pages of 20,000 descriptors) fails fast instead of
 * running for minutes.
 */
import { OcigraphError } from "../oci/errors.js";

/** Nodes one command may visit unless told otherwise (`--max-nodes`, input `max-nodes`). */
export const DEFAULT_MAX_NODES = 10_000;

export class WalkBudget {
  private readonly visited = new Set<string>();
  readonly maxNodes: number;

  /** `maxNodes` 0 or unset means {@link DEFAULT_MAX_NODES}. */
  constructor(maxNodes?: number) {
    this.maxNodes = maxNodes && maxNodes > 0 ? maxNodes : DEFAULT_MAX_NODES;
  }

  /** Nodes visited so far. */
  get count(): number {
    return this.visited.size;
  }

  /** How many more nodes a listing may hold before the cap is passed (for early stops). */
  get remaining(): number {
    return Math.max(0, this.maxNodes - this.visited.size);
  }

  has(digest: string): boolean {
    return this.visited.has(digest);
  }

  /**
   * Marks `digest` visited. False when it already was (show it as a reference, do not walk it).
   *
   * @throws OcigraphError TOO_LARGE when this node would pass the cap.
   */
  visit(digest: string, where: string): boolean {
    if (this.visited.has(digest)) return false;
    if (this.visited.size >= this.maxNodes) {
      throw new OcigraphError(
        "TOO_LARGE",
        `the referrers graph of ${where} has more than ${this.maxNodes} nodes; stopped walking it`,
        { hint: "raise --max-nodes (input max-nodes) if this graph is really that large" },
      );
    }
    this.visited.add(digest);
    return true;
  }
}
