// Builds dist/: one small CommonJS launcher per entry point (dist/cli.js, dist/action.js,
// dist/task.js, the paths action.yml, task.json and package.json name) and, under dist/lib/,
// ES module bundles with code splitting, so a verb loads only the code it runs: `--version`,
// `--help` and error paths load no undici, Azure or tar code (bench/ANALYSIS.md, start-up).
//
// The launcher turns on V8's compile cache where Node has it (22+; a no-op on 20) before any
// bundle is loaded, then imports its bundle. Runs with plain `node` on Node 20 and 24 without
// node_modules. The file set is deterministic: dist/lib/ is emptied first and chunk names are
// content hashes, so the same sources always give the same files.
import { build } from "esbuild";
import { chmodSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

const entries = { cli: "src/cli/main.ts", action: "src/action/index.ts", task: "src/task/main.ts" };
const lib = join("dist", "lib");
const { version } = JSON.parse(readFileSync("package.json", "utf8"));

rmSync(lib, { recursive: true, force: true });
mkdirSync(lib, { recursive: true });

// Bundled CommonJS dependencies (task-lib, shelljs, tar-stream's helpers) call `require` for Node
// built-ins and read __filename/__dirname, which ES modules lack: every output file gets its own.
const banner = [
  'import { createRequire as __ocigraphRequire } from "node:module";',
  'import { fileURLToPath as __ocigraphPath } from "node:url";',
  'import { dirname as __ocigraphDir } from "node:path";',
  "const require = __ocigraphRequire(import.meta.url);",
  "const __filename = __ocigraphPath(import.meta.url);",
  "const __dirname = __ocigraphDir(__filename);",
].join(" ");

// `undici` imported by our own sources resolves to the slice of it we use (scripts/undici-core.cjs).
// Dependencies that import undici themselves still get the whole package.
const undiciCore = {
  name: "undici-core",
  setup(b) {
    b.onResolve({ filter: /^undici$/ }, (args) =>
      /[\\/]src[\\/]/.test(args.importer) ? { path: resolve("scripts/undici-core.cjs") } : undefined,
    );
  },
};

const result = await build({
  entryPoints: entries,
  outdir: lib,
  outExtension: { ".js": ".mjs" },
  entryNames: "[name]",
  chunkNames: "chunk-[hash]",
  bundle: true,
  splitting: true,
  platform: "node",
  target: "node20",
  format: "esm",
  legalComments: "none",
  banner: { js: banner },
  metafile: true,
  plugins: [undiciCore],
  logLevel: "warning",
});

// `ocigraph --version` is answered by the launcher itself: it is what scripts call to check the
// tool is there, and it needs no parser (the same string as program.ts; a unit test holds them equal).
const versionFastPath = `const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-V")) {
  process.stdout.write(${JSON.stringify(version + "\n")});
  return;
}
`;

// undici parses HTTP with llhttp compiled to WebAssembly. V8 first compiles it with Liftoff, then
// recompiles it in the background with TurboFan: that costs ~35 MiB of RSS, and a short command
// waits ~0.1 s at exit for the background compile it never uses to finish. A parser over headers
// and chunk framing runs fine on Liftoff code (bench/ANALYSIS.md). The flag must be set before undici
// compiles the module, so it goes first, in the launcher.
const liftoffOnly = `require("node:v8").setFlagsFromString("--liftoff-only");
`;

for (const name of Object.keys(entries)) {
  const cli = name === "cli";
  writeFileSync(
    join("dist", `${name}.js`),
    `${cli ? "#!/usr/bin/env node\n" : ""}// Launcher written by scripts/build.mjs: compile cache on (Node >= 22), then the bundle.
"use strict";
${cli ? versionFastPath : ""}${liftoffOnly}const m = require("node:module");
if (typeof m.enableCompileCache === "function") {
  try {
    m.enableCompileCache();
  } catch {
    // a read-only cache directory only costs speed
  }
}
import("./lib/${name}.mjs");
`,
  );
  // The CLI is the package's `bin`: executable, so `./dist/cli.js` and a global install run it.
  if (cli) chmodSync(join("dist", `${name}.js`), 0o755);
}

if (process.env.OCIGRAPH_BUILD_META)
  writeFileSync(process.env.OCIGRAPH_BUILD_META, JSON.stringify(result.metafile));
const files = readdirSync(lib).length;
if (process.argv.includes("--verbose")) console.log(`dist/lib: ${files} files`);
