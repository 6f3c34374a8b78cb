import { Option, type Command } from "commander";
import type { Side, SideSettings } from "../connect/settings.js";
import { OcigraphError } from "../oci/errors.js";
import { plural } from "../report/plural.js";
import { type ConnectionFlags, addConnectionOptions, maxNodesOption, positiveInt } from "./connection.js";
import { safeJson } from "../report/neutral.js";
import { type CliIo, collect, withTargets } from "./shared.js";

/** One side's settings under its flag names: `--from-plain-http` is `fromPlainHttp`. */
type SideFlags<W extends Side> = { [K in keyof SideSettings as `${W}${Capitalize<K>}`]: SideSettings[K] };

interface CopyFlags extends ConnectionFlags, SideFlags<"from">, SideFlags<"to"> {
  recursive?: boolean;
  includeArtifactType: string[];
  excludeArtifactType: string[];
  platform?: string;
  concurrency?: number;
  maxNodes?: number;
  format: "text" | "json";
}

interface DeleteFlags extends ConnectionFlags {
  recursive?: boolean;
  maxNodes?: number;
  dryRun?: boolean;
  force?: boolean;
  format: "text" | "json";
}

/** `os/arch[/variant]` as ORAS writes platforms. */
function parsePlatform(value: string): { os: string; architecture: string; variant?: string } {
  const [os, architecture, variant, extra] = value.split("/");
  if (!os || !architecture || extra !== undefined) {
    throw new OcigraphError(
      "INVALID_INPUT",
      `"${value}" is not a platform (write os/arch[/variant], e.g. linux/amd64)`,
      { usage: true },
    );
  }
  return { os, architecture, ...(variant ? { variant } : {}) };
}

/** One side of a copy: its `--from-*` or `--to-*` flags (unset ones fall back to the shared flags). */
function side(flags: CopyFlags, which: Side): SideSettings {
  const f = (name: string): unknown => flags[`${which}${name}` as keyof CopyFlags];
  const value = <T>(name: string): T | undefined => f(name) as T | undefined;
  return {
    ...(value<boolean>("OciLayout") ? { ociLayout: true } : {}),
    ...(value<boolean>("PlainHttp") ? { plainHttp: true } : {}),
    ...(value<string>("Username") !== undefined ? { username: value<string>("Username") } : {}),
    ...(value<string>("Password") !== undefined ? { password: value<string>("Password") } : {}),
    ...(value<string>("RegistryConfig") ? { registryConfig: value<string>("RegistryConfig") } : {}),
  };
}

/** `repo:tag1,tag2` → the reference with the first tag, and all tags. */
function splitTags(reference: string): { reference: string; tags: string[] } {
  const at = reference.indexOf("@");
  const colon = reference.lastIndexOf(":");
  if (at >= 0 || colon <= reference.lastIndexOf("/")) return { reference, tags: [] };
  const tags = reference.slice(colon + 1).split(",");
  return { reference: `${reference.slice(0, colon)}:${tags[0]}`, tags };
}

