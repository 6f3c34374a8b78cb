/**
 * The referrers graph as a Mermaid flowchart (rendered by GitHub and Azure DevOps Markdown):
 * one node per manifest, an edge from each referrer to what it refers to.
 */
import type { ReferrerNode } from "../graph/discover.js";
import { shownType } from "./neutral.js";

/** Nodes drawn at most; a larger graph ends with a "… and N more" node. */
export const MAX_MERMAID_NODES = 100;

/**
 * Escapes text for a quoted Mermaid label: entity codes for the characters that end a label or
 * open HTML or Markdown (`"`, `<`, `>`, `&`, `#`, backtick), newlines dropped.
 */
export function mermaidLabel(text: string): string {
  return text.replace(/[\r\n]+/g, " ").replace(/[#&"<>`]/g, (c) => `#${c.charCodeAt(0)};`);
}

function short(digest: string): string {
  const [alg, hex = ""] = digest.split(":");
  return `${alg}:${hex.slice(0, 12)}`;
}

export function renderMermaid(
  subjectLabel: string,
  subjectDigest: string,
  referrers: readonly ReferrerNode[],
): string {
  const lines = ["flowchart RL"];
  lines.push(`  n0["${mermaidLabel(subjectLabel)}<br/>${mermaidLabel(short(subjectDigest))}"]`);
  let count = 1;
  let omitted = 0;
  const visit = (nodes: readonly ReferrerNode[], parent: string): void => {
    for (const node of nodes) {
      if (count >= MAX_MERMAID_NODES) {
        omitted += 1 + countAll(node.referrers);
        continue;
      }
      const id = `n${count++}`;
      const type = shownType(node.descriptor.artifactType ?? node.descriptor.mediaType);
      lines.push(`  ${id}["${mermaidLabel(type)}<br/>${mermaidLabel(short(node.descriptor.digest))}"]`);
      lines.push(`  ${id} --> ${parent}`);
      visit(node.referrers, id);
    }
  };
  visit(referrers, "n0");
  if (omitted) lines.push(`  more["… and ${omitted} more"]`);
  return lines.join("\n");
}

function countAll(nodes: readonly ReferrerNode[]): number {
  return nodes.reduce((n, node) => n + 1 + countAll(node.referrers), 0);
}
