// Jest globalTeardown: stops the registries global-setup.ts started and removes their temp dirs.
import { takeRigHandles } from "./handles";

export default async function globalTeardown(): Promise<void> {
  const handles = takeRigHandles();
  const results = await Promise.allSettled(handles.map((r) => r.stop()));
  for (const r of results) {
    if (r.status === "rejected")
      process.stderr.write(`[test rig] stopping a registry failed: ${String(r.reason)}\n`);
  }
}
