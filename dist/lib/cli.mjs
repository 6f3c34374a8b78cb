import { createRequire as __ocigraphRequire } from "node:module"; import { fileURLToPath as __ocigraphPath } from "node:url"; import { dirname as __ocigraphDir } from "node:path"; const require = __ocigraphRequire(import.meta.url); const __filename = __ocigraphPath(import.meta.url); const __dirname = __ocigraphDir(__filename);
import {
  Command,
  CommanderError,
  Option,
  addAzureOptions,
  addConnectionOptions,
  azureSettingsFromFlags,
  collect,
  manifestsJson,
  maxNodesOption,
  positiveInt,
  readPassword,
  registerLockCommands,
  renderManifestTable,
  wantsAzure,
  withTargets
} from "./chunk-3MXC32NO.mjs";
import {
  exitCleanlyOnInterrupt,
  guardPending,
  parseAnnotations,
  readEnvKnobs,
  setOwn
} from "./chunk-DUSEIMHF.mjs";
import {
  neutral,
  safeJson
} from "./chunk-FY3PNI67.mjs";
import {
  dockerConfigPath,
  readSmallFile,
  removeCredential,
  storeCredential
} from "./chunk-EVNACXTC.mjs";
import "./chunk-3Y45UJD2.mjs";
import {
  parseRegistryHost
} from "./chunk-PD6PRVKG.mjs";
import "./chunk-AEECXJOG.mjs";
import {
  OcigraphError,
  asUsage,
  isOcigraphError,
  toOcigraphError
} from "./chunk-N65ZBPAW.mjs";
import "./chunk-3475OBJL.mjs";

// src/cli/main.ts
import { createInterface } from "node:readline/promises";

// src/cli/annotations.ts
function parseAnnotationFlags(values) {
  try {
    return parseAnnotations(values, { origin: "annotation", example: "-a key=value" });
  } catch (err) {
    throw asUsage(err);
  }
}
async function readAnnotationFile(path) {
  let text;
  try {
    text = await readSmallFile(path, "the annotation file");
  } catch (err) {
    if (isOcigraphError(err)) throw err;
    throw new OcigraphError("NOT_FOUND", `annotation file not found: ${path}`);
  }
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    throw new OcigraphError("INVALID_INPUT", `annotation file ${path} is not valid JSON`);
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new OcigraphError("INVALID_INPUT", `annotation file ${path} must be a JSON object`);
  }
  const result = { manifest: {}, files: {} };
  for (const [key, value] of Object.entries(json)) {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw new OcigraphError(
        "INVALID_INPUT",
        `annotation file ${path}: "${key}" must map to an object of strings`
      );
    }
    const map = {};
    for (const [k, v] of Object.entries(value)) {
      if (typeof v !== "string") {
        throw new OcigraphError("INVALID_INPUT", `annotation file ${path}: "${key}.${k}" must be a string`);
      }
      setOwn(map, k, v);
    }
    if (key === "$manifest") result.manifest = map;
    else if (key === "$config") {
      throw new OcigraphError(
        "INVALID_INPUT",
        `annotation file ${path}: "$config" is not supported (artifacts use the empty config)`
      );
    } else setOwn(result.files, key, map);
  }
  return result;
}

// src/report/plural.ts
function plural(count, noun, pluralNoun = `${noun}s`) {
  return `${count} ${count === 1 ? noun : pluralNoun}`;
}

