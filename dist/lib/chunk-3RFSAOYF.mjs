import { createRequire as __ocigraphRequire } from "node:module"; import { fileURLToPath as __ocigraphPath } from "node:url"; import { dirname as __ocigraphDir } from "node:path"; const require = __ocigraphRequire(import.meta.url); const __filename = __ocigraphPath(import.meta.url); const __dirname = __ocigraphDir(__filename);
import {
  neutral,
  shownType
} from "./chunk-FY3PNI67.mjs";

// src/report/tree.ts
function renderTree(root, referrers) {
  const lines = [neutral(root, 1024)];
  renderLevel(referrers, "", lines);
  return lines.join("\n");
}
function renderLevel(nodes, prefix, lines) {
  const groups = /* @__PURE__ */ new Map();
  for (const node of nodes) {
    const type = shownType(node.descriptor.artifactType);
    groups.set(type, [...groups.get(type) ?? [], node]);
  }
  const entries = [...groups.entries()];
  entries.forEach(([type, members], i) => {
    const lastGroup = i === entries.length - 1;
    lines.push(`${prefix}${lastGroup ? "\u2514\u2500\u2500 " : "\u251C\u2500\u2500 "}${type}`);
    const groupPrefix = prefix + (lastGroup ? "    " : "\u2502   ");
    members.forEach((member, j) => {
      const last = j === members.length - 1;
      const repeat = member.repeat ? " (shown above)" : "";
      lines.push(
        `${groupPrefix}${last ? "\u2514\u2500\u2500 " : "\u251C\u2500\u2500 "}${neutral(member.descriptor.digest, 1024)}${repeat}`
      );
      renderLevel(member.referrers, groupPrefix + (last ? "    " : "\u2502   "), lines);
    });
  });
}
function renderTable(referrers) {
  const rows = [["DEPTH", "ARTIFACT TYPE", "DIGEST", "SIZE"]];
  const visit = (nodes, depth) => {
    for (const n of nodes) {
      rows.push([
        String(depth),
        n.descriptor.artifactType === void 0 ? "" : shownType(n.descriptor.artifactType),
        n.descriptor.digest,
        String(n.descriptor.size)
      ]);
      visit(n.referrers, depth + 1);
    }
  };
  visit(referrers, 1);
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map(
    (r) => r.map((cell, c) => cell.padEnd(widths[c])).join("  ").trimEnd()
  ).join("\n");
}

export {
  renderTree,
  renderTable
};
