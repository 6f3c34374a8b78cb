// Only what defines the commands is imported here; each action imports the engine it runs, so
// `--version`, `--help` and usage errors load no undici, Azure or tar code (esbuild splits
// every dynamic import into its own chunk; __tests__/e2e/startup.test.ts guards it).
import { Command, CommanderError, Option } from "commander";
import { OcigraphError, toOcigraphError } from "../oci/errors.js";
import { readEnvKnobs } from "../connect/settings.js";
import { parseAnnotationFlags, readAnnotationFile } from "./annotations.js";
import { type ConnectionFlags, addConnectionOptions, maxNodesOption, positiveInt } from "./connection.js";
import { neutral, safeJson } from "../report/neutral.js";
import { type CliIo, collect, withTargets } from "./shared.js";
import { registerPromoteCommands } from "./promote.js";
import { registerLoginCommands } from "./login.js";
import { registerVerifyCommand } from "./verify.js";
import { registerManifestsCommand } from "./manifests.js";
import { registerLockCommands } from "./lock.js";
import { teachHelp } from "./help.js";

export type { CliIo } from "./shared.js";

function formatOption(): Option {
  return new Option("--format <format>", "output format").choices(["tree", "json", "table"]).default("tree");
}

export function buildProgram(io: CliIo): Command {
  const program = new Command("ocigraph")
    .description(
      "Attach, discover and pull supply-chain artifacts (OCI 1.1 referrers) in registries and OCI layouts",
    )
    .version("0.1.0")
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr, outputError: () => undefined });

  addConnectionOptions(
    program
      .command("attach")
      .description("attach files to an image (or to another artifact) as a referrer")
      .argument("<reference>", "the subject: registry/repository:tag or @digest")
      .argument("[files...]", "files and directories, each as path[:mediaType]")
      .requiredOption("--artifact-type <type>", "the artifact's type, e.g. application/spdx+json")
      .option("-a, --annotation <key=value>", "manifest annotation (repeatable)", collect, [])
      .option("--annotation-file <path>", "annotations in ORAS's JSON format ($manifest and per-file)")
      .option("--fail-on-duplicate", "fail instead of reusing an identical artifact already attached")
      .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"))
      .addOption(new Option("--concurrency <n>", "parallel uploads").argParser(positiveInt)),
  ).action(async (reference: string, files: string[], flags: ConnectionFlags & AttachFlags) => {
    const fileAnnotations = flags.annotationFile ? await readAnnotationFile(flags.annotationFile) : undefined;
    const annotations = { ...fileAnnotations?.manifest, ...parseAnnotationFlags(flags.annotation) };
    const [{ attach }, { parseFileSpec }, { cliProgress, progressMode }] = await Promise.all([
      import("../graph/attach.js"),
      import("../graph/files.js"),
      import("./progress.js"),
    ]);
    const specs = files.map(parseFileSpec);
    await withTargets(flags, io, async (factory) => {
      const { target, selector } = await factory.open(reference, { create: false, needSelector: true });
      const bars = cliProgress(progressMode(flags.format), io.stdout, "Uploading");
      const result = await attach(target, selector as string, {
        artifactType: flags.artifactType,
        files: specs,
        annotations,
        ...(fileAnnotations ? { fileAnnotations: fileAnnotations.files } : {}),
        ...(flags.concurrency ? { concurrency: flags.concurrency } : {}),
        ...(bars.progress ? { progress: bars.progress } : {}),
      }).finally(() => bars.stop());
      if (result.reused && flags.failOnDuplicate) {
        throw new OcigraphError(
          "ALREADY_EXISTS",
          `an identical ${flags.artifactType} artifact is already attached: ${result.descriptor.digest}`,
        );
      }
      if (flags.format === "json") {
        io.stdout(
          `${safeJson({ ...result.descriptor, reused: result.reused, subject: result.subject.digest })}\n`,
        );
      } else {
        const verb = result.reused ? "Reused identical artifact" : "Attached";
        io.stdout(`${verb} to ${reference}\nDigest: ${result.descriptor.digest}\n`);
      }
    });
  });

  addConnectionOptions(
    program
      .command("push")
      .description("push files as an artifact with no subject, and tag it (like oras push)")
      .argument("<reference>", "registry/repository:tag (or <path>:<tag> with --oci-layout)")
      .argument("<files...>", "files and directories, each as path[:mediaType]")
      .option("--artifact-type <type>", "the artifact's type", "application/vnd.unknown.artifact.v1")
      .option("-a, --annotation <key=value>", "manifest annotation (repeatable)", collect, [])
      .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text")),
  ).action(async (reference: string, files: string[], flags: ConnectionFlags & AttachFlags) => {
    const [{ push }, { parseFileSpec }, { cliProgress, progressMode }] = await Promise.all([
      import("../graph/attach.js"),
      import("../graph/files.js"),
      import("./progress.js"),
    ]);
    await withTargets(flags, io, async (factory) => {
      const { target, selector } = await factory.open(reference, { create: true, needSelector: true });
      if (!selector || selector.includes(":")) {
        throw new OcigraphError("INVALID_INPUT", `push needs a tag: ${reference}`, { usage: true });
      }
      const bars = cliProgress(progressMode(flags.format), io.stdout, "Uploading");
      const result = await push(target, selector, {
        artifactType: flags.artifactType,
        files: files.map(parseFileSpec),
        annotations: parseAnnotationFlags(flags.annotation),
        ...(bars.progress ? { progress: bars.progress } : {}),
      }).finally(() => bars.stop());
      if (flags.format === "json") io.stdout(`${safeJson(result.descriptor)}\n`);
      else io.stdout(`Pushed ${reference}\nDigest: ${result.descriptor.digest}\n`);
    });
  });

  addConnectionOptions(
    program
      .command("discover")
      .description("show the graph of artifacts that refer to an image")
      .argument("<reference>", "registry/repository:tag or @digest")
      .option("--artifact-type <type>", "only referrers of this type (repeatable)", collect, [])
      .addOption(new Option("--depth <n>", "levels to walk (default: all)").argParser(positiveInt))
      .addOption(new Option("--concurrency <n>", "parallel listings").argParser(positiveInt))
      .addOption(maxNodesOption())
      .addOption(formatOption()),
  ).action(async (reference: string, flags: ConnectionFlags & DiscoverFlags) => {
    const [{ discover }, { discoverJson }, { renderTable, renderTree }] = await Promise.all([
      import("../graph/discover.js"),
      import("../report/graph-json.js"),
      import("../report/tree.js"),
    ]);
    await withTargets(flags, io, async (factory) => {
      const { target, selector } = await factory.open(reference, { create: false, needSelector: true });
      // How the registry lists referrers is learnt while the reference resolves (one round trip
      // less on a registry without the referrers API); a failure here is the walk's to report.
      const [subject] = await Promise.all([
        target.resolve(selector as string),
        target.referrersMode().catch(() => undefined),
      ]);
      const graph = await discover(target, subject, {
        artifactTypes: flags.artifactType,
        ...(flags.depth ? { depth: flags.depth } : {}),
        ...(flags.concurrency ? { concurrency: flags.concurrency } : {}),
        ...(flags.maxNodes ? { maxNodes: flags.maxNodes } : {}),
      });
      if (flags.format === "json") io.stdout(`${safeJson(discoverJson(target.name, subject, graph))}\n`);
      else if (flags.format === "table") io.stdout(`${renderTable(graph)}\n`);
      else io.stdout(`${renderTree(reference, graph)}\n`);
    });
  });

  addConnectionOptions(
    program
      .command("pull")
      .description("download an artifact's files (directories are unpacked)")
      .argument("<reference>", "registry/repository:tag or @digest")
      .option("-o, --output <dir>", "folder to write into", ".")
      .option("--keep-old-files", "fail instead of replacing existing files")
      .option("--allow-path-traversal", "allow titles that are absolute or leave the output folder")
      .addOption(new Option("--concurrency <n>", "parallel downloads").argParser(positiveInt))
      .addOption(
        new Option(
          "--max-unpack-bytes <bytes>",
          "most bytes the pull writes in total, all files and unpacked folders together (default 8 GiB)",
        ).argParser(positiveInt),
      )
      .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text")),
  ).action(async (reference: string, flags: ConnectionFlags & PullFlags) => {
    const [{ pull }, { cliProgress, progressMode }] = await Promise.all([
      import("../graph/pull.js"),
      import("./progress.js"),
    ]);
    await withTargets(flags, io, async (factory) => {
      const { target, selector } = await factory.open(reference, { create: false, needSelector: true });
      const bars = cliProgress(progressMode(flags.format), io.stdout, "Downloading");
      const result = await pull(target, selector as string, {
        ...(bars.progress ? { progress: bars.progress } : {}),
        outputDir: flags.output,
        ...(flags.keepOldFiles ? { keepOldFiles: true } : {}),
        ...(flags.allowPathTraversal ? { allowPathTraversal: true } : {}),
        ...(flags.concurrency ? { concurrency: flags.concurrency } : {}),
        ...(io.knobs?.maxUnpackBytes ? { maxUnpackBytes: io.knobs.maxUnpackBytes } : {}),
        ...(flags.maxUnpackBytes ? { maxTotalBytes: flags.maxUnpackBytes } : {}),
      }).finally(() => bars.stop());
      if (flags.format === "json") io.stdout(`${safeJson({ ...result.descriptor, files: result.files })}\n`);
      else {
        // File names are the artifact's titles: written by whoever pushed it.
        for (const file of result.files) io.stdout(`Downloaded ${neutral(file, 4096)}\n`);
        io.stdout(`Pulled ${reference}\nDigest: ${result.descriptor.digest}\n`);
      }
    });
  });

  addConnectionOptions(
    program
      .command("tags")
      .description("list the tags of a repository")
      .argument("<repository>", "registry/repository (or an OCI layout path with --oci-layout)"),
  ).action(async (repository: string, flags: ConnectionFlags) => {
    await withTargets(flags, io, async (factory) => {
      const { target } = await factory.open(repository, { create: false, needSelector: false });
      const tags = await target.listTags();
      if (tags.length) io.stdout(`${tags.map((t) => neutral(t)).join("\n")}\n`);
    });
  });

  registerPromoteCommands(program, io);
  registerLoginCommands(program, io);
  registerVerifyCommand(program, io);
  registerManifestsCommand(program, io);
  registerLockCommands(program, io);
  teachHelp(program);
  return program;
}

