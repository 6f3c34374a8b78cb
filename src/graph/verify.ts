/**
 * The release gate: which artifact types must refer to a subject, including chains such as
 * "an SBOM that itself carries a signature" (`application/spdx+json > application/vnd.example.sig`).
 */
import { OcigraphError } from "../oci/errors.js";
import type { GateVerdict, ReferrerNode, RequirementOutcome } from "../oci/graph-results.js";
import type { Descriptor } from "../oci/manifest.js";
import { isValidMediaType } from "../oci/media-types.js";
import type { Target } from "../oci/target.js";
import { discover } from "./discover.js";

/** A chain of artifact types, outermost first: each must refer to the one before it. */
export type Requirement = readonly string[];

export type { GateVerdict, RequirementOutcome };

/**
 * Parses requirements: one per line or comma-separated entry, each a `>`-separated chain of
 * artifact types. Blank entries and `#` comments are ignored; an empty list means no gate.
 *
 * @throws OcigraphError INVALID_INPUT naming the entry that is not a media type.
 */
export function parseRequirements(values: readonly string[]): Requirement[] {
  const result: Requirement[] = [];
  for (const value of values) {
    for (const raw of value.split(/[\n,]/)) {
      const entry = raw.replace(/#.*$/, "").trim();
      if (!entry) continue;
      const chain = entry.split(">").map((part) => part.trim());
      for (const type of chain) {
        if (!isValidMediaType(type)) {
          throw new OcigraphError(
            "INVALID_INPUT",
            `the requirement "${entry}" has "${type}", which is not an artifact type`,
            {
              hint: "write artifact types as type/subtype, nested ones as a > b, e.g. application/spdx+json > application/vnd.example.signature",
            },
          );
        }
      }
      result.push(chain);
    }
  }
  return result;
}

export function formatRequirement(requirement: Requirement): string {
  return requirement.join(" > ");
}

/** Evaluates requirements against a discovered graph (no I/O). */
export function evaluateRequirements(
  subject: string,
  graph: readonly ReferrerNode[],
  requirements: readonly Requirement[],
): GateVerdict {
  const outcomes = requirements.map((req): RequirementOutcome => {
    const chain = findChain(graph, req);
    if (chain) return { requirement: formatRequirement(req), met: true, chain };
    return { requirement: formatRequirement(req), met: false, chain: [], reason: explain(graph, req) };
  });
  const missing = outcomes.filter((o) => !o.met);
  const message = missing.length
    ? `${subject} lacks ${missing.length} required artifact${missing.length > 1 ? "s" : ""}: ` +
      missing.map((o) => `${o.requirement} (${o.reason})`).join("; ")
    : "";
  return { passed: missing.length === 0, outcomes, message };
}

function findChain(nodes: readonly ReferrerNode[], req: Requirement): string[] | undefined {
  const [first, ...rest] = req;
  if (first === undefined) return [];
  for (const node of nodes) {
    if (!typeMatches(node.descriptor.artifactType, first)) continue;
    const tail = findChain(node.referrers, rest);
    if (tail) return [node.descriptor.digest, ...tail];
  }
  return undefined;
}

/** A registry's artifact type meets a requirement only when it is a real media type, exactly. */
function typeMatches(type: string | undefined, wanted: string): boolean {
  return type !== undefined && isValidMediaType(type) && type === wanted;
}

/** How many leading types of `req` the graph has as a chain. */
function reached(nodes: readonly ReferrerNode[], req: Requirement): number {
  const [first, ...rest] = req;
  if (first === undefined) return 0;
  let best = 0;
  for (const node of nodes) {
    if (typeMatches(node.descriptor.artifactType, first))
      best = Math.max(best, 1 + reached(node.referrers, rest));
  }
  return best;
}

function explain(graph: readonly ReferrerNode[], req: Requirement): string {
  const depth = reached(graph, req);
  if (depth === 0) return `no ${req[0]} refers to it`;
  const have = req.slice(0, depth).join(" > ");
  return `it has ${have}, but no ${req[depth]} refers to ${depth > 1 ? "that chain" : "it"}`;
}

/**
 * Discovers the graph below `subject` (as deep as the longest requirement) and evaluates the
 * requirements. An empty list passes.
 */
export async function verify(
  target: Target,
  subject: Descriptor,
  requirements: readonly Requirement[],
  options: { display?: string; maxNodes?: number } = {},
): Promise<GateVerdict & { graph: ReferrerNode[] }> {
  const depth = Math.max(0, ...requirements.map((r) => r.length));
  const graph = depth
    ? await discover(target, subject, { depth, ...(options.maxNodes ? { maxNodes: options.maxNodes } : {}) })
    : [];
  const display = options.display ?? `${target.name}@${subject.digest}`;
  return { ...evaluateRequirements(display, graph, requirements), graph };
}
