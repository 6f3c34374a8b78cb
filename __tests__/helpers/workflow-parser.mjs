// Parses workflow files and action.yml files with GitHub's own parser (@actions/workflow-parser,
// ESM-only, so it runs here in a child process rather than inside jest) and prints, as JSON, the
// errors found in each: { "<path>": ["message", ...] }.
//
//   node workflow-parser.cjs workflow <file>... action <file>...
//
// The package imports its JSON schemas without import attributes (it is written for bundlers), so
// it is bundled with esbuild into a temporary module first.
import { build } from "esbuild";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const bundled = await build({
  stdin: {
    contents:
      'export { NoOperationTraceWriter, parseWorkflow, convertWorkflowTemplate } from "@actions/workflow-parser";\n' +
      'export { parseAction } from "@actions/workflow-parser/actions/action-parser";\n',
    resolveDir: import.meta.dirname,
  },
  bundle: true,
  format: "cjs",
  platform: "node",
  write: false,
  logLevel: "error",
});
const dir = mkdtempSync(join(tmpdir(), "ocigraph-workflow-parser-"));
writeFileSync(join(dir, "parser.cjs"), bundled.outputFiles[0].contents);
const { NoOperationTraceWriter, parseWorkflow, convertWorkflowTemplate, parseAction } = await import(
  pathToFileURL(join(dir, "parser.cjs")).href
);
rmSync(dir, { recursive: true, force: true });

const result = {};
let kind = "workflow";
for (const arg of process.argv.slice(2)) {
  if (arg === "workflow" || arg === "action") {
    kind = arg;
    continue;
  }
  const file = { name: arg, content: readFileSync(arg, "utf8") };
  const trace = new NoOperationTraceWriter();
  const parsed = kind === "workflow" ? parseWorkflow(file, trace) : parseAction(file, trace);
  const errors = parsed.context.errors.getErrors().map((e) => e.message);
  if (kind === "workflow" && parsed.value && errors.length === 0) {
    // The converter checks what the schema cannot: job needs, step ids, matrix, concurrency.
    const template = await convertWorkflowTemplate(parsed.context, parsed.value);
    errors.push(...(template.errors ?? []).map((e) => e.Message ?? String(e)));
  }
  result[arg] = errors;
}
process.stdout.write(JSON.stringify(result));
