/**
 * What one run of the action or the task did: the job's result, which the outputs and the Markdown
 * summary render. Declared here, below the job, so the report reads the very type the job returns.
 */
import type { GateVerdict, ReferrerNode } from "../oci/graph-results.js";
import type { ReferrersMode } from "../oci/target.js";
import type { DiscoverJsonNode } from "./graph-json.js";

/** The input an artifact came from; also the name of its digest output (`<input>-digest`). */
export type ArtifactInput = "sbom" | "signature" | "scan-results" | "attach";

export interface AttachedArtifact {
  input: ArtifactInput;
  origin: string;
  artifactType: string;
  /** Paths as given (after glob expansion). */
  files: string[];
  /** The referrer manifest. */
  digest: string;
  size: number;
  /** Sum of the layer sizes. */
  contentSize: number;
  reused: boolean;
  /** Digest of what it refers to. */
  parent: string;
}

export interface Promotion {
  reference: string;
  digest: string;
  copied: number;
  mounted: number;
  skipped: number;
  referrers: number;
  bytes: number;
}

/** What the `lock` input locked: one graph in one repository, or why nothing was locked. */
export type LockReport =
  | {
      repository: string;
      /** Digest of the graph's subject. */
      digest: string;
      manifests: { digest: string; role: string; artifactType?: string; changed: boolean }[];
    }
  | { skipped: string };

export interface RegistryModeReport {
  /** `host/repository`. */
  repository: string;
  role: "subject" | "promotion";
  mode: ReferrersMode;
}

export interface JobResult {
  subject: { reference: string; repository: string; digest: string; mediaType: string; size: number };
  artifacts: AttachedArtifact[];
  /** Absent when `promoteTo` was not set; `skipped` when the gate failed first. */
  promotion?: Promotion | { skipped: string };
  /** Absent when no requirement was given. */
  gate?: GateVerdict;
  /** Absent when `lock` was not set. */
  lock?: LockReport;
  /** The subject's graph after the step. */
  referrers: ReferrerNode[];
  /** The same graph in `ocigraph discover --format json` (ORAS) shape. */
  graph: DiscoverJsonNode;
  modes: RegistryModeReport[];
}
