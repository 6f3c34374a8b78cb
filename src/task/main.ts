// Entry point of the Azure Pipelines task (bundled to dist/task.js, run by the agent's Node20_1
// or Node24 handler).
import * as tl from "azure-pipelines-task-lib/task";
import * as im from "azure-pipelines-task-lib/internal";
import { INPUTS } from "../job/inputs.js";
import { guardPending } from "../util/exit-guard.js";
import { exitCleanlyOnInterrupt } from "../util/interrupt.js";
import { run } from "./run.js";

/** Inputs that hold secrets (`password`): task-lib's getInput would write their value to the debug log. */
const SECRET_INPUTS = new Set(INPUTS.filter((s) => s.secret).map((s) => s.key.toLowerCase()));

/**
 * `tl.getInput` writes `name=value` to the debug log before the task can mark the value secret.
 * Secret inputs are read from task-lib's vault directly (where getInput reads them from).
 */
function getInput(name: string, required?: boolean): string | undefined {
  if (!SECRET_INPUTS.has(name.toLowerCase())) return tl.getInput(name, required);
  const value = im._vault.retrieveSecret(`INPUT_${im._getVariableKey(name)}`);
  if (required && !value) return tl.getInput(name, required);
  return value;
}

/**
 * `tl.getEndpointAuthorizationParameter` writes the value it returns to the debug log
 * (`<id> auth param password = <value>`) before the task can mark it secret. Read the parameter
 * from the endpoint's authorization instead (task-lib logs only whether it exists); fall back to
 * the per-parameter variable when the agent gave no authorization object.
 */
function getEndpointAuthorizationParameter(id: string, key: string, optional: boolean): string | undefined {
  const parameters = tl.getEndpointAuthorization(id, true)?.parameters;
  if (!parameters) return tl.getEndpointAuthorizationParameter(id, key, optional);
  const name = Object.keys(parameters).find((k) => k.toLowerCase() === key.toLowerCase());
  const value = name === undefined ? undefined : parameters[name];
  if (!optional && !value) return tl.getEndpointAuthorizationParameter(id, key, optional);
  return value;
}

exitCleanlyOnInterrupt();
guardPending("the ocigraph task", run({ ...tl, getInput, getEndpointAuthorizationParameter }));
