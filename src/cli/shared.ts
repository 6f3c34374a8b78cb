import { TargetFactory, type ConnectionOptions } from "../job/open-target.js";
import { type ConnectionFlags, connectionOptions } from "./connection.js";

/** What the CLI writes to and reads from; injected so tests can run it in-process. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  stdin: () => Promise<string>;
  /** Asks a yes/no question on the terminal; undefined when there is no terminal. */
  confirm?: (question: string) => Promise<boolean>;
}

/** Commander collector for repeatable options. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Opens targets from the flags, runs `work`, and closes the connections whatever happens. */
export async function withTargets<T>(
  flags: ConnectionFlags,
  io: CliIo,
  work: (factory: TargetFactory, options: ConnectionOptions) => Promise<T>,
): Promise<T> {
  const options = await connectionOptions(flags, io.stdin);
  const factory = new TargetFactory(options);
  try {
    return await work(factory, options);
  } finally {
    await factory.close();
  }
}
