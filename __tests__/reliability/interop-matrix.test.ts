// Issue 10, point 6: the writer x reader x target table. Each writer (ocigraph, oras, regctl)
// attaches the same graph (a signature and an SBOM on a multi-arch index, the SBOM's signature,
// a scan report on a platform manifest) to a layout, to distribution 2.8 (tag-schema fallback)
// and to refreg (referrers API); each reader (ocigraph discover, oras discover, regctl artifact
// tree, all in their default modes) must report exactly the edges the writer made.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  TARGET_KINDS,
  TOOLS,
  type TargetKind,
  type Tool,
  makePlace,
  readEdges,
  writeGraph,
} from "../helpers/peer-graphs";
import { assertValidLayout } from "../helpers/schemas";
import { type ScenarioFigure, recordFigure, testFileOf } from "./figures";

interface Cell {
  writer: Tool;
  reader: Tool;
  target: TargetKind;
  ok: boolean;
  note: string;
}

const cells: Cell[] = [];

describe.each(TARGET_KINDS.flatMap((t) => TOOLS.map((w) => [t, w] as const)))(
  "a graph on %s written by %s",
  (target, writer) => {
    it("is read edge for edge by ocigraph, oras and regctl", async () => {
      const dir = await mkdtemp(join(tmpdir(), "ocigraph-interop-"));
      const place = await makePlace(target);
      const written = await writeGraph(writer, place, dir);
      expect(written.edges).toHaveLength(6);
      if (target === "layout" && writer === "ocigraph") await assertValidLayout(place.repo);
      const failures: string[] = [];
      for (const reader of TOOLS) {
        // regctl's default mode reads a layout's tag-schema indexes only, not the referrers
        // oras lists in index.json: for oras's layouts it needs --slow-referrers (said in the cell).
        const slowReferrers = reader === "regctl" && writer === "oras" && target === "layout";
        let note = slowReferrers ? "with --slow-referrers; " : "";
        let read: string[] = [];
        try {
          read = await readEdges(reader, place, written.subject.index, dir, { slowReferrers });
        } catch (err) {
          note += (err as Error).message.split("\n")[0] as string;
          read = [];
        }
        const missing = written.edges.filter((e) => !read.includes(e));
        const extra = read.filter((e) => !written.edges.includes(e));
        const ok = read.length > 0 && missing.length === 0 && extra.length === 0;
        if (!ok && !note.includes("exited")) note += `${missing.length} missing, ${extra.length} extra`;
        cells.push({
          writer,
          reader,
          target,
          ok,
          note: ok ? `${note}${read.length} of ${written.edges.length} edges` : note,
        });
        if (!ok)
          failures.push(`${reader}: ${note} (missing ${missing.join(", ")}; extra ${extra.join(", ")})`);
      }
      expect(failures).toEqual([]);
    });
  },
);

afterAll(() => {
  if (cells.length !== TARGET_KINDS.length * TOOLS.length * TOOLS.length) return;
  const scenarios: ScenarioFigure[] = cells.map((c) => ({
    scenario: `${c.writer} writes, ${c.reader} reads, ${c.target}`,
    runs: 1,
    passed: c.ok ? 1 : 0,
    notes: c.note,
  }));
  recordFigure({
    name: "interop-matrix",
    title: "Graphs other tools wrote: writer x reader x target",
    issueItem: 10,
    testFile: testFileOf(__filename),
    parameters: {
      edges: "6 per graph (2 index children, 4 referrers, depth 2)",
      oras: "v1.3.6",
      regctl: "v0.11.7",
    },
    scenarios,
  });
});
