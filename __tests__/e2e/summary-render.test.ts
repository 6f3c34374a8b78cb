// The job summary as a person sees it: Markdown through a GitHub-flavoured renderer (marked) and
// the Mermaid block through mermaid itself, in headless Chromium (Debian's chromium, installed by
// scripts/peers/install.sh), at the width of GitHub's summary box. Measured on the rendered page:
// no Mermaid parse error, every node in the SVG and connected, tables that fit the box, a diagram
// of bounded height with the subject on top. Each page is saved as a PNG in out/summary-render/.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import type { ReferrerNode } from "../../src/graph/discover";
import { countAll, MAX_MERMAID_NODES } from "../../src/report/mermaid";
import { renderSummary, type SummaryInput } from "../../src/report/summary";

const ROOT = join(__dirname, "..", "..");
const OUT = join(ROOT, "out", "summary-render");
const CHROMIUM = "/usr/bin/chromium";
/** The width of the Markdown box of a GitHub job summary. */
const BOX = 946;
/** The diagram may be at most this tall, whatever the graph. */
const MAX_DIAGRAM_HEIGHT = 900;

let serial = 0;
const digest = (): string => `sha256:${createHash("sha256").update(String(++serial)).digest("hex")}`;
const node = (artifactType: string, referrers: ReferrerNode[] = []): ReferrerNode => ({
  descriptor: {
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    artifactType,
    digest: digest(),
    size: 700,
  },
  referrers,
});

/** A job result around `referrers`: every top-level referrer attached in this run, a gate, a promotion. */
function input(reference: string, referrers: ReferrerNode[]): SummaryInput {
  const subject = digest();
  const mediaType = "application/vnd.oci.image.manifest.v1+json";
  const repository = reference.replace(/:[^:/]*$/, "");
  return {
    subject: { reference, repository, digest: subject, mediaType, size: 900 },
    graph: { reference: `${repository}@${subject}`, mediaType, digest: subject, size: 900, referrers: [] },
    artifacts: referrers.slice(0, 6).map((r, i) => ({
      input: i === 0 ? "sbom" : "attach",
      origin: i === 0 ? "sbom" : `attach line ${i}`,
      artifactType: r.descriptor.artifactType ?? "",
      files: [`./evidence/${(r.descriptor.artifactType ?? "").split("/").pop() ?? "file"}-${i}.json`],
      digest: r.descriptor.digest,
      size: 700,
      contentSize: 1234 * (i + 1),
      reused: i % 2 === 1,
      parent: subject,
    })),
    promotion: {
      reference: reference.replace(/\/([^/]+)$/, "/sample-staging/$1"),
      digest: subject,
      copied: 4,
      mounted: 5,
      skipped: 2,
      referrers: referrers.length,
      bytes: 123456,
    },
    gate: {
      passed: true,
      message: "",
      outcomes: referrers.slice(0, 2).map((r) => ({
        requirement: r.descriptor.artifactType ?? "",
        met: true,
        chain: [r.descriptor.digest],
      })),
    },
    referrers,
    modes: [
      { repository: "myregistry.azurecr.io/net-monitor", role: "subject" as const, mode: "api" as const },
      {
        repository: "myregistry.azurecr.io/sample-staging/net-monitor",
        role: "promotion" as const,
        mode: "tag-schema" as const,
      },
    ],
  };
}

const walkthrough = (): ReferrerNode[] => [
  node("signature/example"),
  node("readme/example"),
  node("sbom/example", [node("signature/example")]),
];

/** 3 levels, 30 manifests: 3 artifacts, each with an SBOM that carries 8 signatures. */
const threeLevels = (): ReferrerNode[] =>
  Array.from({ length: 3 }, (_, i) =>
    node(`application/vnd.example.kind${i}`, [
      node(
        "application/spdx+json",
        Array.from({ length: 8 }, () => node("application/vnd.cncf.notary.signature")),
      ),
    ]),
  );

const cases: [string, SummaryInput][] = [
  ["walkthrough", input("myregistry.azurecr.io/net-monitor:v1", walkthrough())],
  ["three-levels-30-nodes", input("myregistry.azurecr.io/net-monitor:v1", threeLevels())],
  [
    "36-referrers",
    input("myregistry.azurecr.io/net-monitor:v1", [
      ...Array.from({ length: 30 }, () => node("application/vnd.cncf.notary.signature")),
      ...Array.from({ length: 6 }, (_, i) => node(`application/vnd.example.t${i}`)),
    ]),
  ],
  [
    "106-referrers",
    input(
      "myregistry.azurecr.io/net-monitor:v1",
      [
        ...Array.from({ length: 88 }, () => node("application/vnd.cncf.notary.signature")),
        ...Array.from({ length: 18 }, (_, i) =>
          node(`application/vnd.example.kind${i}`, [node("application/sig")]),
        ),
      ].slice(0, 106),
    ),
  ],
  [
    "hostile-names",
    input('reg.example/app"]; x[<b>:v1', [
      node('application/vnd.x"quoted"'),
      node("application/vnd.[bracket]]"),
      node("application/vnd.<script>alert(1)</script>", [node("a/b\n└── fake")]),
      node("text/x|pipe`tick`&amp;#35;"),
    ]),
  ],
];

