import { removeTemps } from "./temp-paths.js";

const EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

/**
 * On SIGINT or SIGTERM: remove the command's temporary files, say in one line what state it
 * leaves, and exit 130 or 143. Graph operations tag last, so an interrupted run has tagged
 * nothing new, and running it again skips what it already sent.
 */
export function exitCleanlyOnInterrupt(
  write: (line: string) => void = (line) => void process.stderr.write(line),
): void {
  for (const signal of Object.keys(EXIT_CODES) as (keyof typeof EXIT_CODES)[]) {
    process.once(signal, () => {
      removeTemps();
      write(
        `Interrupted (${signal}): temporary files removed, nothing newly tagged; run the same command again to resume\n`,
      );
      process.exit(EXIT_CODES[signal]);
    });
  }
}
