/**
 * The shapes graph operations hand back and reports render: the referrers tree, a repository's
 * manifest listing, a release-gate verdict. They live in the model layer so src/report can render
 * them without importing src/graph (layers only import downwards; see DESIGN.md).
 */
import type { Descriptor } from "./manifest.js";
import type { ManifestAttributes } from "./target.js";

/** One referrer and, below it, its own referrers. */
export interface ReferrerNode {
  descriptor: Descriptor;
  referrers: ReferrerNode[];
  /** Already shown elsewhere in this graph: a reference, not walked again (as oras shows it). */
  repeat?: boolean;
}

/** One manifest of a repository listing. */
export interface ManifestEntry {
  digest: string;
  /** Sorted; empty for an untagged manifest. */
  tags: string[];
  mediaType: string;
  artifactType?: string;
  /** Digest of the manifest this one refers to. */
  subject?: string;
  /** Bytes of the manifest (ACR: `imageSize`, the manifest and what it lists). */
  size?: number;
  /** The registry's creation time (ACR), or the manifest's `org.opencontainers.image.created`. */
  created?: string;
  /** The registry's last-update time; only a metadata API knows it. */
  lastUpdated?: string;
  /** The lock (`changeableAttributes`); absent where the registry has no lock API. */
  lock?: ManifestAttributes;
}

/** Every manifest of a repository, and how complete that list is. */
export interface ManifestListing {
  repository: string;
  /** `registry`: the registry's own list; `graph`: what tags reach; `layout`: what `index.json` reaches. */
  source: "registry" | "graph" | "layout";
  /** True when the registry listed every manifest itself. */
  complete: boolean;
  /** What the list cannot show, for the reader. */
  note?: string;
  manifests: ManifestEntry[];
}

/** Whether one gate requirement (a chain of artifact types) is met. */
export interface RequirementOutcome {
  /** As the user wrote it, normalised: `a > b`. */
  requirement: string;
  met: boolean;
  /** Digests of one matching chain, outermost first (empty when not met). */
  chain: string[];
  /** When not met: one sentence saying how far the graph goes. */
  reason?: string;
}

/** The release gate's answer for one subject. */
export interface GateVerdict {
  passed: boolean;
  outcomes: RequirementOutcome[];
  /** One message listing everything missing (empty when passed). */
  message: string;
}
