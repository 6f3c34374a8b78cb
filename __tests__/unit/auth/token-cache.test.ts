import { TokenCache } from "../../../src/auth/token-cache.js";

describe("TokenCache", () => {
  const realm = "https://auth.example/token";

  it("serves a token until 30 s before it expires", () => {
    let now = 1_000_000;
    const cache = new TokenCache({ now: () => now });
    cache.set(realm, "reg", ["repository:a:pull"], { token: "t1", expiresAt: now + 60_000 });
    expect(cache.get(realm, "reg", ["repository:a:pull"])).toBe("t1");
    now += 29_999;
    expect(cache.get(realm, "reg", ["repository:a:pull"])).toBe("t1");
    now += 1;
    expect(cache.get(realm, "reg", ["repository:a:pull"])).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it("keys by realm, service and the set of scopes", () => {
    const cache = new TokenCache({ now: () => 0 });
    cache.set(realm, "reg", ["repository:a:push", "repository:a:pull"], { token: "t", expiresAt: 600_000 });
    expect(cache.get(realm, "reg", ["repository:a:pull,push"])).toBe("t");
    expect(cache.get(realm, "reg", ["repository:a:pull"])).toBeUndefined();
    expect(cache.get(realm, "other", ["repository:a:pull,push"])).toBeUndefined();
    expect(cache.get("https://auth.example/other", "reg", ["repository:a:pull,push"])).toBeUndefined();
    expect(cache.get(realm, undefined, ["repository:a:pull,push"])).toBeUndefined();
  });

  it("drops the oldest entry beyond maxEntries, and deletes on request", () => {
    const cache = new TokenCache({ now: () => 0, maxEntries: 2 });
    cache.set(realm, "s", ["repository:a:pull"], { token: "a", expiresAt: 600_000 });
    cache.set(realm, "s", ["repository:b:pull"], { token: "b", expiresAt: 600_000 });
    cache.set(realm, "s", ["repository:c:pull"], { token: "c", expiresAt: 600_000 });
    expect(cache.get(realm, "s", ["repository:a:pull"])).toBeUndefined();
    expect(cache.get(realm, "s", ["repository:c:pull"])).toBe("c");
    cache.delete(realm, "s", ["repository:c:pull"]);
    expect(cache.get(realm, "s", ["repository:c:pull"])).toBeUndefined();
    cache.delete();
    expect(cache.size).toBe(0);
  });

  it("does not mistake a service containing separators for another key", () => {
    const cache = new TokenCache({ now: () => 0 });
    cache.set("a", "b c", [], { token: "x", expiresAt: 600_000 });
    expect(cache.get("a b", "c", [])).toBeUndefined();
  });
});
