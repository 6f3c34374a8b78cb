#!/usr/bin/env node
// Launcher written by scripts/build.mjs: compile cache on (Node >= 22), then the bundle.
"use strict";
const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-V")) {
  process.stdout.write("0.1.0\n");
  return;
}
require("node:v8").setFlagsFromString("--liftoff-only");
const m = require("node:module");
if (typeof m.enableCompileCache === "function") {
  try {
    m.enableCompileCache();
  } catch {
    // a read-only cache directory only costs speed
  }
}
import("./lib/cli.mjs");
