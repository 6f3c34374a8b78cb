// Packages the Azure Pipelines extension (.vsix) with tfx: stages task.json and the bundled
// dist/task.js (a launcher) with the bundles it loads, dist/lib/, as the task folder OcigraphAttach/,
// next to vss-extension.json and README.md.
//
//   node scripts/package-extension.mjs [output-dir]     (default: ./out)
import { execFileSync } from "node:child_process";
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const out = resolve(process.argv[2] ?? join(root, "out"));
const stage = mkdtempSync(join(tmpdir(), "ocigraph-vsix-"));
try {
  mkdirSync(join(stage, "OcigraphAttach", "dist"), { recursive: true });
  copyFileSync(join(root, "task.json"), join(stage, "OcigraphAttach", "task.json"));
  copyFileSync(join(root, "dist", "task.js"), join(stage, "OcigraphAttach", "dist", "task.js"));
  cpSync(join(root, "dist", "lib"), join(stage, "OcigraphAttach", "dist", "lib"), { recursive: true });
  copyFileSync(join(root, "vss-extension.json"), join(stage, "vss-extension.json"));
  copyFileSync(join(root, "README.md"), join(stage, "README.md"));
  mkdirSync(out, { recursive: true });
  const tfx = join(root, "node_modules", "tfx-cli", "_build", "tfx-cli.js");
  execFileSync(
    process.execPath,
    [
      tfx,
      "extension",
      "create",
      "--root",
      stage,
      "--manifest-globs",
      "vss-extension.json",
      "--output-path",
      out,
      "--no-prompt",
      "--json",
    ],
    { stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, TFX_TRACE: "" } },
  );
} finally {
  rmSync(stage, { recursive: true, force: true });
}
