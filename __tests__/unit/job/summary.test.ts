import type { ReferrerNode } from "../../../src/graph/discover";
import {
  GROUP_LEAVES_AT,
  MAX_MERMAID_NODES,
  mermaidGraph,
  mermaidLabel,
  renderMermaid,
} from "../../../src/report/mermaid";
import { renderTree } from "../../../src/report/tree";
import {
  codeBlock,
  codeSpan,
  escapeMarkdown,
  renderSummary,
  type SummaryInput,
} from "../../../src/report/summary";

const D = (c: string): string => `sha256:${c.repeat(64)}`;

const leaf = (type: string, i: number): ReferrerNode => ({
  descriptor: { mediaType: "m/x", artifactType: type, digest: D((i % 10).toString()), size: 1 },
  referrers: [],
});

describe("escapeMarkdown", () => {
  test.each<[string, string]>([
    ["plain/text+json", "plain/text+json"],
    ["a|b", "a\\|b"],
    ["<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert\\(1\\)&gt;"],
    ["[click](https://evil.example)", "\\[click\\]\\(https://evil.example\\)"],
    ["**bold** _it_ `code`", "\\*\\*bold\\*\\* \\_it\\_ \\`code\\`"],
    ["line1\nline2\r\n| x |", "line1 line2 \\| x \\|"],
    ['a & b "q"', "a &amp; b &quot;q&quot;"],
    ["# heading", "\\# heading"],
    ["back\\slash", "back\\\\slash"],
  ])("%j", (input, expected) => {
    expect(escapeMarkdown(input)).toBe(expected);
  });
});

describe("codeSpan and codeBlock", () => {
  test.each<[string, string]>([
    ["sha256:abc", "`sha256:abc`"],
    ["a`b", "``a`b``"],
    ["`edge`", "`` `edge` ``"],
    ["two\nlines", "`two lines`"],
  ])("codeSpan(%j)", (input, expected) => {
    expect(codeSpan(input)).toBe(expected);
  });
  test("a block's fence outgrows the content's", () => {
    expect(codeBlock("x\n````\ny", "text")).toBe("`````text\nx\n````\ny\n`````");
  });
});