// src/cli/promote.ts
function parsePlatform(value) {
  const [os, architecture, variant, extra] = value.split("/");
  if (!os || !architecture || extra !== void 0) {
    throw new OcigraphError(
      "INVALID_INPUT",
      `"${value}" is not a platform (write os/arch[/variant], e.g. linux/amd64)`,
      { usage: true }
    );
  }
  return { os, architecture, ...variant ? { variant } : {} };
}
function side(flags, which) {
  const f = (name) => flags[`${which}${name}`];
  const value = (name) => f(name);
  return {
    ...value("OciLayout") ? { ociLayout: true } : {},
    ...value("PlainHttp") ? { plainHttp: true } : {},
    ...value("Username") !== void 0 ? { username: value("Username") } : {},
    ...value("Password") !== void 0 ? { password: value("Password") } : {},
    ...value("RegistryConfig") ? { registryConfig: value("RegistryConfig") } : {}
  };
}
function splitTags(reference) {
  const at = reference.indexOf("@");
  const colon = reference.lastIndexOf(":");
  if (at >= 0 || colon <= reference.lastIndexOf("/")) return { reference, tags: [] };
  const tags = reference.slice(colon + 1).split(",");
  return { reference: `${reference.slice(0, colon)}:${tags[0]}`, tags };
}
function registerPromoteCommands(program, io) {
  addConnectionOptions(
    program.command("copy").alias("cp").description(
      "copy an image (every platform) and, with -r, its whole referrers graph to another repository"
    ).argument("<source>", "registry/repository:tag or @digest").argument("<destination>", "registry/repository[:tag[,tag...]]").option("-r, --recursive", "also copy every referrer, recursively").option(
      "--include-artifact-type <type>",
      "copy only referrers of this type, with what refers to them (repeatable)",
      collect,
      []
    ).option("--exclude-artifact-type <type>", "never copy referrers of this type (repeatable)", collect, []).option("--platform <os/arch[/variant]>", "copy only this platform of an index").option("--from-oci-layout", "the source is an OCI image layout").option("--to-oci-layout", "the destination is an OCI image layout (created if missing)").option("--from-plain-http", "plain HTTP for the source registry only").option("--to-plain-http", "plain HTTP for the destination registry only").option("--from-username <name>", "username for the source registry only").option("--from-password <password>", "password for the source registry only").option("--to-username <name>", "username for the destination registry only").option("--to-password <password>", "password for the destination registry only").option("--from-registry-config <path>", "docker config file for the source registry").option("--to-registry-config <path>", "docker config file for the destination registry").addOption(
      new Option("--concurrency <n>", "parallel blob transfers (default 8)").argParser(positiveInt)
    ).addOption(maxNodesOption()).addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"))
  ).action(async (source, destination, flags) => {
    const platform = flags.platform ? parsePlatform(flags.platform) : void 0;
    const dst = splitTags(destination);
    const sides = { from: side(flags, "from"), to: side(flags, "to") };
    const [{ copy, resolveRoot }, { promotionTags }, { cliProgress, progressMode }] = await Promise.all([
      import("./chunk-J5DT5HXX.mjs"),
      import("./chunk-ZSDNHWBK.mjs"),
      import("./chunk-KGBW2ZES.mjs")
    ]);
    await withTargets(
      flags,
      io,
      async (factory) => {
        const src = await factory.open(source, { create: false, needSelector: true, side: "from" });
        const target = await factory.open(dst.reference, { create: true, needSelector: false, side: "to" });
        const root = await resolveRoot(src.target, src.selector, platform);
        const tags = promotionTags({
          sourceDigest: root.digest,
          sourceSelector: src.selector,
          destinationSelector: target.selector,
          explicitTags: dst.tags,
          destination
        });
        const bars = cliProgress(progressMode(flags.format), io.stdout, "Copying");
        const result = await copy(src.target, root, target.target, tags, {
          ...bars.progress ? { progress: bars.progress } : {},
          recursive: Boolean(flags.recursive),
          includeArtifactTypes: flags.includeArtifactType,
          excludeArtifactTypes: flags.excludeArtifactType,
          ...flags.concurrency ? { concurrency: flags.concurrency } : {},
          ...flags.maxNodes ? { maxNodes: flags.maxNodes } : {}
        }).finally(() => bars.stop());
        if (flags.format === "json") {
          io.stdout(`${safeJson({ ...result, tags })}
`);
        } else {
          io.stdout(
            `Copied ${source} => ${destination}
Digest: ${result.root.digest}
${result.copied} copied, ${result.mounted} mounted, ${result.skipped} already there, ${plural(result.referrers.length, "referrer")}, ${result.bytes} blob bytes sent
`
          );
        }
      },
      sides
    );
  });
  addConnectionOptions(
    program.command("delete").description(
      "delete a manifest; with -r its whole referrers graph, leaves first, and the fallback index tags"
    ).argument("<reference>", "registry/repository:tag or @digest").option("-r, --recursive", "also delete every referrer, recursively").option("--dry-run", "list what would be deleted, delete nothing").option("-f, --force", "do not ask for confirmation").addOption(maxNodesOption()).addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"))
  ).action(async (reference, flags) => {
    const [{ executeDelete, planDelete }, { renderTree }, { countNodes, discover }, { refuseLockedGraph }] = await Promise.all([
      import("./chunk-YRCAJUXW.mjs"),
      import("./chunk-XMKOU222.mjs"),
      import("./chunk-ZV3K3T2X.mjs"),
      import("./chunk-HELLBO77.mjs")
    ]);
    await withTargets(flags, io, async (factory) => {
      const { target, selector } = await factory.open(reference, { create: false, needSelector: true });
      const plan = await planDelete(target, selector, Boolean(flags.recursive), {
        ...flags.maxNodes ? { maxNodes: flags.maxNodes } : {}
      });
      if (flags.recursive) await refuseLockedGraph(target, plan, reference);
      const count = plural(plan.order.length, "manifest");
      const listing = renderTree(`${reference} (${plan.root.digest})`, [...plan.referrers, ...plan.children]);
      const orphans = flags.recursive ? 0 : countNodes(await discover(target, plan.root, flags.maxNodes ? { maxNodes: flags.maxNodes } : {}));
      const orphaned = orphans ? `, orphaning ${plural(orphans, "referrer")}` : "";
      if (flags.dryRun) {
        if (flags.format === "json") {
          io.stdout(`${safeJson({ delete: plan.order, orphaned: orphans })}
`);
        } else io.stdout(`Would delete ${count}${orphaned}:
${listing}
`);
        return;
      }
      if (!flags.force) {
        const hint = orphans ? `pass -r to delete ${orphans === 1 ? "it" : "them"} too, or --force to delete only ${reference}` : "there is no terminal to confirm on; pass --force, or --dry-run to see what would go";
        if (!io.confirm) {
          throw new OcigraphError("INVALID_INPUT", `refusing to delete ${count}${orphaned} without --force`, {
            hint
          });
        }
        io.stderr(`${listing}
`);
        if (orphans)
          io.stderr(
            `${reference} has ${plural(orphans, "referrer")} that would be orphaned (-r deletes them too)
`
          );
        const question = `Delete ${plan.order.length === 1 ? "this manifest" : `these ${count}`}${orphaned} from ${target.name}? [y/N] `;
        if (!await io.confirm(question)) {
          throw new OcigraphError("INVALID_INPUT", "delete cancelled");
        }
      }
      const tag = selector && !selector.includes(":") ? selector : void 0;
      const deleted = await executeDelete(target, plan, tag);
      if (flags.format === "json") io.stdout(`${safeJson({ deleted })}
`);
      else io.stdout(`Deleted ${plural(deleted.length, "manifest")} from ${target.name}${orphaned}
`);
    });
  });
}

