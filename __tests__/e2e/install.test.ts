// Installs ocigraph as a user does: `npm pack` the package, install the tarball into an empty
// prefix (`npm install -g --prefix`), and run the README's walkthrough (scripts/demo.sh) with the
// installed `ocigraph` command. No registry is needed: the walkthrough runs on an OCI layout.
import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "../helpers/cli";
import { WALKTHROUGH_TREE } from "../helpers/walkthrough-tree";

const ROOT = join(__dirname, "..", "..");

interface PackResult {
  filename: string;
  files: { path: string; mode: number }[];
}

describe("npm pack, then npm install -g of the tarball into an empty prefix", () => {
  let dir: string;
  let pack: PackResult;
  let bin: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "ocigraph-install-"));
    // --ignore-scripts: packing must not rebuild dist/ (the suite's build already did).
    const out = execFileSync(
      "npm",
      ["pack", "--ignore-scripts", "--json", "--pack-destination", dir, "--cache", join(dir, "cache")],
      { cwd: ROOT, encoding: "utf8" },
    );
    pack = (JSON.parse(out) as PackResult[])[0] as PackResult;
    // --offline: the package has no dependencies (the CLI is one bundle), so nothing is downloaded.
    execFileSync(
      "npm",
      [
        "install",
        "-g",
        "--prefix",
        join(dir, "prefix"),
        "--offline",
        "--no-audit",
        "--no-fund",
        "--cache",
        join(dir, "cache"),
        join(dir, pack.filename),
      ],
      { cwd: dir, encoding: "utf8" },
    );
    bin = join(dir, "prefix", "bin", "ocigraph");
  }, 120_000);

  test("the tarball holds the bundled CLI, executable, and a package.json that can be published", async () => {
    const paths = pack.files.map((f) => f.path).sort();
    // The launcher, then the CLI's ES module bundle and the chunks it may load (dist/lib).
    expect(paths.filter((p) => !p.startsWith("dist/lib/"))).toEqual([
      "README.md",
      "dist/cli.js",
      "package.json",
    ]);
    const lib = paths.filter((p) => p.startsWith("dist/lib/"));
    expect(lib).toContain("dist/lib/cli.mjs");
    for (const p of lib) expect(p).toMatch(/^dist\/lib\/(cli|chunk-[A-Z0-9]+)\.mjs$/);
    const cli = pack.files.find((f) => f.path === "dist/cli.js");
    expect((cli?.mode ?? 0) & 0o111).not.toBe(0);
    const manifest = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8")) as Record<
      string,
      unknown
    >;
    expect(manifest["private"]).toBeUndefined();
    expect(manifest["dependencies"]).toBeUndefined();
    expect(manifest["bin"]).toEqual({ ocigraph: "dist/cli.js" });
    const head = (await readFile(join(ROOT, "dist", "cli.js"), "utf8")).slice(0, 20);
    expect(head.startsWith("#!/usr/bin/env node\n")).toBe(true);
  });

  test("the installed command runs", async () => {
    const version = await run(bin, ["--version"]);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  test("the walkthrough runs with the installed command and prints the graph", async () => {
    const work = await mkdtemp(join(tmpdir(), "ocigraph-walkthrough-"));
    const demo = await run("bash", [join(ROOT, "scripts", "demo.sh"), work], { env: { OCIGRAPH: bin } });
    expect(demo.stderr).toBe("");
    expect(demo.code).toBe(0);
    const tree = demo.stdout
      .replace(/sha256:[a-f0-9]{64}/g, "<digest>")
      .split("\n")
      .filter((l) => /^[./│├└ ]/.test(l) && !l.startsWith("Demo"));
    expect(tree.join("\n")).toContain(["./net-monitor:v1", ...WALKTHROUGH_TREE].join("\n"));
    // `pull` of the readme ($DOC) wrote its files.
    expect((await readdir(join(work, "download"))).sort()).toEqual(["details", "readme.md"]);
  });
});