describe("mermaid", () => {
  test.each<[string, string]>([
    ['a"]; click n0 "https://evil', "a#34;]; click n0 #34;https://evil"],
    ["<b>x</b>", "#60;b#62;x#60;/b#62;"],
    ["a#b&c", "a#35;b#38;c"],
    ["`md`", "#96;md#96;"],
    ["two\nlines", "two lines"],
  ])("label %j", (input, expected) => {
    expect(mermaidLabel(input)).toBe(expected);
  });

  /** Node ids declared, and ids that appear in an edge. */
  const ids = (text: string): { nodes: string[]; linked: Set<string> } => ({
    nodes: [...text.matchAll(/^ {2}(n\d+)\["/gm)].map((m) => m[1] as string),
    linked: new Set(
      [...text.matchAll(/^ {2}(n\d+) -\.?-\.?> (n\d+)$/gm)].flatMap((m) => [m[1] as string, m[2] as string]),
    ),
  });

  test("edges go from referrer to subject, drawn bottom to top so the subject is on top", () => {
    const text = renderMermaid("reg/app:v1", D("f"), [leaf("application/x", 1)]);
    expect(text.split("\n")[1]).toBe("flowchart BT");
    expect(text).toContain("n1 --> n0");
  });

  test(`same-type sibling leaves are one node from ${GROUP_LEAVES_AT} on`, () => {
    const few = Array.from({ length: GROUP_LEAVES_AT - 1 }, (_, i) => leaf("a/sig", i));
    expect(ids(renderMermaid("r", D("f"), few)).nodes).toHaveLength(GROUP_LEAVES_AT);
    const many = Array.from({ length: 88 }, (_, i) => leaf("a/sig", i));
    const graph = mermaidGraph("r", D("f"), [...many, leaf("a/sbom", 1)]);
    expect(graph.text).toContain('n1["a/sig<br/>×88"]');
    expect(ids(graph.text).nodes).toHaveLength(3);
    expect(graph.shown).toBe(89);
  });

  test('a big graph is cut breadth first, and every "more" node hangs from its parent', () => {
    // 40 referrers of distinct types, each with 2 signatures: 120 manifests; 29 drawn, 11 (and
    // their 22 signatures) in the "more" node.
    const wide: ReferrerNode[] = Array.from({ length: 40 }, (_, i) => ({
      descriptor: { mediaType: "m/x", artifactType: `t/${i}`, digest: D((i % 10).toString()), size: 1 },
      referrers: [leaf("a/sig", 1), leaf("a/sig", 2)],
    }));
    const graph = mermaidGraph("r", D("f"), wide);
    const { nodes, linked } = ids(graph.text);
    expect(nodes.length).toBeLessThanOrEqual(MAX_MERMAID_NODES + 1);
    expect(nodes.filter((n) => !linked.has(n))).toEqual([]);
    expect(graph.total).toBe(120);
    expect(graph.shown).toBe(MAX_MERMAID_NODES - 1);
    expect(graph.text).toContain('n30["… and 33 more"]');
    expect(graph.text).toContain("n30 -.-> n0");
    expect(graph.text).toContain('n1["t/0<br/>sha256:000000000000<br/>+2 not drawn"]');
  });
});

describe("tree", () => {
  test("a newline in an artifact type does not break the connector lines", () => {
    const tree = renderTree("r", [leaf("a/x\n└── fake", 1), leaf("a/y", 2)]);
    expect(tree.split("\n")).toHaveLength(5);
    // Not a media type either, so it is also quoted and marked.
    expect(tree).toContain('├── "a/x\\n└── fake" (not a media type)');
  });
});

describe("renderSummary", () => {
  const hostile = "application/vnd.x|<script>alert(1)</script>";
  const input: SummaryInput = {
    subject: {
      reference: "reg.example/app:v1",
      repository: "reg.example/app",
      digest: D("a"),
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      size: 500,
    },
    artifacts: [
      {
        input: "sbom",
        origin: "sbom",
        artifactType: "application/spdx+json",
        files: ["./sbom|evil.json"],
        digest: D("b"),
        size: 500,
        contentSize: 2048,
        reused: false,
        parent: D("a"),
      },
      {
        input: "attach",
        origin: "attach line 1",
        artifactType: hostile,
        files: ["[x](http://e)"],
        digest: D("c"),
        size: 500,
        contentSize: 10,
        reused: true,
        parent: D("b"),
      },
    ],
    promotion: {
      reference: "reg.example/staging/app",
      digest: D("a"),
      copied: 4,
      mounted: 2,
      skipped: 1,
      referrers: 2,
      bytes: 5 * 1024 * 1024,
    },
    gate: {
      passed: false,
      message: "m",
      outcomes: [
        { requirement: "application/spdx+json", met: true, chain: [D("b")] },
        {
          requirement: "application/vnd.example.vex",
          met: false,
          chain: [],
          reason: "no application/vnd.example.vex refers to it",
        },
      ],
    },
    referrers: [
      {
        descriptor: { mediaType: "m/x", artifactType: "application/spdx+json", digest: D("b"), size: 1 },
        referrers: [
          { descriptor: { mediaType: "m/x", artifactType: hostile, digest: D("c"), size: 1 }, referrers: [] },
        ],
      },
    ],
    graph: {
      reference: "reg.example/app@" + D("a"),
      mediaType: "m/x",
      digest: D("a"),
      size: 1,
      referrers: [],
    },
    modes: [
      { repository: "reg.example/app", role: "subject", mode: "tag-schema" },
      { repository: "reg.example/staging/app", role: "promotion", mode: "api" },
    ],
  };
  const md = renderSummary(input);

  test("has the verdict, the tables, the diagram, the tree and the modes", () => {
    expect(md).toContain("❌ **Release gate failed**");
    expect(md).toContain(
      "| ❌ | application/vnd.example.vex | no application/vnd.example.vex refers to it |",
    );
    expect(md).toContain("1 attached, 1 reused");
    expect(md).toContain("| ✅ | application/spdx+json | `sha256:bbbbbbbbbbbb` |");
    expect(md).toContain(
      "| application/spdx+json | `sha256:bbbbbbbbbbbb` | 2.0\u00a0KiB | ./sbom\\|evil.json | subject |",
    );
    expect(md).toContain(
      "| application/vnd.x\\|&lt;script&gt;alert\\(1\\)&lt;/script&gt; | `sha256:cccccccccccc` (reused) |",
    );
    expect(md).toContain("`sha256:bbbbbbbbbbbb` |\n");
    expect(md).toContain(
      "Promoted to `reg.example/staging/app` as `sha256:aaaaaaaaaaaa`, 2 referrers with it:",
    );
    expect(md).toContain("- 4 blobs and manifests copied (5.0\u00a0MiB of blobs sent)");
    expect(md).toContain("- 2 blobs mounted from the source repository (nothing sent)");
    expect(md).toContain("- 1 blob or manifest already at the destination");
    const tableLines = md.split("\n").filter((l) => l.startsWith("|"));
    expect(tableLines.filter((l) => /sha256:[a-f0-9]{64}/.test(l))).toEqual([]);
    expect(md).toMatch(/```mermaid\n.*\nflowchart BT/);
    expect(md).toContain("<details><summary>Tree</summary>");
    expect(md).toContain("| reg.example/app | subject | tag-schema fallback \\(no referrers API\\) |");
    expect(md).toContain("| reg.example/staging/app | promotion | referrers API |");
  });

  test("user and registry text cannot inject HTML, links or cells", () => {
    const outsideCode = md.replace(/```[\s\S]*?```/g, "");
    expect(outsideCode).not.toContain("<script>");
    expect(outsideCode).not.toContain("](http");
    expect(outsideCode).toContain("application/vnd.x\\|&lt;script&gt;alert\\(1\\)&lt;/script&gt;");
    expect(md).toContain("#60;script#62;"); // in the Mermaid label
  });

  test("for Azure DevOps (no Mermaid, no <details>) the graph is the tree alone", () => {
    const azure = renderSummary(input, { mermaid: false });
    expect(azure).not.toContain("mermaid");
    expect(azure).not.toContain("<details>");
    expect(azure).toContain("### Graph\n\n```text\nreg.example/app:v1\n└── application/spdx+json");
  });

  test("a skipped promotion says why", () => {
    expect(renderSummary({ ...input, promotion: { skipped: "the release gate failed" } })).toContain(
      "Not promoted: the release gate failed.",
    );
  });
});

describe("the Lock section", () => {
  const base: SummaryInput = {
    subject: {
      reference: "reg.example/app:v1",
      repository: "reg.example/app",
      digest: D("a"),
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      size: 500,
    },
    artifacts: [],
    referrers: [],
    graph: {
      reference: "reg.example/app:v1",
      digest: D("a"),
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      size: 500,
      referrers: [],
    },
    modes: [],
  };

  test("lists each locked manifest, registry strings escaped", () => {
    const md = renderSummary({
      ...base,
      lock: {
        repository: "reg.example/staging/app",
        digest: D("a"),
        manifests: [
          { digest: D("a"), role: "subject", changed: true },
          { digest: D("b"), role: "referrer", artifactType: "x/y|<b>evil</b>", changed: false },
        ],
      },
    });
    expect(md).toContain("### Lock");
    expect(md).toContain(`2 manifests of \`reg.example/staging/app@${D("a")}\` locked`);
    expect(md).toContain(
      `| referrer | \`sha256:bbbbbbbbbbbb\` | x/y\\|&lt;b&gt;evil&lt;/b&gt; | already locked |`,
    );
    expect(md).not.toContain("<b>");
  });

  test("says why nothing was locked", () => {
    expect(renderSummary({ ...base, lock: { skipped: "the release gate failed" } })).toContain(
      "Not locked: the release gate failed.",
    );
  });
});
