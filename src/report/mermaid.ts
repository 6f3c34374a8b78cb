/**
 * The referrers graph as a Mermaid flowchart (rendered by GitHub's Markdown; Azure DevOps' summary
 * tab does not render Mermaid). Drawn bottom-to-top so the subject is the top node and every
 * arrow points from a referrer to what it refers to. Kept readable at GitHub's width:
 * - same-type sibling leaves (GROUP_LEAVES_AT or more) become one node, "type ×N";
 * - at most MAX_MERMAID_NODES artifact nodes, breadth first (upper levels before deeper ones);
 *   where siblings are cut, the rest is one "… and N more" node attached to their parent; a drawn
 *   node none of whose referrers fit says "+N not drawn" in its label.
 */
import type { ReferrerNode } from "../oci/graph-results.js";
import { shownType } from "./neutral.js";

/** Nodes drawn at most (the subject included); a larger graph gets "… and N more" nodes. */
export const MAX_MERMAID_NODES = 30;

/** Same-type sibling leaves drawn as one node from this many on. */
export const GROUP_LEAVES_AT = 3;

/** Nodes side by side on one level at most for the diagram to stay legible at GitHub's width. */
export const MAX_LEVEL_WIDTH = 4;

/**
 * Escapes text for a quoted Mermaid label: entity codes for the characters that end a label or
 * open HTML or Markdown (`"`, `<`, `>`, `&`, `#`, backtick), newlines dropped.
 */
export function mermaidLabel(text: string): string {
  return text.replace(/[\r\n]+/g, " ").replace(/[#&"<>`]/g, (c) => `#${c.charCodeAt(0)};`);
}

/** `sha256:` and the first 12 hex digits: enough to tell artifacts apart on screen. */
export function shortDigest(digest: string): string {
  const [alg, hex = ""] = digest.split(":");
  return `${alg}:${hex.slice(0, 12)}`;
}

export interface MermaidGraph {
  /** The flowchart source. */
  text: string;
  /** Manifests in the graph (referrers, all levels; the subject not counted). */
  total: number;
  /** Manifests drawn as their own node or inside a group node. */
  shown: number;
  /** Nodes on the widest level. */
  widest: number;
}

/** One node to draw: a referrer, or a group of same-type leaves. */
type Unit = { node: ReferrerNode } | { type: string; count: number };

const typeOf = (node: ReferrerNode): string =>
  shownType(node.descriptor.artifactType ?? node.descriptor.mediaType);

/** A type as a label: `application/` is dropped (most types have it; the tree and tables keep it). */
const typeLabel = (type: string): string => mermaidLabel(type.replace(/^application\//, ""));

/** Siblings in order of first appearance, same-type leaves grouped from GROUP_LEAVES_AT on. */
function units(nodes: readonly ReferrerNode[]): Unit[] {
  const leaves = new Map<string, number>();
  for (const n of nodes)
    if (n.referrers.length === 0) leaves.set(typeOf(n), (leaves.get(typeOf(n)) ?? 0) + 1);
  const out: Unit[] = [];
  const grouped = new Set<string>();
  for (const node of nodes) {
    const type = typeOf(node);
    const count = leaves.get(type) ?? 0;
    if (node.referrers.length > 0 || count < GROUP_LEAVES_AT) out.push({ node });
    else if (!grouped.has(type)) {
      grouped.add(type);
      out.push({ type, count });
    }
  }
  return out;
}

export function countAll(nodes: readonly ReferrerNode[]): number {
  return nodes.reduce((n, node) => n + 1 + countAll(node.referrers), 0);
}

/** The flowchart and how much of the graph it shows. */
export function mermaidGraph(
  subjectLabel: string,
  subjectDigest: string,
  referrers: readonly ReferrerNode[],
): MermaidGraph {
  // Node declarations by id (a label can still grow), then edges.
  const nodes = new Map<string, string>();
  const edges: string[] = [];
  nodes.set("n0", `${mermaidLabel(subjectLabel)}<br/>${mermaidLabel(shortDigest(subjectDigest))}`);
  let next = 1;
  let budget = MAX_MERMAID_NODES - 1;
  let shown = 0;
  const perLevel: number[] = [];
  const queue: { children: readonly ReferrerNode[]; parent: string; level: number }[] = [
    { children: referrers, parent: "n0", level: 1 },
  ];
  while (queue.length > 0) {
    const { children, parent, level } = queue.shift() as (typeof queue)[number];
    let omitted = 0;
    const drawn: string[] = [];
    for (const unit of units(children)) {
      if (budget <= 0) {
        omitted += "node" in unit ? 1 + countAll(unit.node.referrers) : unit.count;
        continue;
      }
      const id = `n${next++}`;
      budget--;
      drawn.push(id);
      perLevel[level] = (perLevel[level] ?? 0) + 1;
      if ("node" in unit) {
        const { node } = unit;
        nodes.set(id, `${typeLabel(typeOf(node))}<br/>${mermaidLabel(shortDigest(node.descriptor.digest))}`);
        shown++;
        if (node.referrers.length) queue.push({ children: node.referrers, parent: id, level: level + 1 });
      } else {
        nodes.set(id, `${typeLabel(unit.type)}<br/>×${unit.count}`);
        shown += unit.count;
      }
      edges.push(`  ${id} --> ${parent}`);
    }
    if (omitted && drawn.length) {
      // Cut among siblings: one node for the rest, attached to the same parent.
      const id = `n${next++}`;
      nodes.set(id, `… and ${omitted} more`);
      edges.push(`  ${id} -.-> ${parent}`);
    } else if (omitted) {
      // Nothing drawn under this node: say so in its own label (one node per parent would not fit).
      nodes.set(parent, `${nodes.get(parent) ?? ""}<br/>+${omitted} not drawn`);
    }
  }
  // Tighter spacing than the default keeps a wide level legible at GitHub's width.
  const init = '%%{init: {"flowchart": {"nodeSpacing": 24, "rankSpacing": 36}}}%%';
  const lines = [init, "flowchart BT", ...[...nodes].map(([id, label]) => `  ${id}["${label}"]`), ...edges];
  lines.push("  style n0 stroke-width:3px");
  return {
    text: lines.join("\n"),
    total: countAll(referrers),
    shown,
    widest: Math.max(0, ...perLevel.filter(Boolean)),
  };
}

export function renderMermaid(
  subjectLabel: string,
  subjectDigest: string,
  referrers: readonly ReferrerNode[],
): string {
  return mermaidGraph(subjectLabel, subjectDigest, referrers).text;
}
