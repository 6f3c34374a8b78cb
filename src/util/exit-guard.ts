/**
 * Makes an entry point's exit status tell the truth. Node exits when its event loop has
 * nothing left to wait for, even while a promise is still pending: a step that waits on
 * itself (a bug) would end the process with status 0 and its work undone. `guardPending`
 * watches the entry point's work; if the loop drains before it settles, the process exits 1
 * with one line naming what was pending.
 */
export function guardPending(
  what: string,
  work: Promise<unknown>,
  write: (line: string) => void = (line) => void process.stderr.write(line),
): void {
  let settled = false;
  const mark = (): void => {
    settled = true;
  };
  work.then(mark, mark);
  const onDrained = (): void => {
    if (settled) return;
    process.removeListener("beforeExit", onDrained);
    process.exitCode = 1;
    write(
      `Error: ${what} stopped with its work still pending: nothing was left to wait for, so it did not finish ` +
        `(nothing is done that was not reported; this is a bug in ocigraph, please report it)\n`,
    );
  };
  process.on("beforeExit", onDrained);
}
