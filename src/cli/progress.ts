import { MultiBar, Presets, type SingleBar } from "cli-progress";
import type { Descriptor } from "../oci/manifest.js";
import type { TransferOutcome, TransferProgress } from "../graph/progress.js";

function short(digest: string): string {
  return digest.slice(digest.indexOf(":") + 1, digest.indexOf(":") + 13);
}

const WORD: Record<TransferOutcome, string> = { done: "Done   ", exists: "Exists ", mounted: "Mounted" };

/**
 * Transfer progress for the CLI: one bar per blob on a terminal (stderr), plain lines in
 * logs (stdout, like ORAS: `Uploading <digest> <title>`), nothing for JSON output.
 */
export function cliProgress(
  mode: "terminal" | "lines" | "none",
  write: (text: string) => void,
  verb: string,
): { progress: TransferProgress | undefined; stop(): void } {
  if (mode === "none") return { progress: undefined, stop: () => undefined };
  if (mode === "lines") {
    return {
      progress: {
        begin: (d: Descriptor, label: string) => write(`${verb} ${short(d.digest)} ${label}\n`),
        end: (d: Descriptor, outcome: TransferOutcome) => write(`${WORD[outcome]} ${short(d.digest)}\n`),
      },
      stop: () => undefined,
    };
  }
  const multi = new MultiBar(
    {
      format: `${verb} {digest} {label} [{bar}] {percentage}% | {value}/{total} bytes`,
      stream: process.stderr,
      clearOnComplete: false,
      hideCursor: true,
    },
    Presets.shades_classic,
  );
  const bars = new Map<string, SingleBar>();
  return {
    progress: {
      begin: (d, label) => bars.set(d.digest, multi.create(d.size, 0, { digest: short(d.digest), label })),
      advance: (d, n) => bars.get(d.digest)?.increment(n),
      end: (d) => bars.get(d.digest)?.update(d.size),
    },
    stop: () => multi.stop(),
  };
}

/** Bars on a terminal, lines otherwise, nothing when the output is JSON. */
export function progressMode(format: string): "terminal" | "lines" | "none" {
  if (format === "json") return "none";
  return process.stderr.isTTY ? "terminal" : "lines";
}
