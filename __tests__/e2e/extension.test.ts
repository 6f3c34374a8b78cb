// `tfx extension create` packages the Azure Pipelines extension: vss-extension.json, task.json and
// the bundled task (tfx also checks task.json: id, name, friendlyName, handlers' target files).
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const ROOT = join(__dirname, "..", "..");

test("tfx packages the extension with the task and its bundle", async () => {
  const out = await mkdtemp(join(tmpdir(), "ocigraph-vsix-out-"));
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [join(ROOT, "scripts", "package-extension.mjs"), out],
    {
      cwd: ROOT,
    },
  );
  const result = JSON.parse(stdout) as { path: string; extensionId: string; version: string };
  expect(result).toMatchObject({ extensionId: "ocigraph", version: "0.1.0" });
  expect(await readdir(out)).toEqual(["ocigraph.ocigraph-0.1.0.vsix"]);
  // A .vsix is a zip: its central directory lists the file names in the clear.
  const vsix = await readFile(result.path);
  // dist/task.js is a launcher: the bundles it loads (dist/lib/) must be packaged with it.
  const bundles = (await readdir(join(ROOT, "dist", "lib"))).map((f) => `OcigraphAttach/dist/lib/${f}`);
  for (const name of [
    "extension.vsixmanifest",
    "OcigraphAttach/task.json",
    "OcigraphAttach/dist/task.js",
    ...bundles,
  ]) {
    expect([name, vsix.includes(Buffer.from(name))]).toEqual([name, true]);
  }
}, 120_000);

test("the publisher, the version and the Action's repository are build-time settings", async () => {
  const out = await mkdtemp(join(tmpdir(), "ocigraph-vsix-out-"));
  const env = {
    ...process.env,
    OCIGRAPH_PUBLISHER: "contoso",
    OCIGRAPH_VERSION: "2.3.4",
    OCIGRAPH_ACTION_REPOSITORY: "contoso/supply-chain",
  };
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [join(ROOT, "scripts", "package-extension.mjs"), join(out, "vsix")],
    { cwd: ROOT, env },
  );
  expect(JSON.parse(stdout)).toMatchObject({ publisher: "contoso", version: "2.3.4" });
  expect(await readdir(join(out, "vsix"))).toEqual(["contoso.ocigraph-2.3.4.vsix"]);

  await promisify(execFile)(
    process.execPath,
    [join(ROOT, "scripts", "render-examples.mjs"), join(out, "examples")],
    { cwd: ROOT, env },
  );
  const workflow = await readFile(join(out, "examples", "github-workflow.yml"), "utf8");
  expect(workflow).toContain("uses: contoso/supply-chain@v1");
  expect(workflow).not.toContain("uses: ocigraph/ocigraph@");

  // A bad setting fails with a sentence naming it.
  await expect(
    promisify(execFile)(process.execPath, [join(ROOT, "scripts", "render-examples.mjs"), join(out, "bad")], {
      cwd: ROOT,
      env: { ...env, OCIGRAPH_ACTION_REPOSITORY: "no-slash" },
    }),
  ).rejects.toThrow(/OCIGRAPH_ACTION_REPOSITORY "no-slash" is not owner\/repository/);
}, 120_000);
