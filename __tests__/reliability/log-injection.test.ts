// Issue 9, item 2: registry strings never become log commands. A referrer whose artifactType
// carries newlines and `##vso[...]` / `::set-env` commands is promoted and reported by the
// bundled Action and task (dist/action.js, dist/task.js); their stdout is scanned line by line:
// the only commands in it are the ones the front end itself writes.
import { makeWorkspace } from "../e2e/workspace";
import { runAction, runTask } from "../e2e/runner";
import { pushImage, pushReferrer, putFallbackIndex } from "../helpers/raw-registry";
import { uniqueName } from "../helpers/targets";
import { testRegistries } from "../rig/env";
import { OUTPUTS } from "../../src/job/outputs";
import { recordFigure, testFileOf } from "./figures";

const EVIL =
  "application/vnd.evil\n##vso[task.prependpath]/tmp/evil-path\n::set-env name=PWNED::1\n" +
  "##vso[task.setvariable variable=PWNED]yes\n::add-mask::x";

/** Commands a task may write: its own output variables, summary, result, secrets, issues. */
function taskCommandsOk(stdout: string): string[] {
  const bad: string[] = [];
  const outputs = new Set(OUTPUTS.map((o) => o.task));
  for (const line of stdout.split("\n")) {
    if (line.includes("prependpath") && /##vso\[task\.prependpath/i.test(line)) bad.push(line);
    if (!line.includes("##vso[")) continue;
    const m = /^##vso\[(task\.\w+)(?: ([^\]]*))?\]/.exec(line);
    if (!m) {
      bad.push(line);
      continue;
    }
    const [, name, props = ""] = m;
    if (
      ![
        "task.setvariable",
        "task.uploadsummary",
        "task.complete",
        "task.setsecret",
        "task.logissue",
        "task.debug",
      ].includes(name as string)
    )
      bad.push(line);
    if (name === "task.setvariable" && !outputs.has(/variable=([^;]*)/.exec(props)?.[1] ?? ""))
      bad.push(line);
  }
  return bad;
}

/** Workflow commands an action may write: groups, masks, errors, warnings, debug. */
function actionCommandsOk(stdout: string): string[] {
  return stdout
    .split("\n")
    .filter(
      (line) =>
        line.includes("##vso[") ||
        (/^\s*::/.test(line) &&
          !/^::(group|endgroup|error|warning|notice|debug|add-mask)( [^:]*)?::/.test(line)) ||
        /^\s*::(set-env|set-output)/.test(line),
    );
}

describe("an artifactType carrying log commands, through the bundled Action and task", () => {
  const notes: string[] = [];
  let passed = 0;
  afterAll(() => {
    recordFigure({
      name: "hostile-graph-logs",
      title: "Hostile graph data: log commands in artifact types",
      issueItem: 9,
      testFile: testFileOf(__filename),
      scenarios: [
        {
          scenario:
            "referrer artifactType with ##vso[task.prependpath], ##vso[task.setvariable], ::set-env (Action and task, promote + graph)",
          runs: 2,
          passed,
          notes: notes.join("; "),
        },
      ],
    });
  });

  let subject: string;
  let workspace: string;
  beforeAll(async () => {
    const { distribution: host } = testRegistries();
    const repo = uniqueName("injection");
    const image = await pushImage(host, repo, "v1");
    const evil = await pushReferrer(host, repo, image, EVIL);
    await putFallbackIndex(host, repo, image.digest, [evil]);
    subject = `${host}/${repo}:v1`;
    workspace = await makeWorkspace();
  });

  test("dist/action.js prints no workflow command from the registry", async () => {
    const { distribution: host } = testRegistries();
    const run = await runAction(
      { subject, "promote-to": `${host}/${uniqueName("promoted")}:v1`, "plain-http": "true" },
      { workspace },
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("application/vnd.evil\\n##vso\\[task.prependpath]");
    expect(actionCommandsOk(run.stdout)).toEqual([]);
    passed++;
    notes.push(`action: exit 0, ${run.stdout.split("\n").length} stdout lines, none a foreign command`);
  }, 120_000);

  test("dist/task.js prints no logging command from the registry", async () => {
    const { distribution: host } = testRegistries();
    const run = await runTask(
      { subject, promoteTo: `${host}/${uniqueName("promoted")}:v1`, plainHttp: "true" },
      { workspace },
    );
    expect(run.result).toBe("Succeeded");
    expect(run.variables["PWNED"]).toBeUndefined();
    expect(taskCommandsOk(run.stdout)).toEqual([]);
    passed++;
    notes.push(`task: Succeeded, ${run.stdout.split("\n").length} stdout lines, none a foreign command`);
  }, 120_000);
});
