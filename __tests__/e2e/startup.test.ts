// What the bundled entry points load before they do any work. `--version`, `--help` and usage
// errors must load no undici, Azure or tar code (start-up is most of a small run: issue 13);
// a real command must still load them (so the check can fail). Needs `npm run build`.
import { spawn } from "node:child_process";
import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { nodeBinaries } from "./runner";

const ROOT = join(__dirname, "..", "..");
const DIST = join(ROOT, "dist");
const LIB = join(DIST, "lib");

/** Packages that only a command doing real work may load. */
const HEAVY = ["undici", "@azure/identity", "@azure/msal-node", "tar-stream", "azure-pipelines-task-lib"];

let dir: string;
let hooks: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "ocigraph-startup-"));
  // A module hook that appends every ES module URL Node loads to $OCIGRAPH_LOADED (Node >= 20.6).
  const loader = join(dir, "log-loads.mjs");
  await writeFile(
    loader,
    `import { appendFileSync } from "node:fs";
export async function load(url, context, next) {
  if (url.startsWith("file:")) appendFileSync(process.env.OCIGRAPH_LOADED, url + "\\n");
  return next(url, context);
}
`,
  );
  hooks = join(dir, "register.mjs");
  await writeFile(
    hooks,
    `import { register } from "node:module";\nregister(${JSON.stringify(pathToFileURL(loader).href)});\n`,
  );
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Loaded {
  code: number | null;
  stdout: string;
  files: string[];
  /** node_modules packages whose code is in the files loaded (esbuild's path comments). */
  packages: Set<string>;
}

async function loadedBy(node: string, script: string, args: string[]): Promise<Loaded> {
  const log = join(dir, `loaded-${Math.random().toString(36).slice(2)}.txt`);
  await writeFile(log, "");
  const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
    const child = spawn(node, ["--import", pathToFileURL(hooks).href, script, ...args], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? "", OCIGRAPH_LOADED: log, NODE_COMPILE_CACHE: join(dir, "cache") },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.on("error", reject);
    child.on("close", (c) => resolve({ code: c, stdout: out }));
  });
  const files = (await readFile(log, "utf8"))
    .split("\n")
    .filter((l) => l.startsWith("file:") && l.includes("/dist/lib/"))
    .map((l) => new URL(l).pathname);
  const packages = new Set<string>();
  for (const file of files) {
    for (const m of (await readFile(file, "utf8")).matchAll(/^\/\/ .*node_modules\/((?:@[^/]+\/)?[^/]+)\//gm))
      packages.add(m[1] as string);
  }
  return { code, stdout, files, packages };
}

const heavyIn = (packages: Set<string>): string[] => HEAVY.filter((p) => packages.has(p));

describe.each(nodeBinaries())("start-up under %s", (_label, node) => {
  const cli = join(DIST, "cli.js");

  test("--version loads no bundle at all and prints the package version", async () => {
    const { version } = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8")) as { version: string };
    const run = await loadedBy(node, cli, ["--version"]);
    expect([run.code, run.stdout, run.files]).toEqual([0, `${version}\n`, []]);
  });

  test.each([
    ["--help", ["--help"]],
    ["help of a verb", ["attach", "--help"]],
    ["no command", []],
    ["a missing argument", ["attach"]],
    ["an unknown option", ["discover", "x/y:z", "--no-such-flag"]],
    ["an unknown command", ["no-such-verb"]],
  ])("%s loads commander only", async (_name, args) => {
    const run = await loadedBy(node, cli, args);
    expect(run.files.length).toBeGreaterThan(0);
    expect(heavyIn(run.packages)).toEqual([]);
    expect([...run.packages]).toEqual(["commander"]);
  });

  test("a command that works loads the engine (the check above can fail)", async () => {
    const run = await loadedBy(node, cli, ["pull", "--oci-layout", join(dir, "no-such-layout:v1")]);
    expect(run.code).toBe(1);
    expect(heavyIn(run.packages)).toEqual(expect.arrayContaining(["undici", "tar-stream"]));
    expect(run.packages.has("@azure/identity")).toBe(false);
  });
});

test("dist/lib holds exactly what the entry points can load (no stale chunks)", async () => {
  const files = new Set(await readdir(LIB));
  const reached = new Set<string>();
  const queue = ["cli.mjs", "action.mjs", "task.mjs"];
  while (queue.length) {
    const file = queue.pop() as string;
    if (reached.has(file)) continue;
    reached.add(file);
    const text = await readFile(join(LIB, file), "utf8");
    for (const m of text.matchAll(/(?:from |import\()"\.\/([\w-]+\.mjs)"/g)) queue.push(m[1] as string);
  }
  expect([...files].sort()).toEqual([...reached].sort());
  for (const launcher of ["cli.js", "action.js", "task.js"]) {
    expect(await readFile(join(DIST, launcher), "utf8")).toContain(
      `import("./lib/${launcher.replace(".js", ".mjs")}")`,
    );
  }
});
