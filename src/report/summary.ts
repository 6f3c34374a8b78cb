/**
 * The Markdown summary of a job run (GitHub step summary, Azure Pipelines `task.uploadsummary`):
 * gate verdict, what was attached, reused and promoted, the graph as a Mermaid diagram and a
 * tree, and the referrers mode of each registry. Every piece of text that came from a user or a
 * registry is escaped: nothing in it may open a link, an HTML tag, a table cell or a code fence.
 */
import type { ReferrerNode } from "../oci/graph-results.js";
import type { JobResult } from "./job-result.js";
import { MAX_LEVEL_WIDTH, mermaidGraph, shortDigest } from "./mermaid.js";
import { renderTree } from "./tree.js";

/** What the summary shows: the job's result itself. */
export type SummaryInput = JobResult;

/** Tree lines shown at most (the summary has a size limit: 1 MiB on GitHub). */
const MAX_TREE_LINES = 500;

const MODE_TEXT: Record<string, string> = {
  api: "referrers API",
  "tag-schema": "tag-schema fallback (no referrers API)",
  layout: "OCI image layout",
};

/** Characters that start Markdown syntax inline (`+`, `-`, `.` only matter at a line start). */
const MARKDOWN_PUNCTUATION = /[\\`*_{}[\]()#!|~]/g;

/** Text safe in a paragraph or a table cell: HTML-escaped, Markdown punctuation backslashed, one line. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\r\n\t]+/g, " ")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(MARKDOWN_PUNCTUATION, (c) => `\\${c}`);
}

/** An inline code span holding `text` literally (fence longer than any backtick run inside). */
export function codeSpan(text: string): string {
  const oneLine = text.replace(/[\r\n]+/g, " ");
  const longest = Math.max(0, ...(oneLine.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = oneLine.startsWith("`") || oneLine.endsWith("`") ? " " : "";
  return `${fence}${pad}${oneLine}${pad}${fence}`;
}

/** A fenced code block holding `text` literally. */
export function codeBlock(text: string, language = ""): string {
  const longest = Math.max(0, ...(text.match(/`{3,}/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(Math.max(3, longest + 1));
  return `${fence}${language}\n${text}\n${fence}`;
}

/** A GitHub-flavoured Markdown table; cells are inserted as given (escape them first). */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

/** A size that does not wrap in a table cell (no-break space before the unit). */
function bytes(n: number): string {
  if (n < 1024) return `${n}\u00a0B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)}\u00a0${units[unit]}`;
}

/** Where the summary is shown, and what that place renders. */
export interface SummaryOptions {
  /** Heading prefix (default `ocigraph`). */
  title?: string;
  /**
   * Draw the graph as a Mermaid diagram (default true). Azure DevOps' summary tab renders
   * Markdown but not Mermaid, nor `<details>`: there the graph is the tree alone.
   */
  mermaid?: boolean;
}

