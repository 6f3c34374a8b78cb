/**
 * From the inputs a front end read to a {@link Job}: every check a user can fix from the step's
 * inputs happens here, before anything touches a registry. Globs are expanded and artifact types
 * detected from content now, so a missing file or an unknown format fails fast.
 */
import type { ConnectionSettings } from "../connect/settings.js";
import { parseAnnotations } from "../oci/annotations.js";
import { parseAttachLines } from "./attach-lines.js";
import { azureConnection, type ServiceConnectionInput } from "./azure.js";
import { namingInput } from "./naming.js";
import { detectArtifactType } from "./detect.js";
import type { ArtifactInput, ArtifactSpec, Job } from "./job.js";
import type { InputKey, JobInputs } from "./inputs.js";
import { expandPath, inputLines } from "./paths.js";
import { provenanceAnnotations } from "./provenance.js";
import { parseRequirements } from "../graph/verify.js";
import { DEFAULT_MAX_NODES } from "../graph/walk.js";
import { parseFileSpec } from "../graph/files.js";
import { OcigraphError } from "../oci/errors.js";
import { isValidMediaType } from "../oci/media-types.js";
import { parseReference } from "../oci/reference.js";

export interface BuildContext {
  /** How the front end names an input in messages: `scan-results` or `scanResults`. */
  name: (key: InputKey) => string;
  env: NodeJS.ProcessEnv;
  cwd?: string;
  /** Connection settings the front end adds (service connection credentials, knobs, secret masking). */
  connection?: Partial<ConnectionSettings>;
  /** The task's AzureRM service connection (`azureSubscription`), checked here like an input. */
  serviceConnection?: ServiceConnectionInput;
}

const FILE_INPUTS: readonly { input: ArtifactInput; files: InputKey; type: InputKey }[] = [
  { input: "sbom", files: "sbom", type: "sbomArtifactType" },
  { input: "signature", files: "signature", type: "signatureArtifactType" },
  { input: "scan-results", files: "scanResults", type: "scanResultsArtifactType" },
];

/** `true`/`false` (any case); "" means `fallback`. */
export function parseBoolean(value: string, name: string, fallback: boolean): boolean {
  const v = value.trim().toLowerCase();
  if (v === "") return fallback;
  if (v === "true") return true;
  if (v === "false") return false;
  throw new OcigraphError(
    "INVALID_INPUT",
    `the input ${name} is "${value}", which is neither true nor false`,
  );
}

