// Bundles each entry point into one CommonJS file in dist/ so it runs with plain `node`
// on Node 20 and 24 without node_modules (ESM-only @actions/* and CommonJS task-lib alike).
import { build } from "esbuild";
import { chmodSync, existsSync } from "node:fs";

const entries = { cli: "src/cli/main.ts", action: "src/action/index.ts", task: "src/task/main.ts" };

for (const [name, entry] of Object.entries(entries)) {
  if (!existsSync(entry)) continue;
  await build({
    entryPoints: [entry],
    outfile: `dist/${name}.js`,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    legalComments: "none",
    banner: name === "cli" ? { js: "#!/usr/bin/env node" } : undefined,
    inject: ["scripts/import-meta-url.js"],
    define: { "import.meta.url": "import_meta_url" },
    logLevel: "warning",
  });
  // The CLI is the package's `bin`: executable, so `./dist/cli.js` and a global install run it.
  if (name === "cli") chmodSync(`dist/${name}.js`, 0o755);
}