interface AttachFlags {
  artifactType: string;
  annotation: string[];
  annotationFile?: string;
  failOnDuplicate?: boolean;
  format: "text" | "json";
  concurrency?: number;
}

interface DiscoverFlags {
  artifactType: string[];
  depth?: number;
  maxNodes?: number;
  concurrency?: number;
  format: "tree" | "json" | "table";
}

interface PullFlags {
  output: string;
  maxUnpackBytes?: number;
  keepOldFiles?: boolean;
  allowPathTraversal?: boolean;
  concurrency?: number;
  format: "text" | "json";
}

/**
 * Runs the CLI; returns the exit code: 0, 2 for a command-line mistake (an unknown flag or
 * command, a bad reference or value, nothing to attach: errors marked `usage`), 1 for any other
 * failure (130/143 for interrupts, in main.ts). Every failure is one `Error: ...` line on stderr.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const program = buildProgram({ ...io, knobs: io.knobs ?? readEnvKnobs(io.env ?? process.env) });
  try {
    await program.parseAsync([...argv], { from: "user" });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.exitCode === 0) return 0;
      // Help was already written to stderr (e.g. no command given): no "Error: (outputHelp)" line.
      if (err.code === "commander.help") return 2;
      io.stderr(`Error: ${err.message.replace(/^error: /, "")}\n`);
      return 2;
    }
    const failure = cliFailure(err);
    io.stderr(`${failure.line}\n`);
    return failure.code;
  }
}

/** The one `Error: <what> (<what to try>)` line for a failure, and its exit code (2: usage). */
export function cliFailure(err: unknown): { line: string; code: number } {
  const error = toOcigraphError(err);
  const hint = error.hint ? ` (${error.hint})` : "";
  // Messages quote registries (error bodies, tags, types): one neutral line.
  return { line: `Error: ${neutral(`${error.message}${hint}`, 4096)}`, code: error.usage ? 2 : 1 };
}
