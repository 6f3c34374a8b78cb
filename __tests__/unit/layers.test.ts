// The layers of the design notes, checked on the real import graph: every folder of src/ has a
// rank, and each import points to a strictly lower one, so data flows down and never back up.
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";

const root = path.resolve(__dirname, "..", "..");

const RANK: Record<string, number> = {
  action: 6,
  task: 6,
  cli: 6,
  job: 5,
  connect: 4,
  graph: 3,
  registry: 3,
  layout: 3,
  pack: 2,
  auth: 2,
  // renders what graph operations return; the shapes it reads live in oci/graph-results.ts
  report: 2,
  util: 1,
  oci: 0,
};

const edges = execFileSync(process.execPath, [path.join(root, "scripts", "module-graph.mjs")], {
  encoding: "utf8",
})
  .split("\n")
  .filter(Boolean)
  .map((line) => {
    const m = /^(\S+) -> (\S+) \(\d+\)$/.exec(line);
    if (!m) throw new Error(`unexpected module-graph line: ${line}`);
    return { from: m[1]!, to: m[2]! };
  });

describe("src/ layering", () => {
  it("ranks every folder of src/", () => {
    const folders = readdirSync(path.join(root, "src"), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
    expect(folders.filter((f) => RANK[f] === undefined)).toEqual([]);
  });

  it("imports only downwards", () => {
    expect(edges.length).toBeGreaterThan(10);
    const upward = edges.filter((e) => !((RANK[e.from] ?? -1) > (RANK[e.to] ?? 99)));
    expect(upward.map((e) => `${e.from} -> ${e.to}`)).toEqual([]);
  });
});
