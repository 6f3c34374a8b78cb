/**
 * Artifact types recognised from a file's content, for the inputs whose format says what it is.
 * Only JSON documents that name their own format are recognised; anything else needs the
 * `*-artifact-type` input, so a wrong guess never lands in a registry.
 */
import { open } from "node:fs/promises";
import { OcigraphError } from "../oci/errors.js";

export const ArtifactType = {
  /** https://spdx.github.io/spdx-spec/v2.3/conformance/ (IANA: application/spdx+json) */
  Spdx: "application/spdx+json",
  /** https://cyclonedx.org/specification/overview/ (IANA: application/vnd.cyclonedx+json) */
  CycloneDx: "application/vnd.cyclonedx+json",
  /** https://docs.oasis-open.org/sarif/sarif/v2.1.0/ (IANA: application/sarif+json) */
  Sarif: "application/sarif+json",
  /** https://github.com/in-toto/attestation/blob/main/spec/v1/statement.md */
  InTotoStatement: "application/vnd.in-toto+json",
  /** https://github.com/secure-systems-lab/dsse/blob/master/envelope.md */
  DsseEnvelope: "application/vnd.dsse.envelope.v1+json",
} as const;

/** Files up to this size are parsed whole; larger ones are recognised from their first bytes. */
const MAX_PARSE_BYTES = 16 * 1024 * 1024;
/** How much of a larger file is read to find the format's markers. */
const SNIFF_BYTES = 64 * 1024;

/** What a file's content says it is, or `undefined` when it does not say. */
export function detectFromJson(doc: unknown): string | undefined {
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) return undefined;
  const d = doc as Record<string, unknown>;
  if (typeof d["spdxVersion"] === "string" && d["spdxVersion"].startsWith("SPDX-")) return ArtifactType.Spdx;
  // SPDX 3 JSON-LD: "@context" naming spdx.org.
  if (typeof d["@context"] === "string" && /spdx\.org\/rdf\/3/.test(d["@context"])) return ArtifactType.Spdx;
  if (d["bomFormat"] === "CycloneDX") return ArtifactType.CycloneDx;
  if (typeof d["$schema"] === "string" && /sarif/i.test(d["$schema"]) && Array.isArray(d["runs"])) {
    return ArtifactType.Sarif;
  }
  if (typeof d["version"] === "string" && d["version"].startsWith("2.1") && Array.isArray(d["runs"])) {
    return ArtifactType.Sarif;
  }
  if (typeof d["_type"] === "string" && d["_type"].startsWith("https://in-toto.io/Statement/")) {
    return ArtifactType.InTotoStatement;
  }
  if (
    typeof d["payloadType"] === "string" &&
    typeof d["payload"] === "string" &&
    Array.isArray(d["signatures"])
  ) {
    return ArtifactType.DsseEnvelope;
  }
  // A Sigstore bundle names its own media type, e.g. application/vnd.dev.sigstore.bundle.v0.3+json.
  if (
    typeof d["mediaType"] === "string" &&
    d["mediaType"].startsWith("application/vnd.dev.sigstore.bundle")
  ) {
    return d["mediaType"];
  }
  return undefined;
}

/**
 * Reads `path` and returns the artifact type its content names.
 *
 * @param input the input the file came from (`sbom`, `signature`, ...), named in the error.
 * @param typeInput the input that sets the type instead (default `<input>-artifact-type`).
 * @throws OcigraphError INVALID_INPUT when the content does not say, naming the file and the
 *   input to set.
 */
export async function detectArtifactType(
  path: string,
  input: string,
  typeInput = `${input}-artifact-type`,
): Promise<string> {
  const { text, whole } = await readStart(path);
  let detected: string | undefined;
  if (whole) {
    try {
      detected = detectFromJson(JSON.parse(text));
    } catch {
      detected = undefined;
    }
  } else {
    detected = detectFromPrefix(text);
  }
  if (detected) return detected;
  throw new OcigraphError(
    "INVALID_INPUT",
    `cannot tell the artifact type of ${path} (given as ${input}) from its content`,
    {
      hint:
        `set the ${typeInput} input, e.g. application/vnd.example.signature; recognised are ` +
        "SPDX JSON, CycloneDX JSON, SARIF, in-toto statements, DSSE envelopes and Sigstore bundles",
    },
  );
}

/**
 * The format markers of a large JSON document, from its first bytes. Tools write them first
 * (syft, trivy, cyclonedx-*), except DSSE, whose signatures follow the payload: a DSSE envelope
 * over 16 MiB needs the artifact type input.
 */
export function detectFromPrefix(text: string): string | undefined {
  const start = text.trimStart();
  if (!start.startsWith("{")) return undefined;
  if (/"spdxVersion"\s*:\s*"SPDX-/.test(start)) return ArtifactType.Spdx;
  if (/"bomFormat"\s*:\s*"CycloneDX"/.test(start)) return ArtifactType.CycloneDx;
  if (/"\$schema"\s*:\s*"[^"]*sarif[^"]*"/i.test(start)) return ArtifactType.Sarif;
  if (/"_type"\s*:\s*"https:\/\/in-toto\.io\/Statement\//.test(start)) return ArtifactType.InTotoStatement;
  return undefined;
}

async function readStart(path: string): Promise<{ text: string; whole: boolean }> {
  let handle;
  try {
    handle = await open(path, "r");
  } catch {
    throw new OcigraphError("NOT_FOUND", `file not found: ${path}`, {
      hint: "check the path and the working directory",
    });
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) return { text: "", whole: true };
    const size = info.size;
    const whole = size <= MAX_PARSE_BYTES;
    const length = whole ? size : SNIFF_BYTES;
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    return {
      text: buffer
        .subarray(0, bytesRead)
        .toString("utf8")
        .replace(/^\uFEFF/, ""),
      whole,
    };
  } finally {
    await handle.close();
  }
}