// src/cli/login.ts
function registerLoginCommands(program, io) {
  addAzureOptions(
    program.command("login").description(
      "sign in to a registry and save the credential in the docker config (ACR: through Entra ID)"
    ).argument("<registry>", "registry host, e.g. myregistry.azurecr.io").option("-u, --username <name>", "registry username").option("-p, --password <password>", "registry password or token").option("--password-stdin", "read the password from standard input").option(
      "--registry-config <path>",
      "docker config file to write (default: $DOCKER_CONFIG or ~/.docker)"
    ).option("--plain-http", "talk to the registry over plain HTTP").option("--insecure", "skip TLS certificate checks").option("--ca-file <path>", "trust this CA certificate (PEM)").option("-v, --verbose", "print an HTTP trace (secrets redacted) on stderr")
  ).action(async (registry, flags) => {
    const host = parseRegistryHost(registry);
    const basic = flags.username !== void 0 || flags.password !== void 0 || flags.passwordStdin === true;
    if (wantsAzure(flags) && basic) {
      throw new OcigraphError(
        "INVALID_INPUT",
        "give either --azure-* flags or --username/--password, not both"
      );
    }
    const env = io.env ?? process.env;
    const password = wantsAzure(flags) ? void 0 : await readPassword(flags, io.stdin);
    const { checkLogin } = await import("./chunk-HOABEQUN.mjs");
    const cred = await checkLogin(host, {
      ...flags.username !== void 0 ? { username: flags.username } : {},
      ...password !== void 0 ? { password } : {},
      ...flags.plainHttp ? { plainHttp: true } : {},
      ...flags.insecure ? { insecure: true } : {},
      ...flags.caFile ? { caFile: flags.caFile } : {},
      ...flags.verbose ? { trace: (line) => io.stderr(`${line}
`) } : {},
      ...azureSettingsFromFlags(flags, env),
      ...io.knobs ? { knobs: io.knobs } : {},
      env
    });
    const path = dockerConfigPath(flags.registryConfig, env);
    await storeCredential(path, host, cred);
    io.stdout(`Login Succeeded (${host}, saved in ${path})
`);
  });
  program.command("logout").description("remove a registry's credential from the docker config").argument("<registry>", "registry host").option("--registry-config <path>", "docker config file (default: $DOCKER_CONFIG or ~/.docker)").action(async (registry, flags) => {
    const host = parseRegistryHost(registry);
    await removeCredential(dockerConfigPath(flags.registryConfig, io.env ?? process.env), host);
    io.stdout(`Removed the credential for ${host}
`);
  });
}

