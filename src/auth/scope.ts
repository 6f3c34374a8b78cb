/**
 * Distribution token scopes: `resourcetype:resourcename:action[,action]*`.
 * https://distribution.github.io/distribution/spec/auth/scope/
 */
import { OcigraphError } from "../oci/errors.js";

/**
 * Actions a repository scope may ask for. `metadata_read` / `metadata_write` are Azure Container
 * Registry's, for its `/acr/v1` metadata API (manifest listing and `changeableAttributes`).
 */
export type RepositoryAction = "pull" | "push" | "delete" | "metadata_read" | "metadata_write";

const ACTIONS: ReadonlySet<string> = new Set<RepositoryAction>([
  "pull",
  "push",
  "delete",
  "metadata_read",
  "metadata_write",
]);

/**
 * The scope for a repository, e.g. `repository:team/app:pull,push`. Actions are deduplicated and
 * sorted so equal requests give equal strings.
 *
 * @throws OcigraphError INVALID_INPUT when `repo` is empty, holds `:` or whitespace, or no action is given.
 */
export function repositoryScope(repo: string, actions: readonly RepositoryAction[]): string {
  if (repo === "" || /[\s:,]/.test(repo)) {
    throw new OcigraphError("INVALID_INPUT", `"${repo}" is not a repository name a token scope can hold.`, {
      hint: "Pass the repository path without the registry host or a tag, e.g. team/app.",
    });
  }
  const clean = [...new Set(actions)].filter((a) => ACTIONS.has(a)).sort();
  if (clean.length === 0) {
    throw new OcigraphError("INVALID_INPUT", `No action was given for the scope of repository ${repo}.`, {
      hint: "Ask for pull, push or delete.",
    });
  }
  return `repository:${repo}:${clean.join(",")}`;
}

/**
 * Merges scopes that name the same resource into one with the union of their actions (sorted,
 * deduplicated; `*` absorbs the others). Scopes without the `type:name:actions` shape are kept as they
 * are; a scope with an empty action list is dropped. Surrounding whitespace is trimmed, and a string
 * holding several space-separated scopes (as in a challenge's `scope` parameter) is split. The result
 * is sorted, so it is deterministic.
 */
export function mergeScopes(scopes: readonly string[]): string[] {
  const unknown = new Set<string>();
  // "type:name" -> actions
  const byResource = new Map<string, Set<string>>();
  for (const scope of scopes.flatMap((s) => s.split(/[ \t]+/))) {
    if (scope === "") continue;
    const first = scope.indexOf(":");
    const last = scope.lastIndexOf(":");
    if (first === -1 || last === first) {
      unknown.add(scope);
      continue;
    }
    const resource = scope.slice(0, last);
    let set = byResource.get(resource);
    if (set === undefined) {
      set = new Set();
      byResource.set(resource, set);
    }
    for (const action of scope.slice(last + 1).split(",")) {
      if (action !== "") set.add(action);
    }
  }
  const out = [...unknown];
  for (const [resource, set] of byResource) {
    if (set.size === 0) continue;
    const actions = set.has("*") ? ["*"] : [...set].sort();
    out.push(`${resource}:${actions.join(",")}`);
  }
  return out.sort();
}

/** A stable cache key for a set of scopes: the merged scopes joined by a space (`""` for none). */
export function scopeKey(scopes: readonly string[]): string {
  return mergeScopes(scopes).join(" ");
}

/** The scopes a Bearer challenge asked for (its space-separated `scope` parameter); `[]` when none. */
export function challengeScopes(params: Readonly<Record<string, string>>): string[] {
  const scope = Object.hasOwn(params, "scope") ? params["scope"] : undefined;
  return scope === undefined ? [] : scope.split(/[ \t]+/).filter((s) => s !== "");
}
