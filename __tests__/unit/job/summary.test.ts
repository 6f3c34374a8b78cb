import type { ReferrerNode } from "../../../src/graph/discover";
import { mermaidLabel, renderMermaid, MAX_MERMAID_NODES } from "../../../src/report/mermaid";
import {
  codeBlock,
  codeSpan,
  escapeMarkdown,
  renderSummary,
  type SummaryInput,
} from "../../../src/report/summary";

const D = (c: string): string => `sha256:${c.repeat(64)}`;

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

  test("edges go from referrer to subject; big graphs are cut", () => {
    const many: ReferrerNode[] = Array.from({ length: MAX_MERMAID_NODES + 5 }, (_, i) => ({
      descriptor: {
        mediaType: "m/x",
        artifactType: "application/x",
        digest: D((i % 10).toString()),
        size: 1,
      },
      referrers: [],
    }));
    const text = renderMermaid("reg/app:v1", D("f"), many);
    expect(text.split("\n")[0]).toBe("flowchart RL");
    expect(text).toContain("n1 --> n0");
    expect(text).toContain("… and 6 more");
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
    expect(md).toContain(
      `| attached | application/spdx+json | \`${D("b")}\` | 2.0 KiB | ./sbom\\|evil.json | subject |`,
    );
    expect(md).toContain("| reg.example/staging/app | `" + D("a") + "` | 4 | 2 | 1 | 2 | 5.0 MiB |");
    expect(md).toContain("```mermaid\nflowchart RL");
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
    expect(md).toContain(`| referrer | \`${D("b")}\` | x/y\\|&lt;b&gt;evil&lt;/b&gt; | already locked |`);
    expect(md).not.toContain("<b>");
  });

  test("says why nothing was locked", () => {
    expect(renderSummary({ ...base, lock: { skipped: "the release gate failed" } })).toContain(
      "Not locked: the release gate failed.",
    );
  });
});
