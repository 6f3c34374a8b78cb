/**
 * The `lock` input: freeze one graph with ACR's `changeableAttributes` once the step's work is
 * done: the promoted graph after a successful promotion, otherwise the subject's graph.
 */
import { applyLock, planLock } from "../graph/lock.js";
import type { Target } from "../oci/target.js";
import { shownType } from "../report/neutral.js";
import type { JobHooks, LockReport } from "./job.js";

export async function lockGraph(target: Target, digest: string, hooks: JobHooks): Promise<LockReport> {
  const outcomes = await applyLock(target, await planLock(target, digest, true), "lock");
  for (const o of outcomes) {
    hooks.info(
      `${o.changed ? "Locked " : "Already locked"} ${o.role} ${o.descriptor.digest}` +
        (o.descriptor.artifactType ? ` (${shownType(o.descriptor.artifactType)})` : ""),
    );
  }
  hooks.info(`Locked ${outcomes.length} manifests of ${target.name}@${digest}`);
  return {
    repository: target.name,
    digest,
    manifests: outcomes.map((o) => ({
      digest: o.descriptor.digest,
      role: o.role,
      ...(o.descriptor.artifactType ? { artifactType: o.descriptor.artifactType } : {}),
      changed: o.changed,
    })),
  };
}
