import { refusedError } from "../../../src/registry/errors";

describe("refusedError", () => {
  const what = "reg.example/app: starting upload";
  const sent = { method: "POST", source: "-u/-p", looked: ["-u/-p"] };

  it("a 401 with insufficient_scope for credentials that were sent is a missing permission", () => {
    const e = refusedError(what, 401, "reg.example", [], { ...sent, insufficientScope: true });
    expect(e.code).toBe("DENIED");
    expect(e.status).toBe(401);
    expect(e.message).toBe(
      `${what}: reg.example answered 401 (insufficient_scope): the credentials from -u/-p may not push here`,
    );
    expect(e.hint).toContain("AcrPush");
    expect(e.hint).not.toMatch(/log in|wrong or expired/);
  });

  it("a plain 401 still says the credentials were refused", () => {
    const e = refusedError(what, 401, "reg.example", [], sent);
    expect(e.code).toBe("UNAUTHORIZED");
    expect(e.message).toContain("refused the credentials from -u/-p");
  });

  it("an anonymous 401 with insufficient_scope asks to log in", () => {
    const e = refusedError(what, 401, "reg.example", [], {
      method: "POST",
      looked: [],
      insufficientScope: true,
    });
    expect(e.code).toBe("UNAUTHORIZED");
    expect(e.hint).toContain("log in");
  });

  it("a 403 names the permission by method", () => {
    const e = refusedError(what, 403, "reg.example", [{ code: "DENIED" }], { ...sent, method: "DELETE" });
    expect(e.code).toBe("DENIED");
    expect(e.message).toContain("answered 403 (DENIED): the credentials from -u/-p may not delete here");
    expect(e.hint).toContain("AcrDelete");
  });
});
