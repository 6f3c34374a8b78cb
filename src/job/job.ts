/**
 * One run of the action or the task: what to attach to one subject, whether to promote the
 * graph, and what the graph must hold. Front ends build a Job from their inputs
 * (`buildJob`), run it (`runJob`) and render its {@link JobResult}.
 */
import type { Requirement } from "../graph/verify.js";
import type { FileSpec } from "../graph/files.js";
import type { ConnectionSettings } from "../connect/settings.js";

export type {
  ArtifactInput,
  AttachedArtifact,
  JobResult,
  LockReport,
  Promotion,
  RegistryModeReport,
} from "../report/job-result.js";
import type { ArtifactInput } from "../report/job-result.js";

/**
 * What an artifact refers to: the job's subject, the single artifact another input attached in
 * this run (`@sbom` in an attach line), or an existing manifest in the subject's repository.
 */
export type ArtifactParent =
  { kind: "subject" } | { kind: "input"; input: ArtifactInput } | { kind: "digest"; digest: string };

/** One referrer to push (or reuse): its type, its files and what it refers to. */
export interface ArtifactSpec {
  input: ArtifactInput;
  artifactType: string;
  files: FileSpec[];
  parent: ArtifactParent;
  /** Where it was written, for messages: `sbom`, `attach line 2`. */
  origin: string;
}

export interface Job {
  /** Image reference, tag or digest: `registry/repo:tag`, `registry/repo@sha256:...`. */
  subject: string;
  /** In order; an artifact whose parent is an input comes after that input's artifact. */
  artifacts: ArtifactSpec[];
  /** Manifest annotations of every artifact attached (provenance defaults included). */
  annotations: Record<string, string>;
  /** Copy the subject and its whole graph here after attaching (and after the gate passed). */
  promoteTo?: string;
  /** Promote only referrers of these types (with what refers to them); empty = all. */
  promoteArtifactTypes: string[];
  /** Lock the promoted graph after promotion (the subject's graph when nothing is promoted). */
  lock: boolean;
  /** The gate; empty = no gate. */
  require: Requirement[];
  /** Fail when an identical artifact is already attached instead of reusing it. */
  failOnDuplicate: boolean;
  /** Most nodes each walk of the graph (gate, promotion, report) may visit. */
  maxNodes: number;
  connection: ConnectionSettings;
}

/** What a front end gives the job to report progress. */
export interface JobHooks {
  /** Runs `work` inside a collapsible log group. */
  group<T>(title: string, work: () => Promise<T>): Promise<T>;
  info(line: string): void;
  /** A warning (forged referrer ignored, credentials to another host); `info` when absent. */
  warn?(line: string): void;
}
