import { Option, type Command } from "commander";
import type { LockOutcome } from "../graph/lock.js";
import type { DeletePlan } from "../graph/delete.js";
import { OcigraphError } from "../oci/errors.js";
import type { Target } from "../oci/target.js";
import { lockText as attributesText } from "../report/manifests.js";
import { type ConnectionFlags, addConnectionOptions } from "./connection.js";
import { type CliIo, withTargets } from "./shared.js";

interface LockFlags extends ConnectionFlags {
  recursive?: boolean;
  allowDelete?: boolean;
  allowWrite?: boolean;
  dryRun?: boolean;
  format: "text" | "json";
}

/** `ocigraph lock` and `ocigraph unlock`: ACR `changeableAttributes` on a manifest or its graph. */
export function registerLockCommands(program: Command, io: CliIo): void {
  for (const mode of ["lock", "unlock"] as const) {
    let command = program
      .command(mode)
      .description(
        mode === "lock"
          ? "lock a manifest (ACR writeEnabled/deleteEnabled false); with -r its whole graph"
          : "unlock a manifest (ACR writeEnabled/deleteEnabled true); with -r its whole graph",
      )
      .argument("<reference>", "registry/repository:tag or @digest")
      .option(
        "-r, --recursive",
        "also every platform manifest, every referrer at every depth and the referrers fallback index",
      );
    if (mode === "lock") {
      command = command
        .option(
          "--allow-delete",
          "keep deleteEnabled true (ACR still refuses deletes while writes are locked)",
        )
        .option("--allow-write", "keep writeEnabled true (lock deletes only)");
    }
    addConnectionOptions(
      command
        .option("--dry-run", `list what would be ${mode}ed and its current state, change nothing`)
        .addOption(
          new Option("--format <format>", "output format").choices(["text", "json"]).default("text"),
        ),
    ).action(async (reference: string, flags: LockFlags) => {
      const { applyLock, planLock } = await import("../graph/lock.js"); // start-up: see program.ts
      await withTargets(flags, io, async (factory) => {
        const { target, selector } = await factory.open(reference, { create: false, needSelector: true });
        const items = await planLock(target, selector as string, Boolean(flags.recursive));
        const outcomes = await applyLock(target, items, mode, {
          ...(flags.allowDelete ? { allowDelete: true } : {}),
          ...(flags.allowWrite ? { allowWrite: true } : {}),
          ...(flags.dryRun ? { dryRun: true } : {}),
        });
        if (flags.format === "json") {
          io.stdout(`${JSON.stringify(lockJson(target, mode, Boolean(flags.dryRun), outcomes), null, 2)}\n`);
        } else {
          io.stdout(`${renderLock(target, mode, Boolean(flags.dryRun), outcomes)}\n`);
        }
      });
    });
  }
}

function lockJson(
  target: Target,
  mode: "lock" | "unlock",
  dryRun: boolean,
  outcomes: readonly LockOutcome[],
) {
  return {
    repository: target.name,
    mode,
    dryRun,
    manifests: outcomes.map((o) => ({
      digest: o.descriptor.digest,
      role: o.role,
      mediaType: o.descriptor.mediaType,
      artifactType: o.descriptor.artifactType ?? null,
      changed: o.changed,
      changeableAttributes: o.attributes,
    })),
  };
}

function renderLock(
  target: Target,
  mode: "lock" | "unlock",
  dryRun: boolean,
  outcomes: readonly LockOutcome[],
): string {
  const verb = mode === "lock" ? "Locked" : "Unlocked";
  const head = dryRun
    ? `Would ${mode} ${outcomes.length} manifests in ${target.name}:`
    : `${verb} ${outcomes.filter((o) => o.changed).length} of ${outcomes.length} manifests in ${target.name}:`;
  const width = Math.max(...outcomes.map((o) => o.role.length));
  const lines = outcomes.map(
    (o) =>
      `  ${o.role.padEnd(width)}  ${o.descriptor.digest}  ${stateText(o)}` +
      (o.descriptor.artifactType ? `  ${printable(o.descriptor.artifactType)}` : ""),
  );
  return [head, ...lines].join("\n");
}

function stateText(o: LockOutcome): string {
  return `${attributesText(o.attributes)}${o.changed ? "" : " (unchanged)"}`;
}

function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, "?").slice(0, 200);
}

/**
 * `delete -r` stops before deleting anything when a manifest of the graph is locked (ACR would
 * refuse it half-way), naming the locked digests and the command that unlocks them.
 */
export async function refuseLockedGraph(target: Target, plan: DeletePlan, reference: string): Promise<void> {
  const { fallbackIndexes, lockedAmong } = await import("../graph/lock.js");
  // The fallback indexes are rewritten or deleted on the way, so their locks count too.
  const touched = [...plan.order, ...(await fallbackIndexes(target, plan.order))];
  const locked = await lockedAmong(target, touched);
  if (!locked.length) return;
  throw new OcigraphError(
    "DENIED",
    `${target.name}: ${locked.length} of the ${touched.length} manifests to delete are locked, so nothing was deleted: ${named(
      locked.map((d) => d.digest),
    )}`,
    { hint: `unlock them first: ocigraph unlock -r ${printable(reference)}` },
  );
}

/** Up to 50 digests, then how many more: one line stays readable for any graph. */
function named(digests: readonly string[]): string {
  const shown = digests.slice(0, 50).join(", ");
  return digests.length > 50 ? `${shown} and ${digests.length - 50} more` : shown;
}
