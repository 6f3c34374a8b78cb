import type { ConnectionSettings, EnvKnobs } from "../connect/settings.js";
import type { TargetFactory } from "../connect/targets.js";
import { type ConnectionFlags, connectionSettings } from "./connection.js";
import { neutral } from "../report/neutral.js";

/** What the CLI writes to and reads from; injected so tests can run it in-process. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  stdin: () => Promise<string>;
  /** Asks a yes/no question on the terminal; undefined when there is no terminal. */
  confirm?: (question: string) => Promise<boolean>;
  /** The environment (docker config, proxies, Azure variables). Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** The `OCIGRAPH_*` knobs, read once by `runCli`. */
  knobs?: EnvKnobs;
}

/** Commander collector for repeatable options. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Opens targets from the flags, runs `work`, and closes the connections whatever happens. */
export async function withTargets<T>(
  flags: ConnectionFlags,
  io: CliIo,
  work: (factory: TargetFactory) => Promise<T>,
  sides: Pick<ConnectionSettings, "from" | "to"> = {},
): Promise<T> {
  const { TargetFactory } = await import("../connect/targets.js"); // loaded when a command runs
  // Warnings quote registries (a forged entry, a realm's host): one neutral line each.
  const factory = new TargetFactory({
    warn: (line: string) => io.stderr(`Warning: ${neutral(line, 1024)}\n`),
    ...(await connectionSettings(flags, io)),
    ...sides,
  });
  try {
    return await work(factory);
  } finally {
    await factory.close();
  }
}
