/**
 * The `attach` input: one artifact per line,
 *
 *     [@<parent>] <artifact-type> <path>[:<media-type>] [<path>[:<media-type>] ...]
 *
 * Paths may be globs (all matches go into that one artifact) and may be double-quoted when they
 * hold spaces. `@<parent>` attaches to something other than the subject: `@sbom`, `@signature`
 * or `@scan-results` (the single artifact that input attached in this run — e.g. the SBOM's
 * signature), or `@sha256:<hex>` (a manifest already in the subject's repository).
 */
import { parseFileSpec, type FileSpec } from "../graph/files.js";
import { isDigest } from "../oci/digest.js";
import { OcigraphError } from "../oci/errors.js";
import { isValidMediaType } from "../oci/media-types.js";
import type { ArtifactInput, ArtifactParent } from "./job.js";

export interface AttachLine {
  /** `attach line <n>` (1-based, counting every line of the input). */
  origin: string;
  parent: ArtifactParent;
  artifactType: string;
  /** Paths or patterns, with their media types; not yet expanded. */
  files: FileSpec[];
}

const PARENT_INPUTS: readonly ArtifactInput[] = ["sbom", "signature", "scan-results"];

const GRAMMAR = "write each line as [@parent] <artifact-type> <path>[:<media-type>] [<path>...]";

/** Splits on blanks; `"..."` keeps blanks (no escapes inside, as paths need none). */
export function tokenize(line: string, origin: string): string[] {
  const tokens: string[] = [];
  const re = /"([^"]*)"|(\S+)/g;
  let match: RegExpExecArray | null;
  while ((match = re.exec(line)) !== null) {
    const token = match[1] ?? match[2] ?? "";
    if (match[2]?.includes('"')) {
      throw new OcigraphError("INVALID_INPUT", `${origin}: unbalanced quote in "${line}"`, { hint: GRAMMAR });
    }
    tokens.push(token);
  }
  return tokens;
}

/** Parses the `attach` input. Blank lines and `#` comments are skipped. */
export function parseAttachLines(value: string): AttachLine[] {
  const result: AttachLine[] = [];
  value.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith("#")) return;
    const origin = `attach line ${i + 1}`;
    const tokens = tokenize(line, origin);
    let parent: ArtifactParent = { kind: "subject" };
    if (tokens[0]?.startsWith("@")) parent = parseParent(tokens.shift() as string, origin);
    const [artifactType, ...paths] = tokens;
    if (!artifactType || !isValidMediaType(artifactType) || paths.length === 0) {
      throw new OcigraphError(
        "INVALID_INPUT",
        `${origin} ("${line}") needs an artifact type and at least one path`,
        { hint: `${GRAMMAR}, e.g. application/vnd.example.readme ./docs` },
      );
    }
    result.push({ origin, parent, artifactType, files: paths.map(parseFileSpec) });
  });
  return result;
}

function parseParent(token: string, origin: string): ArtifactParent {
  const name = token.slice(1);
  if ((PARENT_INPUTS as readonly string[]).includes(name))
    return { kind: "input", input: name as ArtifactInput };
  if (isDigest(name)) return { kind: "digest", digest: name };
  throw new OcigraphError("INVALID_INPUT", `${origin}: "${token}" is not something to attach to`, {
    hint: "use @sbom, @signature, @scan-results (what those inputs attach in this run) or @sha256:<digest>",
  });
}
