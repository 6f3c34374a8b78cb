// The bundles resolve `undici` imported by src/ to scripts/undici-core.cjs (scripts/build.mjs).
// A value imported from "undici" that the slice does not export would be `undefined` in dist/
// while every test against src/ still passed: this holds the two together.
import { readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const root = path.resolve(__dirname, "../../..");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sourceFiles(path.join(dir, e.name))
      : e.name.endsWith(".ts")
        ? [path.join(dir, e.name)]
        : [],
  );
}

/** Value (not type-only) names imported from "undici" across src/. */
function valueImportsOfUndici(): Set<string> {
  const names = new Set<string>();
  for (const file of sourceFiles(path.join(root, "src"))) {
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(/import\s+(type\s+)?\{([^}]*)\}\s+from\s+"undici"/g)) {
      if (m[1]) continue;
      for (const part of (m[2] ?? "").split(",")) {
        const name = part.trim();
        if (name && !name.startsWith("type ")) names.add(name.split(/\s+as\s+/)[0]!.trim());
      }
    }
    expect(text).not.toMatch(/from\s+"undici\//); // deep imports would bypass the slice's review
  }
  return names;
}

test("the bundles' undici slice exports every value src/ imports from undici", () => {
  const slice = createRequire(__filename)(path.join(root, "scripts/undici-core.cjs")) as Record<
    string,
    unknown
  >;
  const used = valueImportsOfUndici();
  expect(used.size).toBeGreaterThan(0);
  for (const name of used)
    expect({ name, exported: slice[name] !== undefined }).toEqual({ name, exported: true });
});

test("the slice's members are undici's own", () => {
  const req = createRequire(__filename);
  const slice = req(path.join(root, "scripts/undici-core.cjs")) as Record<string, unknown>;
  const full = req("undici") as Record<string, unknown>;
  for (const name of ["Agent", "EnvHttpProxyAgent", "RedirectHandler", "getGlobalDispatcher"])
    expect(slice[name]).toBe(full[name]);
  expect((slice.interceptors as Record<string, unknown>).retry).toBe(
    (full.interceptors as Record<string, unknown>).retry,
  );
});
