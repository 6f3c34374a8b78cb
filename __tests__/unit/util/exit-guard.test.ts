// Issue 10, point 3: a process whose event loop drains while its work is pending exits 1 with
// one line naming what was pending. The real guard is bundled into a tiny entry point (as
// esbuild bundles dist/*.js) and run by node, once with work that can never settle.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { buildSync } from "esbuild";

const GUARD = resolve(__dirname, "..", "..", "..", "src", "util", "exit-guard.ts");

function runEntry(body: string): { status: number | null; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), "ocigraph-guard-"));
  writeFileSync(join(dir, "entry.ts"), `import { guardPending } from ${JSON.stringify(GUARD)};\n${body}\n`);
  buildSync({
    entryPoints: [join(dir, "entry.ts")],
    outfile: join(dir, "entry.js"),
    bundle: true,
    platform: "node",
    format: "cjs",
    logLevel: "error",
  });
  const res = spawnSync(process.execPath, [join(dir, "entry.js")], { encoding: "utf8" });
  return { status: res.status, stderr: res.stderr };
}

describe("the exit guard", () => {
  it("turns a drained event loop with work pending into exit 1 and one line", () => {
    // A step that waits on itself: nothing will ever settle it, and nothing keeps node alive.
    const res = runEntry(`
      let resolveSelf: () => void = () => undefined;
      const self: Promise<void> = new Promise((r) => (resolveSelf = r)).then(() => self);
      void resolveSelf;
      guardPending("ocigraph copy", self);`);
    expect(res.status).toBe(1);
    const lines = res.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Error: ocigraph copy stopped with its work still pending/);
  });

  it("stays silent and keeps the status when the work settles", () => {
    expect(runEntry(`guardPending("ocigraph copy", new Promise((r) => setTimeout(r, 20)));`)).toEqual({
      status: 0,
      stderr: "",
    });
    const failed = runEntry(
      `process.exitCode = 3; guardPending("x", Promise.reject(new Error("x")).catch(() => undefined));`,
    );
    expect(failed).toEqual({ status: 3, stderr: "" });
  });

  it.each(["cli", "action", "task"])("guards the %s entry point in dist/", (name) => {
    // dist/<name>.js is a launcher that imports dist/lib/<name>.mjs; the guard is in that bundle
    // or in a chunk it imports statically.
    const dist = resolve(__dirname, "..", "..", "..", "dist");
    expect(readFileSync(join(dist, `${name}.js`), "utf8")).toContain(`import("./lib/${name}.mjs")`);
    const entry = readFileSync(join(dist, "lib", `${name}.mjs`), "utf8");
    const chunks = [...entry.matchAll(/from\s*"\.\/(chunk-[A-Z0-9]+\.mjs)"/g)].map((m) => m[1] as string);
    const loaded = [entry, ...chunks.map((c) => readFileSync(join(dist, "lib", c), "utf8"))].join("\n");
    expect(loaded).toContain("stopped with its work still pending");
  });
});
