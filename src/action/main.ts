// Entry point of the GitHub Action (bundled to dist/action.js). `@actions/core` 3 is ESM-only;
// the dynamic import keeps this file CommonJS for tsc, and esbuild bundles it all the same.
import { guardPending } from "../util/exit-guard.js";
import { exitCleanlyOnInterrupt } from "../util/interrupt.js";
import { run } from "./run.js";

exitCleanlyOnInterrupt();
const work = (async () => {
  const core = await import("@actions/core");
  await run(core);
})();
guardPending("the ocigraph action", work);
