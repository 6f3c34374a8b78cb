#!/usr/bin/env node
// Prints the folder -> folder import edges of src/ (one per line, with the number of import
// statements), so the layering in the design notes can be checked by anyone:
//   node scripts/module-graph.mjs            edges between src/ folders
//   node scripts/module-graph.mjs --external also the npm packages each folder imports
// Type-only imports count too: they are still a dependency of the folder.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "src");
const external = process.argv.includes("--external");

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return path.endsWith(".ts") ? [path] : [];
  });
}

/** The top folder under src/ a file belongs to ("auth" for src/auth/azure/x.ts). */
function folderOf(path) {
  return relative(root, path).split(sep)[0];
}

// Static `import ... from "x"`, `export ... from "x"` and dynamic `import("x")`.
const specifier =
  /(?:^|\n)(?:import|export)\s(?:[^;"']|"[^"]*"|'[^']*')*?\bfrom\s*["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/g;

const edges = new Map();
for (const file of files(root)) {
  const from = folderOf(file);
  const text = readFileSync(file, "utf8");
  for (const match of text.matchAll(specifier)) {
    const spec = match[1] ?? match[2];
    let to;
    if (spec.startsWith(".")) to = folderOf(resolve(dirname(file), spec));
    else if (!external || spec.startsWith("node:")) continue;
    else to = "npm:" + (spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]);
    if (to === from) continue;
    const key = `${from} -> ${to}`;
    edges.set(key, (edges.get(key) ?? 0) + 1);
  }
}
for (const key of [...edges.keys()].sort()) console.log(`${key} (${edges.get(key)})`);