export async function buildJob(inputs: JobInputs, ctx: BuildContext): Promise<Job> {
  const cwd = ctx.cwd ?? process.cwd();
  if (!inputs.subject) {
    throw new OcigraphError("INVALID_INPUT", `the input ${ctx.name("subject")} is required`, {
      hint: "give the image reference, e.g. myregistry.azurecr.io/net-monitor:v1 or ...@sha256:<digest>",
    });
  }
  namingInput(ctx.name("subject"), () => parseReference(inputs.subject, { requireTagOrDigest: true }));
  if (inputs.promoteTo) namingInput(ctx.name("promoteTo"), () => parseReference(inputs.promoteTo));

  const artifacts: ArtifactSpec[] = [];
  for (const { input, files, type } of FILE_INPUTS) {
    const given = inputs[type];
    if (given && !isValidMediaType(given)) {
      throw new OcigraphError(
        "INVALID_INPUT",
        `the input ${ctx.name(type)} ("${given}") is not a media type`,
        {
          hint: "write it as type/subtype, e.g. application/spdx+json",
        },
      );
    }
    for (const line of inputLines(inputs[files])) {
      const spec = parseFileSpec(line);
      for (const path of await expandPath(spec.path, ctx.name(files), cwd)) {
        artifacts.push({
          input,
          origin: `${ctx.name(files)} (${path})`,
          artifactType: given || (await detectArtifactType(path, ctx.name(files), ctx.name(type))),
          files: [{ path, ...(spec.mediaType ? { mediaType: spec.mediaType } : {}) }],
          parent: { kind: "subject" },
        });
      }
    }
  }
  for (const line of parseAttachLines(inputs.attach)) {
    const files = [];
    for (const file of line.files) {
      for (const path of await expandPath(file.path, line.origin, cwd)) {
        files.push({ path, ...(file.mediaType ? { mediaType: file.mediaType } : {}) });
      }
    }
    if (line.parent.kind === "input") {
      const input = line.parent.input;
      const count = artifacts.filter((a) => a.input === input).length;
      if (count !== 1) {
        throw new OcigraphError(
          "INVALID_INPUT",
          `${line.origin} attaches to @${input}, but the ${input} input gives ${count} files in this run`,
          { hint: `@${input} needs exactly one; attach to a digest instead (@sha256:...)` },
        );
      }
    }
    artifacts.push({
      input: "attach",
      origin: line.origin,
      artifactType: line.artifactType,
      files,
      parent: line.parent,
    });
  }

  const provenance = parseBoolean(inputs.provenance, ctx.name("provenance"), true);
  const annotations = {
    ...(provenance ? provenanceAnnotations(ctx.env) : {}),
    ...parseAnnotations(inputLines(inputs.annotations), {
      origin: `the input ${ctx.name("annotations")}: annotation`,
      example: "one key=value per line, e.g. org.opencontainers.image.description=Net monitor",
      trim: true,
    }),
  };
  const promoteArtifactTypes = splitList(inputs.promoteArtifactTypes);
  for (const type of promoteArtifactTypes) {
    if (!isValidMediaType(type)) {
      throw new OcigraphError(
        "INVALID_INPUT",
        `the input ${ctx.name("promoteArtifactTypes")} has "${type}", which is not an artifact type`,
      );
    }
  }
  if (promoteArtifactTypes.length && !inputs.promoteTo) {
    throw new OcigraphError(
      "INVALID_INPUT",
      `the input ${ctx.name("promoteArtifactTypes")} is set but ${ctx.name("promoteTo")} is not`,
    );
  }
  const require = namingInput(ctx.name("require"), () => parseRequirements([inputs.require]));
  const lock = parseBoolean(inputs.lock, ctx.name("lock"), false);
  if (artifacts.length === 0 && require.length === 0 && !inputs.promoteTo && !lock) {
    throw new OcigraphError(
      "INVALID_INPUT",
      "nothing to do: no file to attach, no promotion and no requirement",
      {
        hint: `give ${ctx.name("sbom")}, ${ctx.name("signature")}, ${ctx.name("scanResults")}, ${ctx.name("attach")}, ${ctx.name("promoteTo")}, ${ctx.name("lock")} or ${ctx.name("require")}`,
      },
    );
  }

  const connection: ConnectionSettings = {
    ...azureConnection(inputs, ctx.name, ctx.env, ctx.serviceConnection),
    ...(parseBoolean(inputs.plainHttp, ctx.name("plainHttp"), false) ? { plainHttp: true } : {}),
    ...(parseBoolean(inputs.insecure, ctx.name("insecure"), false) ? { insecure: true } : {}),
    ...(inputs.username ? { username: inputs.username } : {}),
    ...(inputs.password ? { password: inputs.password } : {}),
    ...(inputs.registryConfig ? { registryConfig: inputs.registryConfig } : {}),
    ...(parseBoolean(inputs.crossHostRealm, ctx.name("crossHostRealm"), true)
      ? {}
      : { crossHostRealm: false }),
    ...ctx.connection,
  };
  if (Boolean(connection.username) !== Boolean(connection.password)) {
    throw new OcigraphError(
      "INVALID_INPUT",
      `give both ${ctx.name("username")} and ${ctx.name("password")}, or neither`,
    );
  }
  return {
    subject: inputs.subject,
    artifacts,
    annotations,
    ...(inputs.promoteTo ? { promoteTo: inputs.promoteTo } : {}),
    promoteArtifactTypes,
    lock,
    require,
    failOnDuplicate: parseBoolean(inputs.failOnDuplicate, ctx.name("failOnDuplicate"), false),
    maxNodes: parsePositive(inputs.maxNodes, ctx.name("maxNodes"), DEFAULT_MAX_NODES),
    connection,
  };
}

/** A whole number above 0; "" means `fallback`. */
export function parsePositive(value: string, name: string, fallback: number): number {
  const v = value.trim();
  if (v === "") return fallback;
  const n = Number(v);
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(n) || n <= 0) {
    throw new OcigraphError(
      "INVALID_INPUT",
      `the input ${name} is "${value}", which is not a whole number above 0`,
    );
  }
  return n;
}

/** Items separated by newlines or commas, trimmed, blanks and `#` comments dropped. */
export function splitList(value: string): string[] {
  return value
    .split(/[\n,]/)
    .map((s) => s.replace(/#.*$/, "").trim())
    .filter(Boolean);
}
