/**
 * The GitHub Action in three steps: inputs → Job (`buildJob`), run (`runJob`), render (outputs,
 * step summary, failure). Takes the `@actions/core` functions it uses, so tests pass a typed fake.
 */
import { readEnvKnobs } from "../connect/settings.js";
import { buildJob } from "../job/build.js";
import { INPUTS, readInputs, type InputKey } from "../job/inputs.js";
import type { JobResult } from "../job/job.js";
import { OUTPUTS } from "../job/outputs.js";
import { runJob } from "../job/run.js";
import { failureSentence } from "../job/words.js";
import { renderSummary } from "../report/summary.js";
import { neutral, neutralLines } from "../report/neutral.js";

/** The part of `@actions/core` the action uses. */
export interface ActionCore {
  getInput(name: string): string;
  setOutput(name: string, value: string): void;
  setSecret(secret: string): void;
  setFailed(message: string): void;
  info(message: string): void;
  /** `::warning::` (escaped by @actions/core); `info` when absent. */
  warning?(message: string): void;
  group<T>(name: string, fn: () => Promise<T>): Promise<T>;
  summary: { addRaw(text: string, addEOL?: boolean): { write(): Promise<unknown> } };
}

const actionName = (key: InputKey): string => INPUTS.find((s) => s.key === key)?.action ?? key;

/** One failure sentence: what went wrong, then what to try, in inputs (`plain-http: true`), not flags. */
export function failureMessage(err: unknown): string {
  // Messages quote registries (error bodies, tags, types): one neutral line.
  return neutral(failureSentence(err, "action"), 4096);
}

/** Runs the action; never throws (a failure is reported with `setFailed`). */
export async function run(
  core: ActionCore,
  env: NodeJS.ProcessEnv = process.env,
): Promise<JobResult | undefined> {
  try {
    const inputs = readInputs("action", (name) => core.getInput(name));
    if (inputs.password) core.setSecret(inputs.password);
    const job = await buildJob(inputs, {
      name: actionName,
      env,
      connection: { onSecret: (s) => core.setSecret(s), knobs: readEnvKnobs(env), env },
    });
    // Every line is defused once more here, so no line of ours is a workflow command.
    const result = await runJob(job, {
      group: (title, work) => core.group(neutral(title, 1024), work),
      info: (l) => core.info(neutralLines(l)),
      warn: (l) =>
        core.warning ? core.warning(neutral(l, 1024)) : core.info(`Warning: ${neutral(l, 1024)}`),
    });
    for (const output of OUTPUTS) core.setOutput(output.action, output.value(result));
    if (env["GITHUB_STEP_SUMMARY"]) await core.summary.addRaw(renderSummary(result), true).write();
    if (result.gate && !result.gate.passed) core.setFailed(neutral(result.gate.message, 4096));
    return result;
  } catch (err) {
    core.setFailed(failureMessage(err));
    return undefined;
  }
}
