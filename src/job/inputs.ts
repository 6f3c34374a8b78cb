/**
 * The inputs of the GitHub Action and of the Azure Pipelines task, in one table: the same words,
 * kebab-case for GitHub (`scan-results`) and camelCase for the task (`scanResults`). `action.yml`
 * and `task.json` are checked against this table by the tests.
 */

export interface JobInputs {
  subject: string;
  sbom: string;
  sbomArtifactType: string;
  signature: string;
  signatureArtifactType: string;
  scanResults: string;
  scanResultsArtifactType: string;
  attach: string;
  annotations: string;
  provenance: string;
  promoteTo: string;
  promoteArtifactTypes: string;
  lock: string;
  require: string;
  failOnDuplicate: string;
  plainHttp: string;
  insecure: string;
  crossHostRealm: string;
  maxNodes: string;
  username: string;
  password: string;
  registryConfig: string;
  azureCredential: string;
  azureClientId: string;
  azureTenantId: string;
  azureAudience: string;
  azureRegistry: string;
}

export type InputKey = keyof JobInputs;

export interface InputSpec {
  key: InputKey;
  /** The GitHub input name. */
  action: string;
  /** Which front ends have it. */
  in: readonly ("action" | "task")[];
  required?: boolean;
  secret?: boolean;
}

const both = ["action", "task"] as const;

export const INPUTS: readonly InputSpec[] = [
  { key: "subject", action: "subject", in: both, required: true },
  { key: "sbom", action: "sbom", in: both },
  { key: "sbomArtifactType", action: "sbom-artifact-type", in: both },
  { key: "signature", action: "signature", in: both },
  { key: "signatureArtifactType", action: "signature-artifact-type", in: both },
  { key: "scanResults", action: "scan-results", in: both },
  { key: "scanResultsArtifactType", action: "scan-results-artifact-type", in: both },
  { key: "attach", action: "attach", in: both },
  { key: "annotations", action: "annotations", in: both },
  { key: "provenance", action: "provenance", in: both },
  { key: "promoteTo", action: "promote-to", in: both },
  { key: "promoteArtifactTypes", action: "promote-artifact-types", in: both },
  { key: "lock", action: "lock", in: both },
  { key: "require", action: "require", in: both },
  { key: "failOnDuplicate", action: "fail-on-duplicate", in: both },
  { key: "plainHttp", action: "plain-http", in: both },
  { key: "insecure", action: "insecure", in: both },
  { key: "crossHostRealm", action: "cross-host-realm", in: both },
  { key: "maxNodes", action: "max-nodes", in: both },
  { key: "username", action: "username", in: both },
  { key: "password", action: "password", in: both, secret: true },
  { key: "registryConfig", action: "registry-config", in: both },
  { key: "azureCredential", action: "azure-credential", in: ["action"] },
  { key: "azureClientId", action: "azure-client-id", in: ["action"] },
  { key: "azureTenantId", action: "azure-tenant-id", in: ["action"] },
  { key: "azureAudience", action: "azure-audience", in: both },
  { key: "azureRegistry", action: "azure-registry", in: both },
];

/** Inputs only the task has: its service connections. */
export const TASK_ONLY_INPUTS = ["dockerRegistryServiceConnection", "azureSubscription"] as const;

/** The task's name for an input: the key itself (camelCase). */
export function taskInputName(spec: InputSpec): string {
  return spec.key;
}

/**
 * Reads every input of one front end through `get` (which answers "" for an unset input).
 * Inputs the front end does not have read as "".
 */
export function readInputs(frontEnd: "action" | "task", get: (name: string) => string): JobInputs {
  const result = {} as Record<InputKey, string>;
  for (const spec of INPUTS) {
    result[spec.key] = spec.in.includes(frontEnd)
      ? get(frontEnd === "action" ? spec.action : taskInputName(spec)).trim()
      : "";
  }
  return result as JobInputs;
}