// src/cli/verify.ts
function registerVerifyCommand(program, io) {
  addConnectionOptions(
    program.command("verify").description("check that an image carries the required artifacts (the release gate)").argument("<reference>", "registry/repository:tag or @digest").option(
      "--require <types>",
      'artifact type that must refer to the image; "a > b" means an a that itself carries a b (repeatable)',
      collect,
      []
    ).addOption(maxNodesOption()).addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"))
  ).action(async (reference, flags) => {
    const { parseRequirements, verify } = await import("./chunk-WUYJ2XXZ.mjs");
    const requirements = parseRequirements(flags.require);
    if (requirements.length === 0) {
      throw new OcigraphError("INVALID_INPUT", "give at least one --require", {
        usage: true,
        hint: 'e.g. --require application/spdx+json --require "application/spdx+json > application/vnd.example.signature"'
      });
    }
    await withTargets(flags, io, async (factory) => {
      const { target, selector } = await factory.open(reference, { create: false, needSelector: true });
      const subject = await target.resolve(selector);
      const verdict = await verify(target, subject, requirements, {
        display: reference,
        ...flags.maxNodes ? { maxNodes: flags.maxNodes } : {}
      });
      if (flags.format === "json") {
        const { passed, outcomes } = verdict;
        io.stdout(`${safeJson({ subject: subject.digest, passed, requirements: outcomes })}
`);
      } else {
        for (const o of verdict.outcomes) {
          io.stdout(
            `${o.met ? "\u2713" : "\u2717"} ${neutral(o.requirement)}${o.met ? "" : `: ${neutral(o.reason ?? "", 1024)}`}
`
          );
        }
      }
      if (!verdict.passed) throw new OcigraphError("NOT_FOUND", verdict.message);
    });
  });
}