/** Artifacts per type, all levels, most frequent first. */
function countsByType(nodes: readonly ReferrerNode[]): [string, number][] {
  const counts = new Map<string, number>();
  const visit = (level: readonly ReferrerNode[]): void => {
    for (const n of level) {
      const type = n.descriptor.artifactType ?? n.descriptor.mediaType;
      counts.set(type, (counts.get(type) ?? 0) + 1);
      visit(n.referrers);
    }
  };
  visit(nodes);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

export function renderSummary(result: SummaryInput, options: SummaryOptions | string = {}): string {
  const { title = "ocigraph", mermaid = true } = typeof options === "string" ? { title: options } : options;
  const parts: string[] = [];
  parts.push(`## ${escapeMarkdown(title)}: ${codeSpan(result.subject.reference)}`);
  parts.push(`Subject digest: ${codeSpan(result.subject.digest)}`);

  if (result.gate) {
    const verdict = result.gate.passed ? "✅ **Release gate passed**" : "❌ **Release gate failed**";
    const rows = result.gate.outcomes.map((o) => [
      o.met ? "✅" : "❌",
      escapeMarkdown(o.requirement),
      o.met
        ? (o.chain ?? []).map((d) => codeSpan(shortDigest(d))).join(" → ") || "present"
        : escapeMarkdown(o.reason ?? "missing"),
    ]);
    parts.push(`### Release gate\n\n${verdict}\n\n${table(["", "Requirement", "Met by"], rows)}`);
  }

  if (result.artifacts.length) {
    const attached = result.artifacts.filter((a) => !a.reused).length;
    // Narrow enough for GitHub's 946 px box: short digests, "reused" noted beside the digest.
    const rows = result.artifacts.map((a) => [
      escapeMarkdown(a.artifactType),
      `${codeSpan(shortDigest(a.digest))}${a.reused ? " (reused)" : ""}`,
      bytes(a.contentSize),
      a.files.map(escapeMarkdown).join("<br>"),
      a.parent === result.subject.digest ? "subject" : codeSpan(shortDigest(a.parent)),
    ]);
    parts.push(
      `### Artifacts\n\n${attached} attached, ${result.artifacts.length - attached} reused (identical artifact already there)\n\n` +
        table(["Artifact type", "Digest", "Size", "Files", "Refers to"], rows),
    );
  }

  if (result.promotion) {
    const p = result.promotion;
    // Copy counts blobs and manifests ("items"); mounts are blobs only; bytes are blob bytes sent.
    parts.push(
      "reference" in p
        ? `### Promotion\n\nPromoted to ${codeSpan(p.reference)} as ${codeSpan(shortDigest(p.digest))}, ` +
            `${plural(p.referrers, "referrer", "referrers")} with it:\n\n` +
            `- ${plural(p.copied, "blob or manifest", "blobs and manifests")} copied (${bytes(p.bytes)} of blobs sent)\n` +
            `- ${plural(p.mounted, "blob", "blobs")} mounted from the source repository (nothing sent)\n` +
            `- ${plural(p.skipped, "blob or manifest", "blobs and manifests")} already at the destination`
        : `### Promotion\n\nNot promoted: ${escapeMarkdown(p.skipped)}.`,
    );
  }

  if (result.lock) {
    const l = result.lock;
    parts.push(
      "manifests" in l
        ? `### Lock\n\n🔒 ${l.manifests.length} manifests of ${codeSpan(`${l.repository}@${l.digest}`)} locked ` +
            `(writeEnabled and deleteEnabled false)\n\n${table(
              ["Role", "Digest", "Artifact type", ""],
              l.manifests.map((m) => [
                escapeMarkdown(m.role),
                codeSpan(shortDigest(m.digest)),
                m.artifactType ? escapeMarkdown(m.artifactType) : "",
                m.changed ? "locked" : "already locked",
              ]),
            )}`
        : `### Lock\n\nNot locked: ${escapeMarkdown(l.skipped)}.`,
    );
  }

  const tree = renderTree(result.subject.reference, result.referrers).split("\n");
  const shown =
    tree.length > MAX_TREE_LINES
      ? [...tree.slice(0, MAX_TREE_LINES), `… ${tree.length - MAX_TREE_LINES} more lines`]
      : tree;
  const treeBlock = codeBlock(shown.join("\n"), "text");
  const graph = mermaidGraph(result.subject.reference, result.subject.digest, result.referrers);
  // Mermaid cannot draw a big or wide graph legibly at GitHub's width: then (and where Mermaid is
  // not rendered at all) the summary shows the artifacts per type and the tree instead.
  const fits = graph.shown === graph.total && graph.widest <= MAX_LEVEL_WIDTH;
  if (!mermaid) {
    parts.push(`### Graph\n\n${treeBlock}`);
  } else if (!fits) {
    const rows = countsByType(result.referrers).map(([type, n]) => [escapeMarkdown(type), String(n)]);
    parts.push(
      `### Graph\n\n${plural(graph.total, "referrer", "referrers")}, too many to draw; by type:\n\n` +
        `${table(["Artifact type", "Referrers"], rows)}\n\n<details><summary>Tree</summary>\n\n${treeBlock}\n\n</details>`,
    );
  } else {
    parts.push(
      `### Graph\n\n${codeBlock(graph.text, "mermaid")}\n\n<details><summary>Tree</summary>\n\n${treeBlock}\n\n</details>`,
    );
  }

  if (result.modes.length) {
    const rows = result.modes.map((m) => [
      escapeMarkdown(m.repository),
      m.role,
      escapeMarkdown(MODE_TEXT[m.mode] ?? m.mode),
    ]);
    parts.push(`### Referrers mode\n\n${table(["Repository", "Role", "Mode"], rows)}`);
  }
  return `${parts.join("\n\n")}\n`;
}
