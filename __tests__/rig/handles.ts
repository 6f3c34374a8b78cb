// Registries started by global-setup.ts, kept on globalThis so global-teardown.ts (loaded as a
// separate module, same process) can stop them. Symbol.for gives both modules the same key.
import type { RunningRegistry } from "./peers";

const KEY = Symbol.for("ocigraph.test-rig.registries");
type Holder = { [KEY]?: RunningRegistry[] };

export function setRigHandles(handles: RunningRegistry[]): void {
  (globalThis as Holder)[KEY] = handles;
}

export function takeRigHandles(): RunningRegistry[] {
  const holder = globalThis as Holder;
  const handles = holder[KEY] ?? [];
  holder[KEY] = [];
  return handles;
}