// src/cli/manifests.ts
function registerManifestsCommand(program, io) {
  addConnectionOptions(
    program.command("manifests").description(
      "list every manifest of a repository, tagged or not, with its lock (ACR); elsewhere what the tags reach"
    ).argument("<repository>", "registry/repository (or an OCI layout path with --oci-layout)").option("--artifact-type <type>", "only manifests of this artifact type (repeatable)", collect, []).option("--untagged", "only manifests without a tag").addOption(new Option("--concurrency <n>", "parallel requests (default 8)").argParser(positiveInt)).addOption(
      new Option("--format <format>", "output format").choices(["table", "json"]).default("table")
    )
  ).action(async (repository, flags) => {
    const { listManifests } = await import("./chunk-NRMGJLTQ.mjs");
    await withTargets(flags, io, async (factory) => {
      const { target } = await factory.open(repository, { create: false, needSelector: false });
      const listing = await listManifests(target, {
        artifactTypes: flags.artifactType,
        ...flags.untagged ? { untagged: true } : {},
        ...flags.concurrency ? { concurrency: flags.concurrency } : {}
      });
      if (flags.format === "json") io.stdout(`${JSON.stringify(manifestsJson(listing), null, 2)}
`);
      else io.stdout(`${renderManifestTable(listing)}
`);
    });
  });
}

// src/cli/help.ts
var CONNECTION_OPTIONS = "Connection options:";
var AZURE_OPTIONS = "Azure Container Registry sign-in (Entra ID) options:";
var IMAGE = "myregistry.azurecr.io/net-monitor:v1";
var REPO = "myregistry.azurecr.io/net-monitor";
var CONNECTION_FLAGS = /* @__PURE__ */ new Set([
  "--oci-layout",
  "--plain-http",
  "--insecure",
  "--ca-file",
  "--username",
  "--password",
  "--password-stdin",
  "--registry-config",
  "--chunk-size",
  "--verbose"
]);
var HELP = {
  attach: {
    summary: "attach files to an image (or an artifact) as a referrer",
    examples: [
      `ocigraph attach ${IMAGE} --artifact-type signature/example ./signature.json:application/json`,
      `ocigraph attach ${IMAGE} --artifact-type readme/example ./readme.md:application/markdown ./details`,
      `ocigraph attach ${REPO}@$SBOM --artifact-type signature/example ./sbom-signature.json:application/json`
    ]
  },
  push: {
    summary: "push files as a tagged artifact with no subject",
    examples: [
      "ocigraph push --oci-layout ./net-monitor:v1 app.txt --artifact-type application/vnd.example.image",
      `ocigraph push ${REPO}:docs ./readme.md:application/markdown --artifact-type readme/example`
    ]
  },
  discover: {
    summary: "show the graph of artifacts that refer to an image",
    examples: [
      `ocigraph discover ${IMAGE}`,
      `ocigraph discover ${IMAGE} --artifact-type sbom/example --format json | jq -r '.referrers[0].digest'`,
      "ocigraph discover --oci-layout ./net-monitor:v1 --format table"
    ]
  },
  pull: {
    summary: "download an artifact's files (folders unpacked)",
    examples: [
      `ocigraph pull ${REPO}@$DOC -o ./download`,
      "ocigraph pull --oci-layout ./net-monitor@$DOC -o ./download --keep-old-files"
    ]
  },
  tags: {
    summary: "list the tags of a repository",
    examples: [`ocigraph tags ${REPO}`, "ocigraph tags --oci-layout ./net-monitor"]
  },
  copy: {
    summary: "copy an image and, with -r, its whole graph",
    examples: [
      `ocigraph copy -r ${IMAGE} myregistry.azurecr.io/sample-staging/net-monitor:v1`,
      `ocigraph copy -r ${IMAGE} --to-oci-layout ./offline:v1`,
      `ocigraph copy -r ${IMAGE} ${REPO}-prod:v1 --include-artifact-type sbom/example`
    ]
  },
  delete: {
    summary: "delete a manifest, or with -r its whole graph",
    examples: [`ocigraph delete -r --dry-run ${IMAGE}`, `ocigraph delete -r --force ${REPO}@$SBOM`]
  },
  login: {
    summary: "save a registry credential in the docker config",
    examples: [
      "ocigraph login myregistry.azurecr.io --azure-credential azure-cli",
      "echo $TOKEN | ocigraph login localhost:5000 -u ci --password-stdin"
    ]
  },
  logout: {
    summary: "remove a registry's credential from the docker config",
    examples: ["ocigraph logout myregistry.azurecr.io"]
  },
  verify: {
    summary: "check an image carries the required artifacts (gate)",
    examples: [
      `ocigraph verify ${IMAGE} --require sbom/example`,
      `ocigraph verify ${IMAGE} --require 'sbom/example > signature/example' --require readme/example`
    ]
  },
  manifests: {
    summary: "list a repository's manifests, tagged or not",
    examples: [`ocigraph manifests ${REPO}`, `ocigraph manifests ${REPO} --format json --untagged`]
  },
  lock: {
    summary: "lock a manifest, or with -r its whole graph (ACR)",
    examples: [`ocigraph lock -r ${IMAGE}`, `ocigraph lock -r --allow-delete ${IMAGE}`]
  },
  unlock: {
    summary: "unlock a manifest, or with -r its whole graph (ACR)",
    examples: [`ocigraph unlock -r ${IMAGE}`]
  }
};
function teachHelp(program) {
  program.configureHelp({
    // The list shows names only (`copy|cp`); each command's own help shows its arguments.
    subcommandTerm: (cmd) => [cmd.name(), ...cmd.aliases()].join("|")
  });
  for (const cmd of program.commands) {
    const help = HELP[cmd.name()];
    if (!help) continue;
    cmd.summary(help.summary);
    for (const option of cmd.options) {
      if (option.long?.startsWith("--azure-")) option.helpGroup(AZURE_OPTIONS);
      else if (option.long && CONNECTION_FLAGS.has(option.long)) option.helpGroup(CONNECTION_OPTIONS);
    }
    cmd.addHelpText("after", `
Examples:
${help.examples.map((e) => `  $ ${e}`).join("\n")}
`);
  }
}
var HELP_COMMANDS = Object.keys(HELP);