export function registerPromoteCommands(program: Command, io: CliIo): void {
  addConnectionOptions(
    program
      .command("copy")
      .alias("cp")
      .description(
        "copy an image (every platform) and, with -r, its whole referrers graph to another repository",
      )
      .argument("<source>", "registry/repository:tag or @digest")
      .argument("<destination>", "registry/repository[:tag[,tag...]]")
      .option("-r, --recursive", "also copy every referrer, recursively")
      .option(
        "--include-artifact-type <type>",
        "copy only referrers of this type, with what refers to them (repeatable)",
        collect,
        [],
      )
      .option("--exclude-artifact-type <type>", "never copy referrers of this type (repeatable)", collect, [])
      .option("--platform <os/arch[/variant]>", "copy only this platform of an index")
      .option("--from-oci-layout", "the source is an OCI image layout")
      .option("--to-oci-layout", "the destination is an OCI image layout (created if missing)")
      .option("--from-plain-http", "plain HTTP for the source registry only")
      .option("--to-plain-http", "plain HTTP for the destination registry only")
      .option("--from-username <name>", "username for the source registry only")
      .option("--from-password <password>", "password for the source registry only")
      .option("--to-username <name>", "username for the destination registry only")
      .option("--to-password <password>", "password for the destination registry only")
      .option("--from-registry-config <path>", "docker config file for the source registry")
      .option("--to-registry-config <path>", "docker config file for the destination registry")
      .addOption(
        new Option("--concurrency <n>", "parallel blob transfers (default 8)").argParser(positiveInt),
      )
      .addOption(maxNodesOption())
      .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text")),
  ).action(async (source: string, destination: string, flags: CopyFlags) => {
    const platform = flags.platform ? parsePlatform(flags.platform) : undefined;
    const dst = splitTags(destination);
    const sides = { from: side(flags, "from"), to: side(flags, "to") };
    // The engine loads only when the command runs (start-up, see program.ts).
    const [{ copy, resolveRoot }, { promotionTags }, { cliProgress, progressMode }] = await Promise.all([
      import("../graph/copy.js"),
      import("../graph/promotion.js"),
      import("./progress.js"),
    ]);
    await withTargets(
      flags,
      io,
      async (factory) => {
        const src = await factory.open(source, { create: false, needSelector: true, side: "from" });
        const target = await factory.open(dst.reference, { create: true, needSelector: false, side: "to" });
        // The destination is checked against the source before a single blob moves.
        const root = await resolveRoot(src.target, src.selector as string, platform);
        const tags = promotionTags({
          sourceDigest: root.digest,
          sourceSelector: src.selector as string,
          destinationSelector: target.selector,
          explicitTags: dst.tags,
          destination,
        });
        const bars = cliProgress(progressMode(flags.format), io.stdout, "Copying");
        const result = await copy(src.target, root, target.target, tags, {
          ...(bars.progress ? { progress: bars.progress } : {}),
          recursive: Boolean(flags.recursive),
          includeArtifactTypes: flags.includeArtifactType,
          excludeArtifactTypes: flags.excludeArtifactType,
          ...(flags.concurrency ? { concurrency: flags.concurrency } : {}),
          ...(flags.maxNodes ? { maxNodes: flags.maxNodes } : {}),
        }).finally(() => bars.stop());
        if (flags.format === "json") {
          io.stdout(`${safeJson({ ...result, tags })}\n`);
        } else {
          io.stdout(
            `Copied ${source} => ${destination}\nDigest: ${result.root.digest}\n` +
              `${result.copied} copied, ${result.mounted} mounted, ${result.skipped} already there, ` +
              `${plural(result.referrers.length, "referrer")}, ${result.bytes} blob bytes sent\n`,
          );
        }
      },
      sides,
    );
  });

  addConnectionOptions(
    program
      .command("delete")
      .description(
        "delete a manifest; with -r its whole referrers graph, leaves first, and the fallback index tags",
      )
      .argument("<reference>", "registry/repository:tag or @digest")
      .option("-r, --recursive", "also delete every referrer, recursively")
      .option("--dry-run", "list what would be deleted, delete nothing")
      .option("-f, --force", "do not ask for confirmation")
      .addOption(maxNodesOption())
      .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text")),
  ).action(async (reference: string, flags: DeleteFlags) => {
    const [{ executeDelete, planDelete }, { renderTree }, { countNodes, discover }, { refuseLockedGraph }] =
      await Promise.all([
        import("../graph/delete.js"),
        import("../report/tree.js"),
        import("../graph/discover.js"),
        import("./lock.js"),
      ]);
    await withTargets(flags, io, async (factory) => {
      const { target, selector } = await factory.open(reference, { create: false, needSelector: true });
      const plan = await planDelete(target, selector as string, Boolean(flags.recursive), {
        ...(flags.maxNodes ? { maxNodes: flags.maxNodes } : {}),
      });
      if (flags.recursive) await refuseLockedGraph(target, plan, reference);
      const count = plural(plan.order.length, "manifest");
      const listing = renderTree(`${reference} (${plan.root.digest})`, [...plan.referrers, ...plan.children]);
      // Without -r, the referrers of what goes would be left pointing at nothing.
      const orphans = flags.recursive
        ? 0
        : countNodes(await discover(target, plan.root, flags.maxNodes ? { maxNodes: flags.maxNodes } : {}));
      const orphaned = orphans ? `, orphaning ${plural(orphans, "referrer")}` : "";
      if (flags.dryRun) {
        if (flags.format === "json") {
          io.stdout(`${safeJson({ delete: plan.order, orphaned: orphans })}\n`);
        } else io.stdout(`Would delete ${count}${orphaned}:\n${listing}\n`);
        return;
      }
      if (!flags.force) {
        const hint = orphans
          ? `pass -r to delete ${orphans === 1 ? "it" : "them"} too, or --force to delete only ${reference}`
          : "there is no terminal to confirm on; pass --force, or --dry-run to see what would go";
        if (!io.confirm) {
          throw new OcigraphError("INVALID_INPUT", `refusing to delete ${count}${orphaned} without --force`, {
            hint,
          });
        }
        io.stderr(`${listing}\n`);
        if (orphans)
          io.stderr(
            `${reference} has ${plural(orphans, "referrer")} that would be orphaned (-r deletes them too)\n`,
          );
        const question = `Delete ${plan.order.length === 1 ? "this manifest" : `these ${count}`}${orphaned} from ${target.name}? [y/N] `;
        if (!(await io.confirm(question))) {
          throw new OcigraphError("INVALID_INPUT", "delete cancelled");
        }
      }
      const tag = selector && !selector.includes(":") ? selector : undefined;
      const deleted = await executeDelete(target, plan, tag);
      if (flags.format === "json") io.stdout(`${safeJson({ deleted })}\n`);
      else io.stdout(`Deleted ${plural(deleted.length, "manifest")} from ${target.name}${orphaned}\n`);
    });
  });
}
