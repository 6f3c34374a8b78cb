// Entry point of the GitHub Action (bundled to dist/action.js). `@actions/core` 3 is ESM-only;
// the dynamic import keeps this file CommonJS for tsc, and esbuild bundles it all the same.
import { run } from "./run.js";

void (async () => {
  const core = await import("@actions/core");
  await run(core);
})();
