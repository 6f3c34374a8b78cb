// The examples a user copies use only inputs the action and the task have, and the outputs they read exist.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { load } from "js-yaml";
import { INPUTS, TASK_ONLY_INPUTS } from "../../../src/job/inputs";
import { OUTPUTS } from "../../../src/job/outputs";

const root = join(__dirname, "..", "..", "..");

/** Every object in `node` with a key `key`, depth first. */
function findAll(node: unknown, key: string): Record<string, unknown>[] {
  if (Array.isArray(node)) return node.flatMap((n) => findAll(n, key));
  if (typeof node !== "object" || node === null) return [];
  const here = key in node ? [node as Record<string, unknown>] : [];
  return [...here, ...Object.values(node).flatMap((v) => findAll(v, key))];
}

test("examples/github-workflow.yml", () => {
  const text = readFileSync(join(root, "examples", "github-workflow.yml"), "utf8");
  const steps = findAll(load(text), "uses").filter((s) => String(s["uses"]).startsWith("ocigraph/ocigraph@"));
  expect(steps).toHaveLength(3);
  const names = new Set(INPUTS.filter((s) => s.in.includes("action")).map((s) => s.action));
  for (const step of steps) {
    const inputs = Object.keys(step["with"] as object);
    expect(inputs.filter((i) => !names.has(i))).toEqual([]);
    expect(inputs).toContain("subject");
  }
  const outputs = new Set(OUTPUTS.map((o) => o.action));
  for (const [, name] of text.matchAll(/steps\.attach\.outputs\.([\w-]+)/g))
    expect(outputs.has(name as string)).toBe(true);
});

test("examples/azure-pipelines.yml", () => {
  const text = readFileSync(join(root, "examples", "azure-pipelines.yml"), "utf8");
  const steps = findAll(load(text), "task").filter((s) => String(s["task"]).startsWith("OcigraphAttach@"));
  expect(steps).toHaveLength(3);
  const names = new Set<string>([
    ...INPUTS.filter((s) => s.in.includes("task")).map((s) => s.key),
    ...TASK_ONLY_INPUTS,
  ]);
  for (const step of steps) {
    const inputs = Object.keys(step["inputs"] as object);
    expect(inputs.filter((i) => !names.has(i))).toEqual([]);
  }
  const variables = new Set(OUTPUTS.map((o) => o.task));
  for (const [, name] of text.matchAll(/\$\(attach\.(\w+)\)/g))
    expect(variables.has(name as string)).toBe(true);
});

interface TaskInput {
  name: string;
  type: string;
  options?: Record<string, string>;
}

/** Does `value` fit a task.json input of `type`? A `$(variable)` macro fits any type (the agent expands it). */
function fitsType(input: TaskInput, value: unknown): boolean {
  if (typeof value !== "string" && typeof value !== "boolean") return false;
  const text = String(value);
  if (/^\$\([\w.]+\)$/.test(text.trim())) return true;
  switch (input.type) {
    case "boolean":
      return /^(true|false)$/i.test(text);
    case "multiLine":
      return true;
    case "pickList":
    case "radio":
      return Object.keys(input.options ?? {}).includes(text);
    default:
      // string, filePath, connectedService:*: one line
      return !text.trim().includes("\n");
  }
}

test("examples/azure-pipelines.yml: every task input exists in task.json with a value of its type", () => {
  const task = JSON.parse(readFileSync(join(root, "task.json"), "utf8")) as { inputs: TaskInput[] };
  const byName = new Map(task.inputs.map((i) => [i.name, i]));
  const text = readFileSync(join(root, "examples", "azure-pipelines.yml"), "utf8");
  const steps = findAll(load(text), "task").filter((s) => String(s["task"]).startsWith("OcigraphAttach@"));
  const problems: string[] = [];
  for (const step of steps) {
    for (const [name, value] of Object.entries(step["inputs"] as Record<string, unknown>)) {
      const input = byName.get(name);
      if (!input) problems.push(`${name}: not an input of task.json`);
      else if (!fitsType(input, value))
        problems.push(`${name}: ${JSON.stringify(value)} is not a ${input.type}`);
    }
  }
  expect(problems).toEqual([]);
  // The check itself can fail: a multi-line value in a string input, a word in a boolean one.
  expect(fitsType({ name: "subject", type: "string" }, "a\nb")).toBe(false);
  expect(fitsType({ name: "plainHttp", type: "boolean" }, "yes")).toBe(false);
});
