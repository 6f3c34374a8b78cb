import type { ReferrerNode } from "../oci/graph-results.js";
import { neutral, shownType } from "./neutral.js";

/**
 * The graph as the ORAS walkthrough prints it: referrers grouped by artifact type, each digest
 * under its type, and each artifact's own referrers below it. Every foreign string goes through
 * `neutral` (types by way of `shownType`) and nothing else, so a newline in an artifact type
 * cannot break the connector lines and the tree escapes exactly as every other log line does.
 */
export function renderTree(root: string, referrers: readonly ReferrerNode[]): string {
  const lines = [neutral(root, 1024)];
  renderLevel(referrers, "", lines);
  return lines.join("\n");
}

function renderLevel(nodes: readonly ReferrerNode[], prefix: string, lines: string[]): void {
  const groups = new Map<string, ReferrerNode[]>();
  for (const node of nodes) {
    const type = shownType(node.descriptor.artifactType);
    groups.set(type, [...(groups.get(type) ?? []), node]);
  }
  const entries = [...groups.entries()];
  entries.forEach(([type, members], i) => {
    const lastGroup = i === entries.length - 1;
    lines.push(`${prefix}${lastGroup ? "└── " : "├── "}${type}`);
    const groupPrefix = prefix + (lastGroup ? "    " : "│   ");
    members.forEach((member, j) => {
      const last = j === members.length - 1;
      const repeat = member.repeat ? " (shown above)" : "";
      lines.push(
        `${groupPrefix}${last ? "└── " : "├── "}${neutral(member.descriptor.digest, 1024)}${repeat}`,
      );
      renderLevel(member.referrers, groupPrefix + (last ? "    " : "│   "), lines);
    });
  });
}

/** A flat table: one row per referrer with its depth. */
export function renderTable(referrers: readonly ReferrerNode[]): string {
  const rows: string[][] = [["DEPTH", "ARTIFACT TYPE", "DIGEST", "SIZE"]];
  const visit = (nodes: readonly ReferrerNode[], depth: number): void => {
    for (const n of nodes) {
      rows.push([
        String(depth),
        n.descriptor.artifactType === undefined ? "" : shownType(n.descriptor.artifactType),
        n.descriptor.digest,
        String(n.descriptor.size),
      ]);
      visit(n.referrers, depth + 1);
    }
  };
  visit(referrers, 1);
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => cell.padEnd(widths[c]!))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}
