// `ocigraph --help` lists each command on one line; each command's --help shows its own flags,
// the connection flags and the Azure flags under their own headings, and ends with examples.
import { runCli } from "../../../src/cli/program";
import { AZURE_OPTIONS, CONNECTION_OPTIONS, HELP_COMMANDS } from "../../../src/cli/help";

async function help(args: string[]): Promise<string> {
  let out = "";
  const code = await runCli(args, {
    stdout: (t) => (out += t),
    stderr: (t) => (out += t),
    stdin: async () => "",
  });
  expect(code).toBe(0);
  return out;
}

/** The lines of a help section, from its heading to the next blank line. */
function section(text: string, heading: string): string[] {
  const lines = text.split("\n");
  const start = lines.indexOf(heading);
  if (start < 0) return [];
  const end = lines.findIndex((l, i) => i > start && l === "");
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

const flagsOf = (lines: string[]): string[] =>
  lines.flatMap((l) => [...l.matchAll(/^ {2}(?:-\w, )?(--[\w-]+)/g)].map((m) => m[1] as string));

test("ocigraph --help lists the commands, one line each", async () => {
  const commands = section(await help(["--help"]), "Commands:");
  expect(commands.map((l) => l.trim().split(/\s+/)[0])).toEqual([
    ...HELP_COMMANDS.map((c) => (c === "copy" ? "copy|cp" : c)),
    "help",
  ]);
  for (const line of commands) expect(line.length).toBeLessThanOrEqual(80);
});

test.each(HELP_COMMANDS)("ocigraph %s --help: own flags, grouped shared flags, examples", async (command) => {
  const text = await help([command, "--help"]);
  const own = flagsOf(section(text, "Options:"));
  const connection = flagsOf(section(text, CONNECTION_OPTIONS));
  const azure = flagsOf(section(text, AZURE_OPTIONS));
  // No Azure or connection flag is mixed into the command's own list.
  expect(own.filter((f) => f.startsWith("--azure-"))).toEqual([]);
  expect(own).not.toContain("--plain-http");
  expect(own).not.toContain("--registry-config");
  for (const f of azure) expect(f).toMatch(/^--azure-/);
  // Every command connects to something: the connection heading is never empty.
  expect(connection).toContain("--registry-config");
  const examples = section(text, "Examples:");
  expect(examples.length).toBeGreaterThanOrEqual(["logout", "unlock"].includes(command) ? 1 : 2);
  expect(examples.length).toBeLessThanOrEqual(3);
  for (const e of examples) expect(e).toMatch(new RegExp(`^ {2}\\$ (echo .* \\| )?ocigraph ${command} `));
});

test("a command's help lists no other command's flags", async () => {
  const attach = await help(["attach", "--help"]);
  for (const other of ["--recursive", "--output", "--require", "--dry-run", "--keep-old-files"])
    expect(attach).not.toContain(other);
});
