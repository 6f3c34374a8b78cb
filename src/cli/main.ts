import { createInterface } from "node:readline/promises";
import { guardPending } from "../util/exit-guard.js";
import { exitCleanlyOnInterrupt } from "../util/interrupt.js";
import { runCli } from "./program.js";

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

exitCleanlyOnInterrupt();
// `ocigraph discover ... | head`: a reader that closed the pipe is not an error worth a stack trace.
process.stdout.on("error", (err: NodeJS.ErrnoException) => {
  if (err.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw err;
});
const args = process.argv.slice(2);
const work = runCli(args, {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stdin: readStdin,
  // process.stdin is created on first touch (a few ms of start-up): only when a prompt is possible.
  ...(process.stderr.isTTY && process.stdin.isTTY ? { confirm } : {}),
}).then((code) => {
  process.exitCode = code;
});
const command = args.find((a) => !a.startsWith("-")) ?? "";
guardPending(/^[a-z]+$/.test(command) ? `ocigraph ${command}` : "ocigraph", work);
