/**
 * The Action's entry point in the typescript-action template's shape: `run()` takes no arguments
 * and imports `@actions/core` itself, so GitHub's local runner (`@github/local-action`), which
 * substitutes its own `@actions/core`, sees every input, output and summary line. `index.ts`
 * calls it (the bundle entry, dist/action.js). `@actions/core` 3 is ESM-only: Node ≥ 20.19
 * requires it from CommonJS (tsconfig `module: Node20`), and esbuild bundles it.
 */
import * as core from "@actions/core";
import { run as runAction } from "./run.js";

/** Runs the action with the real (or the local runner's) `@actions/core`; never throws. */
export async function run(): Promise<void> {
  await runAction(core);
}