interface Measured {
  parseError: string;
  tables: { width: number; scrollWidth: number; clientWidth: number }[];
  svg: { width: number; height: number; scale: number } | undefined;
  nodeIds: string[];
  edgeIds: string[];
  subjectTop: number;
  minNodeTop: number;
  pageHeight: number;
}

/** Renders the summary in `page` as GitHub would (its table and code styles) and measures it. */
async function renderAndMeasure(page: Page, markdown: string): Promise<Measured> {
  await page.setContent(
    `<!doctype html><html><head><meta charset="utf-8"><style>
      body { margin: 0; background: #fff; }
      .markdown-body { box-sizing: border-box; width: ${BOX}px; padding: 16px 0; margin: 0 16px;
        font: 14px/1.5 -apple-system, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; color: #1f2328; }
      table { display: block; width: max-content; max-width: 100%; overflow: auto; border-collapse: collapse; }
      th, td { padding: 6px 13px; border: 1px solid #d1d9e0; }
      code { font: 85% ui-monospace, SFMono-Regular, Menlo, monospace; background: #eff1f3; padding: .2em .4em; border-radius: 6px; }
      pre { background: #f6f8fa; padding: 16px; overflow: auto; }
      pre code { background: none; padding: 0; }
    </style></head><body><div class="markdown-body" id="box"></div></body></html>`,
  );
  await page.addScriptTag({ path: join(ROOT, "node_modules", "marked", "lib", "marked.umd.js") });
  await page.addScriptTag({ path: join(ROOT, "node_modules", "mermaid", "dist", "mermaid.min.js") });
  await page.addScriptTag({ path: join(__dirname, "summary-page.js") });
  return page.evaluate(
    (md) => (globalThis as unknown as { measureSummary(md: string): Promise<Measured> }).measureSummary(md),
    markdown,
  );
}

describe("the job summary rendered in headless Chromium", () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(
        `${CHROMIUM} is missing: run 'bash scripts/peers/install.sh' (it installs Debian's chromium)`,
      );
    mkdirSync(OUT, { recursive: true });
    // The flags keep Chromium off the network (this machine has none); launch() gives it a fresh,
    // empty profile directory of its own.
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    page = await browser.newPage({ viewport: { width: BOX + 32, height: 800 } });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  test.each(cases)(
    "%s",
    async (name, summaryInput) => {
      const markdown = renderSummary(summaryInput);
      const m = await renderAndMeasure(page, markdown);
      await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });

      expect(m.parseError).toBe("");
      // Every node declared in the diagram source is drawn, and each is on an edge.
      const declared = [...markdown.matchAll(/^ {2}(n\d+)\["/gm)].map((x) => x[1] as string);
      expect(m.nodeIds.sort()).toEqual([...declared].sort());
      const linked = new Set(m.edgeIds.flatMap((id) => /L_(n\d+)_(n\d+)_/.exec(id)?.slice(1) ?? []));
      expect(m.nodeIds.filter((id) => !linked.has(id))).toEqual([]);
      // Tables fit GitHub's box: no hidden column.
      for (const t of m.tables) {
        expect(t.width).toBeLessThanOrEqual(BOX);
        expect(t.scrollWidth).toBeLessThanOrEqual(t.clientWidth + 1);
      }
      const referrers = countAll(summaryInput.referrers);
      if (!markdown.includes("```mermaid")) {
        // Too big or too wide to draw: the artifacts per type and the tree instead.
        expect(referrers).toBeGreaterThan(MAX_MERMAID_NODES - 1);
        expect(markdown).toContain(`${referrers} referrers, too many to draw; by type:`);
        expect(m.svg).toBeUndefined();
      } else {
        // The diagram is bounded and legible (not shrunk below 70 %), the subject on top.
        expect(m.svg).toBeDefined();
        expect(m.svg?.height).toBeLessThanOrEqual(MAX_DIAGRAM_HEIGHT);
        expect(m.svg?.width).toBeLessThanOrEqual(BOX);
        expect(m.svg?.scale).toBeGreaterThanOrEqual(0.7);
        expect(m.subjectTop).toBe(m.minNodeTop);
      }
      expect(m.pageHeight).toBeLessThan(4000);
    },
    60_000,
  );
});
