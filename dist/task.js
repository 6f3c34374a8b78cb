// Launcher written by scripts/build.mjs: compile cache on (Node >= 22), then the bundle.
"use strict";
require("node:v8").setFlagsFromString("--liftoff-only");
const m = require("node:module");
if (typeof m.enableCompileCache === "function") {
  try {
    m.enableCompileCache();
  } catch {
    // a read-only cache directory only costs speed
  }
}
import("./lib/task.mjs");