// src/cli/program.ts
function formatOption() {
  return new Option("--format <format>", "output format").choices(["tree", "json", "table"]).default("tree");
}
function buildProgram(io) {
  const program = new Command("ocigraph").description(
    "Attach, discover and pull supply-chain artifacts (OCI 1.1 referrers) in registries and OCI layouts"
  ).version("0.1.0").showHelpAfterError(false).exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr, outputError: () => void 0 });
  addConnectionOptions(
    program.command("attach").description("attach files to an image (or to another artifact) as a referrer").argument("<reference>", "the subject: registry/repository:tag or @digest").argument("[files...]", "files and directories, each as path[:mediaType]").requiredOption("--artifact-type <type>", "the artifact's type, e.g. application/spdx+json").option("-a, --annotation <key=value>", "manifest annotation (repeatable)", collect, []).option("--annotation-file <path>", "annotations in ORAS's JSON format ($manifest and per-file)").option("--fail-on-duplicate", "fail instead of reusing an identical artifact already attached").addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text")).addOption(new Option("--concurrency <n>", "parallel uploads").argParser(positiveInt))
  ).action(async (reference, files, flags) => {
    const fileAnnotations = flags.annotationFile ? await readAnnotationFile(flags.annotationFile) : void 0;
    const annotations = { ...fileAnnotations?.manifest, ...parseAnnotationFlags(flags.annotation) };
    const [{ attach }, { parseFileSpec }, { cliProgress, progressMode }] = await Promise.all([
      import("./chunk-WQLYVEUU.mjs"),
      import("./chunk-B7RJSA4R.mjs"),
      import("./chunk-KGBW2ZES.mjs")
    ]);
    const specs = files.map(parseFileSpec);
    await withTargets(flags, io, async (factory) => {
      const { target, selector } = await factory.open(reference, { create: false, needSelector: true });
      const bars = cliProgress(progressMode(flags.format), io.stdout, "Uploading");
      const result = await attach(target, selector, {
        artifactType: flags.artifactType,
        files: specs,
        annotations,
        ...fileAnnotations ? { fileAnnotations: fileAnnotations.files } : {},
        ...flags.concurrency ? { concurrency: flags.concurrency } : {},
        ...bars.progress ? { progress: bars.progress } : {}
      }).finally(() => bars.stop());
      if (result.reused && flags.failOnDuplicate) {
        throw new OcigraphError(
          "ALREADY_EXISTS",
          `an identical ${flags.artifactType} artifact is already attached: ${result.descriptor.digest}`
        );
      }
      if (flags.format === "json") {
        io.stdout(
          `${safeJson({ ...result.descriptor, reused: result.reused, subject: result.subject.digest })}
`
        );
      } else {
        const verb = result.reused ? "Reused identical artifact" : "Attached";
        io.stdout(`${verb} to ${reference}
Digest: ${result.descriptor.digest}
`);
      }
    });
  });
  addConnectionOptions(
    program.command("push").description("push files as an artifact with no subject, and tag it (like oras push)").argument("<reference>", "registry/repository:tag (or <path>:<tag> with --oci-layout)").argument("<files...>", "files and directories, each as path[:mediaType]").option("--artifact-type <type>", "the artifact's type", "application/vnd.unknown.artifact.v1").option("-a, --annotation <key=value>", "manifest annotation (repeatable)", collect, []).addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"))
  ).action(async (reference, files, flags) => {
    const [{ push }, { parseFileSpec }, { cliProgress, progressMode }] = await Promise.all([
      import("./chunk-WQLYVEUU.mjs"),
      import("./chunk-B7RJSA4R.mjs"),
      import("./chunk-KGBW2ZES.mjs")
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
        ...bars.progress ? { progress: bars.progress } : {}
      }).finally(() => bars.stop());
      if (flags.format === "json") io.stdout(`${safeJson(result.descriptor)}
`);
      else io.stdout(`Pushed ${reference}
Digest: ${result.descriptor.digest}
`);
    });
  });
  addConnectionOptions(
    program.command("discover").description("show the graph of artifacts that refer to an image").argument("<reference>", "registry/repository:tag or @digest").option("--artifact-type <type>", "only referrers of this type (repeatable)", collect, []).addOption(new Option("--depth <n>", "levels to walk (default: all)").argParser(positiveInt)).addOption(new Option("--concurrency <n>", "parallel listings").argParser(positiveInt)).addOption(maxNodesOption()).addOption(formatOption())
  ).action(async (reference, flags) => {
    const [{ discover }, { discoverJson }, { renderTable, renderTree }] = await Promise.all([
      import("./chunk-ZV3K3T2X.mjs"),
      import("./chunk-7OJQS4IA.mjs"),
      import("./chunk-XMKOU222.mjs")
    ]);
    await withTargets(flags, io, async (factory) => {
      const { target, selector } = await factory.open(reference, { create: false, needSelector: true });
      const [subject] = await Promise.all([
        target.resolve(selector),
        target.referrersMode().catch(() => void 0)
      ]);
      const graph = await discover(target, subject, {
        artifactTypes: flags.artifactType,
        ...flags.depth ? { depth: flags.depth } : {},
        ...flags.concurrency ? { concurrency: flags.concurrency } : {},
        ...flags.maxNodes ? { maxNodes: flags.maxNodes } : {}
      });
      if (flags.format === "json") io.stdout(`${safeJson(discoverJson(target.name, subject, graph))}
`);
      else if (flags.format === "table") io.stdout(`${renderTable(graph)}
`);
      else io.stdout(`${renderTree(reference, graph)}
`);
    });
  });
  addConnectionOptions(
    program.command("pull").description("download an artifact's files (directories are unpacked)").argument("<reference>", "registry/repository:tag or @digest").option("-o, --output <dir>", "folder to write into", ".").option("--keep-old-files", "fail instead of replacing existing files").option("--allow-path-traversal", "allow titles that are absolute or leave the output folder").addOption(new Option("--concurrency <n>", "parallel downloads").argParser(positiveInt)).addOption(
      new Option(
        "--max-unpack-bytes <bytes>",
        "most bytes the pull writes in total, all files and unpacked folders together (default 8 GiB)"
      ).argParser(positiveInt)
    ).addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"))
  ).action(async (reference, flags) => {
    const [{ pull }, { cliProgress, progressMode }] = await Promise.all([
      import("./chunk-RAFWQP2P.mjs"),
      import("./chunk-KGBW2ZES.mjs")
    ]);
    await withTargets(flags, io, async (factory) => {
      const { target, selector } = await factory.open(reference, { create: false, needSelector: true });
      const bars = cliProgress(progressMode(flags.format), io.stdout, "Downloading");
      const result = await pull(target, selector, {
        ...bars.progress ? { progress: bars.progress } : {},
        outputDir: flags.output,
        ...flags.keepOldFiles ? { keepOldFiles: true } : {},
        ...flags.allowPathTraversal ? { allowPathTraversal: true } : {},
        ...flags.concurrency ? { concurrency: flags.concurrency } : {},
        ...io.knobs?.maxUnpackBytes ? { maxUnpackBytes: io.knobs.maxUnpackBytes } : {},
        ...flags.maxUnpackBytes ? { maxTotalBytes: flags.maxUnpackBytes } : {}
      }).finally(() => bars.stop());
      if (flags.format === "json") io.stdout(`${safeJson({ ...result.descriptor, files: result.files })}
`);
      else {
        for (const file of result.files) io.stdout(`Downloaded ${neutral(file, 4096)}
`);
        io.stdout(`Pulled ${reference}
Digest: ${result.descriptor.digest}
`);
      }
    });
  });
  addConnectionOptions(
    program.command("tags").description("list the tags of a repository").argument("<repository>", "registry/repository (or an OCI layout path with --oci-layout)")
  ).action(async (repository, flags) => {
    await withTargets(flags, io, async (factory) => {
      const { target } = await factory.open(repository, { create: false, needSelector: false });
      const tags = await target.listTags();
      if (tags.length) io.stdout(`${tags.map((t) => neutral(t)).join("\n")}
`);
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
async function runCli(argv, io) {
  const program = buildProgram({ ...io, knobs: io.knobs ?? readEnvKnobs(io.env ?? process.env) });
  try {
    await program.parseAsync([...argv], { from: "user" });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.exitCode === 0) return 0;
      if (err.code === "commander.help") return 2;
      io.stderr(`Error: ${err.message.replace(/^error: /, "")}
`);
      return 2;
    }
    const failure = cliFailure(err);
    io.stderr(`${failure.line}
`);
    return failure.code;
  }
}
function cliFailure(err) {
  const error = toOcigraphError(err);
  const hint = error.hint ? ` (${error.hint})` : "";
  return { line: `Error: ${neutral(`${error.message}${hint}`, 4096)}`, code: error.usage ? 2 : 1 };
}

// src/cli/main.ts
async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}
async function confirm(question) {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}
exitCleanlyOnInterrupt();
process.stdout.on("error", (err) => {
  if (err.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw err;
});
var args = process.argv.slice(2);
var work = runCli(args, {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stdin: readStdin,
  // process.stdin is created on first touch (a few ms of start-up): only when a prompt is possible.
  ...process.stderr.isTTY && process.stdin.isTTY ? { confirm } : {}
}).then((code) => {
  process.exitCode = code;
});
var command = args.find((a) => !a.startsWith("-")) ?? "";
guardPending(/^[a-z]+$/.test(command) ? `ocigraph ${command}` : "ocigraph", work);
