// Entry point of the GitHub Action (bundled to dist/action.js). `@actions/core` 3 is ESM-only;
// the dynamic import keeps this file CommonJS for tsc, and esbuild bundles it all the same.
import { guardPending } from "../util/exit-guard.js";
import { run } from "./run.js";

const work = (async () => {
  const core = await import("@actions/core");
  await run(core);
})();
guardPending("the ocigraph action", work);
