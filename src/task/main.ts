// Entry point of the Azure Pipelines task (bundled to dist/task.js, run by the agent's Node20_1
// or Node24 handler).
import * as tl from "azure-pipelines-task-lib/task";
import { run } from "./run.js";

void run(tl);
