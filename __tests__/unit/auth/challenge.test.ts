import { MAX_CHALLENGE_HEADER_LENGTH, parseWwwAuthenticate } from "../../../src/auth/challenge.js";

describe("parseWwwAuthenticate", () => {
  it("parses a docker Bearer challenge", () => {
    expect(
      parseWwwAuthenticate(
        'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/alpine:pull"',
      ),
    ).toEqual([
      {
        scheme: "bearer",
        params: {
          realm: "https://auth.docker.io/token",
          service: "registry.docker.io",
          scope: "repository:library/alpine:pull",
        },
      },
    ]);
  });

  it("parses several challenges in one header", () => {
    expect(parseWwwAuthenticate('Bearer realm="x",service="y", Basic realm="z"')).toEqual([
      { scheme: "bearer", params: { realm: "x", service: "y" } },
      { scheme: "basic", params: { realm: "z" } },
    ]);
  });

  it("lowercases the scheme and parameter names but not values", () => {
    expect(parseWwwAuthenticate('BEARER Realm="HTTPS://A/B", SERVICE=Reg')).toEqual([
      { scheme: "bearer", params: { realm: "HTTPS://A/B", service: "Reg" } },
    ]);
  });

  it("keeps commas inside quoted strings", () => {
    expect(parseWwwAuthenticate('Bearer realm="a,b", scope="repository:x:pull,push"')).toEqual([
      { scheme: "bearer", params: { realm: "a,b", scope: "repository:x:pull,push" } },
    ]);
  });

  it("unescapes quoted-pairs", () => {
    expect(parseWwwAuthenticate('Basic realm="say \\"hi\\" \\\\ ok", charset="UTF-8"')).toEqual([
      { scheme: "basic", params: { realm: 'say "hi" \\ ok', charset: "UTF-8" } },
    ]);
  });

  it("accepts whitespace around = and after commas", () => {
    expect(parseWwwAuthenticate('Bearer realm = "r" ,\tservice\t=\ts ,  error="invalid_token"')).toEqual([
      { scheme: "bearer", params: { realm: "r", service: "s", error: "invalid_token" } },
    ]);
  });

  it("keeps docker's space-separated scopes in one value", () => {
    const [c] = parseWwwAuthenticate('Bearer realm="r",scope="repository:a:pull repository:b:pull,push"');
    expect(c?.params["scope"]).toBe("repository:a:pull repository:b:pull,push");
  });

  it("parses the token68 form", () => {
    expect(parseWwwAuthenticate("Negotiate YIIB9gYGKwYBBQUCoIIB6jCCAeag==, Basic realm=x")).toEqual([
      { scheme: "negotiate", params: {}, token68: "YIIB9gYGKwYBBQUCoIIB6jCCAeag==" },
      { scheme: "basic", params: { realm: "x" } },
    ]);
  });

  it("parses schemes without parameters", () => {
    expect(parseWwwAuthenticate("Basic, Bearer")).toEqual([
      { scheme: "basic", params: {} },
      { scheme: "bearer", params: {} },
    ]);
  });

  it("accepts unquoted URL values (lenient)", () => {
    expect(parseWwwAuthenticate("Bearer realm=https://auth.example/token?x=1,service=reg")).toEqual([
      { scheme: "bearer", params: { realm: "https://auth.example/token?x=1", service: "reg" } },
    ]);
  });

  it("keeps the first of repeated parameters", () => {
    expect(parseWwwAuthenticate('Bearer realm="good", realm="evil"')[0]?.params).toEqual({ realm: "good" });
  });

  it("skips empty list elements", () => {
    expect(parseWwwAuthenticate(' ,, Bearer realm="r" ,, , Basic ,')).toEqual([
      { scheme: "bearer", params: { realm: "r" } },
      { scheme: "basic", params: {} },
    ]);
  });

  it("returns [] for empty and garbage input", () => {
    expect(parseWwwAuthenticate("")).toEqual([]);
    expect(parseWwwAuthenticate("   ")).toEqual([]);
    expect(parseWwwAuthenticate('"""')).toEqual([]);
    expect(parseWwwAuthenticate("=,=,=")).toEqual([]);
    expect(parseWwwAuthenticate("@@@ ((( )))")).toEqual([]);
    expect(parseWwwAuthenticate(undefined as unknown as string)).toEqual([]);
  });

  it("drops an unterminated quoted string but keeps what came before", () => {
    expect(parseWwwAuthenticate('Bearer realm="r", service="unterminated')).toEqual([
      { scheme: "bearer", params: { realm: "r" } },
    ]);
    expect(parseWwwAuthenticate('Bearer realm="ends with backslash\\')).toEqual([
      { scheme: "bearer", params: {} },
    ]);
  });

  it("recovers at the next comma after a malformed parameter", () => {
    expect(parseWwwAuthenticate('Bearer realm="r" junk "q,x", service="s", Basic realm="b"')).toEqual([
      { scheme: "bearer", params: { realm: "r", service: "s" } },
      { scheme: "basic", params: { realm: "b" } },
    ]);
    // "realm=" alone is the token68 form, which takes no parameters after it
    expect(parseWwwAuthenticate('Bearer realm=, service="s", Basic')).toEqual([
      { scheme: "bearer", params: {}, token68: "realm=" },
      { scheme: "basic", params: {} },
    ]);
  });

  it("ignores parameters before any scheme", () => {
    expect(parseWwwAuthenticate('realm="x", Basic realm="y"')).toEqual([
      { scheme: "basic", params: { realm: "y" } },
    ]);
  });

  it("does not let a __proto__ parameter touch the prototype", () => {
    const [c] = parseWwwAuthenticate('Bearer __proto__="x", constructor="y", realm="r"');
    expect(Object.getPrototypeOf(c?.params)).toBe(Object.prototype);
    expect(c?.params["realm"]).toBe("r");
    expect(Object.hasOwn(c?.params ?? {}, "__proto__")).toBe(true);
    expect(({} as Record<string, unknown>)["x"]).toBeUndefined();
  });

  it("caps the input at 16 KiB", () => {
    const header = `Bearer realm="r", service="${"a".repeat(MAX_CHALLENGE_HEADER_LENGTH)}"`;
    expect(parseWwwAuthenticate(header)).toEqual([{ scheme: "bearer", params: { realm: "r" } }]);
  });

  it("does hostile inputs in linear time", () => {
    const big = 4 * 1024 * 1024;
    const inputs = [
      '"'.repeat(big),
      "\\".repeat(big),
      "Bearer " + "a=".repeat(big / 2),
      "Bearer " + 'a="\\'.repeat(big / 4),
      ",".repeat(big),
      "a ".repeat(big / 2),
      "Bearer realm=" + "x".repeat(big),
      "B " + "=".repeat(big),
    ];
    // each is cut to 16 KiB and scanned once; a backtracking parser would hang here (test timeout)
    for (const input of inputs) expect(Array.isArray(parseWwwAuthenticate(input))).toBe(true);
  });

  it("counts many challenges in a long header", () => {
    const header = Array.from({ length: 500 }, (_, i) => `S${i} p="v${i}"`).join(", ");
    const parsed = parseWwwAuthenticate(header);
    expect(parsed).toHaveLength(500);
    expect(parsed[499]).toEqual({ scheme: "s499", params: { p: "v499" } });
  });
});
