// The bundle entry of the GitHub Action (dist/action.js): interrupts exit cleanly, then run(), so
// run() itself (main.ts) is what local runners and tests call.
import { guardPending } from "../util/exit-guard.js";
import { exitCleanlyOnInterrupt } from "../util/interrupt.js";
import { run } from "./main.js";

exitCleanlyOnInterrupt();
guardPending("the ocigraph action", run());
