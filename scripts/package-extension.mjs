// Packages the Azure Pipelines extension (.vsix) with tfx: stages task.json and the bundled
// dist/task.js (a launcher) with the bundles it loads, dist/lib/, as the task folder OcigraphAttach/,
// next to vss-extension.json and README.md.
//
//   OCIGRAPH_PUBLISHER=contoso node scripts/package-extension.mjs [output-dir]   (default: ./out)
import { execFileSync } from "node:child_process";
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { applySettings, publishSettings } from "./publish-settings.mjs";

const root = resolve(import.meta.dirname, "..");
const out = resolve(process.argv[2] ?? join(root, "out"));
const settings = publishSettings();
const stage = mkdtempSync(join(tmpdir(), "ocigraph-vsix-"));
try {
  mkdirSync(join(stage, "OcigraphAttach", "dist"), { recursive: true });
  const [major, minor, patch] = settings.version.split(".").map(Number);
  const task = JSON.parse(readFileSync(join(root, "task.json"), "utf8"));
  task.version = { Major: major, Minor: minor, Patch: patch };
  writeFileSync(join(stage, "OcigraphAttach", "task.json"), `${JSON.stringify(task, null, 2)}\n`);
  copyFileSync(join(root, "dist", "task.js"), join(stage, "OcigraphAttach", "dist", "task.js"));
  cpSync(join(root, "dist", "lib"), join(stage, "OcigraphAttach", "dist", "lib"), { recursive: true });
  const manifest = JSON.parse(readFileSync(join(root, "vss-extension.json"), "utf8"));
  Object.assign(manifest, { publisher: settings.publisher, version: settings.version });
  writeFileSync(join(stage, "vss-extension.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(
    join(stage, "README.md"),
    applySettings(readFileSync(join(root, "README.md"), "utf8"), settings),
  );
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
