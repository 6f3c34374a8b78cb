import { challengeScopes, mergeScopes, repositoryScope, scopeKey } from "../../../src/auth/scope.js";
import { isOcigraphError } from "../../../src/oci/errors.js";

describe("repositoryScope", () => {
  it("builds a repository scope with sorted, unique actions", () => {
    expect(repositoryScope("team/app", ["pull"])).toBe("repository:team/app:pull");
    expect(repositoryScope("team/app", ["push", "pull", "push"])).toBe("repository:team/app:pull,push");
    expect(repositoryScope("a", ["delete", "pull"])).toBe("repository:a:delete,pull");
  });

  it.each([
    ["", ["pull"]],
    ["host:5000/app", ["pull"]],
    ["a b", ["pull"]],
    ["app", []],
  ] as const)("rejects %j with %j", (repo, actions) => {
    let err: unknown;
    try {
      repositoryScope(repo, [...actions]);
    } catch (e) {
      err = e;
    }
    expect(isOcigraphError(err, "INVALID_INPUT")).toBe(true);
  });
});

describe("mergeScopes", () => {
  it("merges actions of the same resource, sorted and deduplicated", () => {
    expect(
      mergeScopes(["repository:a:push", "repository:a:pull", "repository:b:pull", "repository:a:pull,push"]),
    ).toEqual(["repository:a:pull,push", "repository:b:pull"]);
  });

  it("lets * absorb the other actions", () => {
    expect(mergeScopes(["registry:catalog:*", "registry:catalog:search"])).toEqual(["registry:catalog:*"]);
  });

  it("keeps unknown forms as they are and drops empty action lists", () => {
    expect(mergeScopes(["openid", "weird:form", "repository:a:", "", "openid"])).toEqual([
      "openid",
      "weird:form",
    ]);
  });

  it("handles resource names with colons (host:port) and resource classes", () => {
    expect(
      mergeScopes([
        "repository(plugin):x:pull",
        "repository:localhost:5000/a:push",
        "repository:localhost:5000/a:pull",
      ]),
    ).toEqual(["repository(plugin):x:pull", "repository:localhost:5000/a:pull,push"]);
  });

  it("splits space-separated scope lists", () => {
    expect(mergeScopes(["repository:a:pull repository:b:pull", " repository:a:push "])).toEqual([
      "repository:a:pull,push",
      "repository:b:pull",
    ]);
  });

  it("is empty for no scopes", () => {
    expect(mergeScopes([])).toEqual([]);
  });
});

describe("scopeKey", () => {
  it("does not depend on order or duplicates", () => {
    const a = scopeKey(["repository:b:pull", "repository:a:push", "repository:a:pull"]);
    const b = scopeKey(["repository:a:pull,push", "repository:b:pull", "repository:b:pull"]);
    expect(a).toBe(b);
    expect(a).toBe("repository:a:pull,push repository:b:pull");
    expect(scopeKey([])).toBe("");
  });
});

describe("challengeScopes", () => {
  it("splits the scope parameter", () => {
    expect(challengeScopes({ scope: "repository:a:pull  repository:b:push" })).toEqual([
      "repository:a:pull",
      "repository:b:push",
    ]);
    expect(challengeScopes({ realm: "r" })).toEqual([]);
  });
});
