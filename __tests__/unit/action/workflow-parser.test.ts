// The workflow examples and action.yml, parsed by GitHub's own parser (@actions/workflow-parser):
// any error it reports fails the test.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = join(__dirname, "..", "..", "..");
const PARSER = join(root, "__tests__", "helpers", "workflow-parser.mjs");

/** Errors per file, from __tests__/helpers/workflow-parser.mjs (run in its own Node: the parser is ESM-only). */
function parse(workflows: string[], actions: string[]): Record<string, string[]> {
  const out = execFileSync(process.execPath, [PARSER, "workflow", ...workflows, "action", ...actions], {
    cwd: root,
    encoding: "utf8",
  });
  return JSON.parse(out) as Record<string, string[]>;
}

test("examples/*.yml workflows and action.yml parse without an error", () => {
  // azure-pipelines.yml is not a GitHub workflow: it is checked against task.json in examples.test.ts.
  const workflows = readdirSync(join(root, "examples"))
    .filter((f) => /\.ya?ml$/.test(f) && f !== "azure-pipelines.yml")
    .map((f) => join("examples", f));
  expect(workflows.length).toBeGreaterThan(0);
  const errors = parse(workflows, ["action.yml"]);
  expect(Object.keys(errors).sort()).toEqual([...workflows, "action.yml"].sort());
  expect(errors).toEqual(Object.fromEntries(Object.keys(errors).map((f) => [f, []])));
});

test("the parser reports a mistyped step key and an unknown runtime (the check can fail)", () => {
  const dir = mkdtempSync(join(tmpdir(), "ocigraph-parse-"));
  const workflow = join(dir, "bad.yml");
  const action = join(dir, "action.yml");
  writeFileSync(
    workflow,
    "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: ocigraph/ocigraph@v1\n        wiht: { subject: x }\n",
  );
  writeFileSync(action, "name: x\ndescription: y\nruns:\n  using: node99\n  main: dist/action.js\n");
  const errors = parse([workflow], [action]);
  expect(errors[workflow]?.join("\n")).toContain("'wiht'");
  expect(errors[action]?.join("\n")).toContain("'node99'");
});
