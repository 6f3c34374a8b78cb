// README "The walkthrough on ACR, step by step": every step has an ocigraph answer, every ocigraph
// verb it names is a real command, and every Action input or output it names exists.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildProgram } from "../../../src/cli/program";
import { INPUTS } from "../../../src/job/inputs";
import { OUTPUTS } from "../../../src/job/outputs";

const readme = readFileSync(join(__dirname, "..", "..", "..", "README.md"), "utf8");
const section = readme.split("## The walkthrough on ACR, step by step")[1]?.split("\n## ")[0] ?? "";
const rows = section
  .split("\n")
  .filter((l) => l.startsWith("| ") && !l.startsWith("| Step") && !l.startsWith("| ---"))
  .map((l) =>
    l
      .slice(2, -2)
      .split(/ (?<!\\)\| /)
      .map((c) => c.trim()),
  );

test("the table has the reference's steps, each with an ocigraph answer", () => {
  expect(rows.length).toBeGreaterThanOrEqual(20);
  for (const [step, walkthrough, answer] of rows) {
    expect([step, walkthrough, answer].every((c) => c && c !== "—")).toBe(true);
  }
  for (const must of ["az acr manifest list-metadata", "oras copy -r", "oras attach", "oras pull"]) {
    expect(rows.some((r) => r[1]?.includes(must))).toBe(true);
  }
});

test("every ocigraph verb in it is a command, every Action input or output in it exists", () => {
  const program = buildProgram({ stdout: () => undefined, stderr: () => undefined, stdin: async () => "" });
  const commands = new Set(program.commands.map((c) => c.name()));
  const verbs = rows.flatMap((r) =>
    [...(r[2] ?? "").matchAll(/ocigraph ([a-z]+)/g)].map((m) => m[1] as string),
  );
  expect(verbs.length).toBeGreaterThanOrEqual(15);
  for (const verb of verbs) expect(commands).toContain(verb);
  const names = new Set([...INPUTS.map((i) => i.action), ...OUTPUTS.map((o) => o.action)]);
  const taskNames = new Set([
    ...INPUTS.map((i) => i.key),
    ...OUTPUTS.map((o) => o.task),
    "azureSubscription",
    "dockerRegistryServiceConnection",
  ]);
  let checked = 0;
  for (const row of rows) {
    const cell = row[3] ?? "";
    const [action, task] = cell.split("(task:");
    for (const m of (action ?? "").matchAll(/`([a-z-]+)(?::[^`]*)?`/g)) {
      expect(names).toContain(m[1]);
      checked++;
    }
    for (const m of (task ?? "").matchAll(/`([A-Za-z]+)`/g)) {
      expect(taskNames).toContain(m[1]);
      checked++;
    }
  }
  expect(checked).toBeGreaterThanOrEqual(20);
});
