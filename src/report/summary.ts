/**
 * The Markdown summary of a job run (GitHub step summary, Azure Pipelines `task.uploadsummary`):
 * gate verdict, what was attached, reused and promoted, the graph as a Mermaid diagram and a
 * tree, and the referrers mode of each registry. Every piece of text that came from a user or a
 * registry is escaped: nothing in it may open a link, an HTML tag, a table cell or a code fence.
 */
import type { JobResult } from "./job-result.js";
import { renderMermaid } from "./mermaid.js";
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

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

export function renderSummary(result: SummaryInput, title = "ocigraph"): string {
  const parts: string[] = [];
  parts.push(`## ${escapeMarkdown(title)}: ${codeSpan(result.subject.reference)}`);
  parts.push(`Subject digest: ${codeSpan(result.subject.digest)}`);

  if (result.gate) {
    const verdict = result.gate.passed ? "✅ **Release gate passed**" : "❌ **Release gate failed**";
    const rows = result.gate.outcomes.map((o) => [
      o.met ? "✅" : "❌",
      escapeMarkdown(o.requirement),
      o.met ? "present" : escapeMarkdown(o.reason ?? "missing"),
    ]);
    parts.push(`### Release gate\n\n${verdict}\n\n${table(["", "Requirement", "Found"], rows)}`);
  }

  if (result.artifacts.length) {
    const attached = result.artifacts.filter((a) => !a.reused).length;
    const rows = result.artifacts.map((a) => [
      a.reused ? "reused" : "attached",
      escapeMarkdown(a.artifactType),
      codeSpan(a.digest),
      bytes(a.contentSize),
      a.files.map(escapeMarkdown).join("<br>"),
      a.parent === result.subject.digest ? "subject" : codeSpan(a.parent),
    ]);
    parts.push(
      `### Artifacts\n\n${attached} attached, ${result.artifacts.length - attached} reused (identical artifact already there)\n\n` +
        table(["", "Artifact type", "Digest", "Size", "Files", "Refers to"], rows),
    );
  }

  if (result.promotion) {
    const p = result.promotion;
    parts.push(
      "reference" in p
        ? `### Promotion\n\n${table(
            ["Promoted to", "Digest", "Copied", "Mounted", "Already there", "Referrers", "Sent"],
            [
              [
                escapeMarkdown(p.reference),
                codeSpan(p.digest),
                String(p.copied),
                String(p.mounted),
                String(p.skipped),
                String(p.referrers),
                bytes(p.bytes),
              ],
            ],
          )}`
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
                codeSpan(m.digest),
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
  parts.push(
    `### Graph\n\n${codeBlock(renderMermaid(result.subject.reference, result.subject.digest, result.referrers), "mermaid")}\n\n` +
      `<details><summary>Tree</summary>\n\n${codeBlock(shown.join("\n"), "text")}\n\n</details>`,
  );

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
