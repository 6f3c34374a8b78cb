import { Option, type Command } from "commander";
import { copy } from "../graph/copy.js";
import { executeDelete, planDelete } from "../graph/delete.js";
import { OcigraphError } from "../oci/errors.js";
import { TargetFactory } from "../job/open-target.js";
import { renderTree } from "../report/tree.js";
import { type ConnectionFlags, addConnectionOptions, positiveInt } from "./connection.js";
import { type CliIo, collect, withTargets } from "./shared.js";
import { cliProgress, progressMode } from "./progress.js";

interface CopyFlags extends ConnectionFlags {
  recursive?: boolean;
  includeArtifactType: string[];
  excludeArtifactType: string[];
  platform?: string;
  fromOciLayout?: boolean;
  toOciLayout?: boolean;
  fromPlainHttp?: boolean;
  toPlainHttp?: boolean;
  concurrency?: number;
  format: "text" | "json";
}

interface DeleteFlags extends ConnectionFlags {
  recursive?: boolean;
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
    );
  }
  return { os, architecture, ...(variant ? { variant } : {}) };
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
      .addOption(
        new Option("--concurrency <n>", "parallel blob transfers (default 8)").argParser(positiveInt),
      )
      .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text")),
  ).action(async (source: string, destination: string, flags: CopyFlags) => {
    const platform = flags.platform ? parsePlatform(flags.platform) : undefined;
    const dst = splitTags(destination);
    await withTargets(flags, io, async (_factory, options) => {
      const from = new TargetFactory({
        ...options,
        ociLayout: Boolean(flags.fromOciLayout || flags.ociLayout),
        plainHttp: Boolean(flags.fromPlainHttp || flags.plainHttp),
      });
      const to = new TargetFactory({
        ...options,
        ociLayout: Boolean(flags.toOciLayout || flags.ociLayout),
        plainHttp: Boolean(flags.toPlainHttp || flags.plainHttp),
      });
      try {
        const src = await from.open(source, { create: false, needSelector: true });
        const target = await to.open(dst.reference, { create: true, needSelector: false });
        const srcTag = src.selector && !src.selector.includes(":") ? src.selector : undefined;
        const tags = dst.tags.length
          ? dst.tags
          : target.selector?.includes(":")
            ? []
            : srcTag
              ? [srcTag]
              : [];
        const bars = cliProgress(progressMode(flags.format), io.stdout, "Copying");
        const result = await copy(src.target, src.selector as string, target.target, tags, {
          ...(bars.progress ? { progress: bars.progress } : {}),
          recursive: Boolean(flags.recursive),
          includeArtifactTypes: flags.includeArtifactType,
          excludeArtifactTypes: flags.excludeArtifactType,
          ...(platform ? { platform } : {}),
          ...(flags.concurrency ? { concurrency: flags.concurrency } : {}),
        }).finally(() => bars.stop());
        if (target.selector?.includes(":") && target.selector !== result.root.digest) {
          throw new OcigraphError(
            "INVALID_INPUT",
            `the destination digest ${target.selector} is not the source's ${result.root.digest}`,
          );
        }
        if (flags.format === "json") {
          io.stdout(`${JSON.stringify({ ...result, tags }, null, 2)}\n`);
        } else {
          io.stdout(
            `Copied ${source} => ${destination}\nDigest: ${result.root.digest}\n` +
              `${result.copied} copied, ${result.mounted} mounted, ${result.skipped} already there, ` +
              `${result.referrers.length} referrers, ${result.bytes} blob bytes sent\n`,
          );
        }
      } finally {
        await Promise.all([from.close(), to.close()]);
      }
    });
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
      .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text")),
  ).action(async (reference: string, flags: DeleteFlags) => {
    await withTargets(flags, io, async (factory) => {
      const { target, selector } = await factory.open(reference, { create: false, needSelector: true });
      const plan = await planDelete(target, selector as string, Boolean(flags.recursive));
      const listing = renderTree(`${reference} (${plan.root.digest})`, [...plan.referrers, ...plan.children]);
      if (flags.dryRun) {
        if (flags.format === "json") io.stdout(`${JSON.stringify({ delete: plan.order }, null, 2)}\n`);
        else io.stdout(`Would delete ${plan.order.length} manifests:\n${listing}\n`);
        return;
      }
      if (!flags.force) {
        if (!io.confirm) {
          throw new OcigraphError(
            "INVALID_INPUT",
            `refusing to delete ${plan.order.length} manifests without --force`,
            {
              hint: "there is no terminal to confirm on; pass --force, or --dry-run to see what would go",
            },
          );
        }
        io.stderr(`${listing}\n`);
        if (!(await io.confirm(`Delete these ${plan.order.length} manifests from ${target.name}? [y/N] `))) {
          throw new OcigraphError("INVALID_INPUT", "delete cancelled");
        }
      }
      const tag = selector && !selector.includes(":") ? selector : undefined;
      const deleted = await executeDelete(target, plan, tag);
      if (flags.format === "json") io.stdout(`${JSON.stringify({ deleted }, null, 2)}\n`);
      else io.stdout(`Deleted ${deleted.length} manifests from ${target.name}\n`);
    });
  });
}
