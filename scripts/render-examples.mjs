// Writes examples/*.yml with the build-time settings of scripts/publish-settings.mjs applied
// (the Action's owner/repository in `uses:`), for a fork or a private copy of the Action.
//
//   OCIGRAPH_ACTION_REPOSITORY=contoso/ocigraph node scripts/render-examples.mjs [output-dir]   (default: ./out/examples)
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { applySettings, publishSettings } from "./publish-settings.mjs";

const root = resolve(import.meta.dirname, "..");
const out = resolve(process.argv[2] ?? join(root, "out", "examples"));
const settings = publishSettings();
mkdirSync(out, { recursive: true });
for (const name of readdirSync(join(root, "examples")).filter((f) => f.endsWith(".yml"))) {
  writeFileSync(join(out, name), applySettings(readFileSync(join(root, "examples", name), "utf8"), settings));
  console.log(join(out, name));
}
