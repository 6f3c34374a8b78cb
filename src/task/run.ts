/**
 * The Azure Pipelines task in three steps: inputs → Job (`buildJob`), run (`runJob`), render
 * (output variables, uploaded summary, result). Takes the task-lib functions it uses, so tests
 * pass a typed fake.
 */
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Credential } from "../auth/credential.js";
import { readEnvKnobs } from "../connect/settings.js";
import type { ServiceConnectionInput } from "../job/azure.js";
import { buildJob } from "../job/build.js";
import { readInputs } from "../job/inputs.js";
import type { JobResult } from "../job/job.js";
import { OUTPUTS } from "../job/outputs.js";
import { runJob } from "../job/run.js";
import { failureSentence } from "../job/words.js";
import { renderSummary } from "../report/summary.js";
import { neutral, neutralLines } from "../report/neutral.js";
import { azureRmEndpoint, dockerRegistryCredential, type EndpointReader } from "./connections.js";

/** The part of azure-pipelines-task-lib the task uses. */
export interface TaskLib extends EndpointReader {
  getInput(name: string, required?: boolean): string | undefined;
  getVariable(name: string): string | undefined;
  setVariable(name: string, value: string, secret?: boolean, isOutput?: boolean): void;
  setResult(result: number, message: string): void;
  uploadSummary(path: string): void;
  /** `##vso[task.logissue type=warning]` with task-lib's escaping; a plain line when absent. */
  warning?(message: string): void;
  TaskResult: { Succeeded: number; Failed: number };
}

/** Log lines: `##[group]` / `##[endgroup]` fold a phase in the pipeline log. */
export interface TaskLog {
  (line: string): void;
}

async function group<T>(log: TaskLog, title: string, work: () => Promise<T>): Promise<T> {
  log(`##[group]${neutral(title, 1024)}`);
  try {
    return await work();
  } finally {
    log("##[endgroup]");
  }
}

/** One failure sentence in the task's words (`plainHttp: true`, not `--plain-http`). */
function failureMessage(err: unknown): string {
  // Messages quote registries (error bodies, tags, types): one neutral line.
  return neutral(failureSentence(err, "task"), 4096);
}

/** Runs the task; never throws (a failure is reported with `logIssue` and `setResult`). */
export async function run(
  tl: TaskLib,
  env: NodeJS.ProcessEnv = process.env,
  log: TaskLog = (line) => process.stdout.write(`${line}\n`),
): Promise<JobResult | undefined> {
  try {
    const inputs = readInputs("task", (name) => tl.getInput(name, false) ?? "");
    if (inputs.password) tl.setSecret(inputs.password);
    const tempDir = tl.getVariable("Agent.TempDirectory") || tmpdir();
    const hostCredentials: { host: string; credential: Credential }[] = [];
    const dockerId = tl.getInput("dockerRegistryServiceConnection", false);
    if (dockerId) {
      const docker = dockerRegistryCredential(tl, dockerId);
      log(`Using the Docker registry service connection for ${neutral(docker.host)}`);
      hostCredentials.push(docker);
    }
    let serviceConnection: ServiceConnectionInput | undefined;
    const azureId = tl.getInput("azureSubscription", false);
    if (azureId) {
      const endpoint = await azureRmEndpoint(tl, azureId, tempDir);
      log(`Using the AzureRM service connection (${endpoint.scheme}) for Azure Container Registry`);
      const systemAccessToken = tl.getVariable("System.AccessToken");
      serviceConnection = { endpoint, ...(systemAccessToken ? { systemAccessToken } : {}) };
    }
    const job = await buildJob(inputs, {
      name: (key) => key,
      env,
      ...(serviceConnection ? { serviceConnection } : {}),
      connection: { hostCredentials, onSecret: (s) => tl.setSecret(s), knobs: readEnvKnobs(env), env },
    });
    // Every line is defused once more here, so no line of ours is a logging command.
    const result = await runJob(job, {
      group: (title, work) => group(log, title, work),
      info: (line) => log(neutralLines(line)),
      warn: (line) => (tl.warning ? tl.warning(neutral(line, 1024)) : log(`Warning: ${neutral(line, 1024)}`)),
    });
    for (const output of OUTPUTS) tl.setVariable(output.task, output.value(result), false, true);
    const summary = join(tempDir, `ocigraph-summary-${process.pid}-${Date.now()}.md`);
    await writeFile(summary, renderSummary(result, { mermaid: false }));
    tl.uploadSummary(summary);
    if (result.gate && !result.gate.passed) {
      // setResult(Failed) also logs the message as an error issue.
      tl.setResult(tl.TaskResult.Failed, neutral(result.gate.message, 4096));
    } else {
      tl.setResult(
        tl.TaskResult.Succeeded,
        `${neutral(job.subject)}: ${result.artifacts.length} artifact(s) attached or reused`,
      );
    }
    return result;
  } catch (err) {
    tl.setResult(tl.TaskResult.Failed, failureMessage(err));
    return undefined;
  }
}
