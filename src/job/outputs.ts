/** The outputs of the action and the task, from a job's result: one table, two spellings. */
import type { ArtifactInput, JobResult } from "./job.js";
import { safeJson } from "../report/neutral.js";

export interface OutputSpec {
  /** GitHub output name. */
  action: string;
  /** Azure Pipelines output variable (alphanumeric). */
  task: string;
  description: string;
  value: (result: JobResult) => string;
}

/** Digests of the artifacts one input attached or reused, comma-separated (usually one). */
function digestsOf(result: JobResult, input: ArtifactInput): string {
  return result.artifacts
    .filter((a) => a.input === input)
    .map((a) => a.digest)
    .join(",");
}

export const OUTPUTS: readonly OutputSpec[] = [
  {
    action: "subject-digest",
    task: "SubjectDigest",
    description: "Digest of the subject image",
    value: (r) => r.subject.digest,
  },
  {
    action: "sbom-digest",
    task: "SbomDigest",
    description: "Digest of the SBOM artifact (comma-separated when a glob matched several files)",
    value: (r) => digestsOf(r, "sbom"),
  },
  {
    action: "signature-digest",
    task: "SignatureDigest",
    description: "Digest of the signature artifact (comma-separated when a glob matched several files)",
    value: (r) => digestsOf(r, "signature"),
  },
  {
    action: "scan-results-digest",
    task: "ScanResultsDigest",
    description: "Digest of the scan results artifact (comma-separated when a glob matched several files)",
    value: (r) => digestsOf(r, "scan-results"),
  },
  {
    action: "attach-digests",
    task: "AttachDigests",
    description: "Digests of the artifacts of the attach lines, comma-separated, in line order",
    value: (r) => digestsOf(r, "attach"),
  },
  {
    action: "promoted-digest",
    task: "PromotedDigest",
    description: "Digest of the subject in the promotion repository (empty when not promoted)",
    value: (r) => (r.promotion && "digest" in r.promotion ? r.promotion.digest : ""),
  },
  {
    action: "gate",
    task: "Gate",
    description: "passed or failed when require was given, else empty",
    value: (r) => (r.gate ? (r.gate.passed ? "passed" : "failed") : ""),
  },
  {
    action: "graph",
    task: "Graph",
    description: "The subject's referrers graph after the step, as ocigraph/oras discover --format json",
    value: (r) => safeJson(r.graph, 0),
  },
  {
    action: "locked-digests",
    task: "LockedDigests",
    description: "Digests the lock input locked, comma-separated (empty when lock is false)",
    value: (r) => (r.lock && "manifests" in r.lock ? r.lock.manifests.map((m) => m.digest).join(",") : ""),
  },
];
