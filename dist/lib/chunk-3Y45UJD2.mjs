import { createRequire as __ocigraphRequire } from "node:module"; import { fileURLToPath as __ocigraphPath } from "node:url"; import { dirname as __ocigraphDir } from "node:path"; const require = __ocigraphRequire(import.meta.url); const __filename = __ocigraphPath(import.meta.url); const __dirname = __ocigraphDir(__filename);

// src/util/temp-paths.ts
import { rmSync } from "node:fs";
var live = /* @__PURE__ */ new Set();
function trackTemp(path) {
  live.add(path);
  return () => void live.delete(path);
}
function removeTemps() {
  let removed = 0;
  for (const path of live) {
    try {
      rmSync(path, { recursive: true, force: true });
      removed++;
    } catch {
    }
  }
  live.clear();
  return removed;
}

export {
  trackTemp,
  removeTemps
};
