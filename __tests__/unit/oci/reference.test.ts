import {
  apiHost,
  formatReference,
  isValidTag,
  parseLayoutReference,
  parseReference,
  referenceSelector,
  withDigest,
} from "../../../src/oci/reference.js";

const D256 = `sha256:${"a".repeat(64)}`;
const D512 = `sha512:${"b".repeat(128)}`;

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return (err as { code: string }).code;
  }
  throw new Error("expected an error");
}

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error("expected an error");
}

describe("parseReference", () => {
  it.each([
    ["alpine", { registry: "docker.io", repository: "library/alpine" }],
    ["alpine:3.19", { registry: "docker.io", repository: "library/alpine", tag: "3.19" }],
    ["user/app:v1", { registry: "docker.io", repository: "user/app", tag: "v1" }],
    ["docker.io/alpine", { registry: "docker.io", repository: "library/alpine" }],
    ["index.docker.io/library/alpine", { registry: "docker.io", repository: "library/alpine" }],
    ["registry-1.docker.io/user/app", { registry: "docker.io", repository: "user/app" }],
    ["localhost/x", { registry: "localhost", repository: "x" }],
    ["localhost:5000/x:v1", { registry: "localhost:5000", repository: "x", tag: "v1" }],
    ["127.0.0.1:5000/a/b/c", { registry: "127.0.0.1:5000", repository: "a/b/c" }],
    [
      "myregistry.azurecr.io/net-monitor:v1",
      { registry: "myregistry.azurecr.io", repository: "net-monitor", tag: "v1" },
    ],
    ["[::1]:5000/x", { registry: "[::1]:5000", repository: "x" }],
    ["[::1]:5000/x:v1", { registry: "[::1]:5000", repository: "x", tag: "v1" }],
    ["[::1]/x", { registry: "[::1]", repository: "x" }],
    [
      "reg.io/a__b/c-d/e.f_g:V1.0-rc_1",
      { registry: "reg.io", repository: "a__b/c-d/e.f_g", tag: "V1.0-rc_1" },
    ],
    [`reg.io/x@${D256}`, { registry: "reg.io", repository: "x", digest: D256 }],
    [`reg.io:443/x:v1@${D512}`, { registry: "reg.io:443", repository: "x", tag: "v1", digest: D512 }],
    [`  reg.io/x:v1  `, { registry: "reg.io", repository: "x", tag: "v1" }],
  ])("parses %s", (input, expected) => {
    expect(parseReference(input)).toEqual(expected);
  });

  it.each([
    ["", "empty"],
    ["   ", "empty"],
    ["reg.io/Upper", '"Upper"'],
    ["reg.io/x:bad!tag", '"bad!tag" is not a valid tag'],
    ["reg.io/x:", '"" is not a valid tag'],
    ["reg.io/x:.dot", '".dot" is not a valid tag'],
    [`reg.io/x:${"t".repeat(129)}`, "is not a valid tag"],
    ["reg.io/x@sha256:abc", "sha256:abc"],
    [`reg.io/x@sha256:${"A".repeat(64)}`, "not a valid sha256 digest"],
    ["reg.io/x@latest", '"latest" is not a digest'],
    ["reg.io/-x", "must be lowercase"],
    ["reg.io/x-", "must be lowercase"],
    ["reg.io/a//b", "must be lowercase"],
    ["reg.io/a...b", "must be lowercase"],
    ["re_g.io:5000/x", "not a valid registry host"],
    ["reg.io:123456/x", "not a valid registry host"],
    [`reg.io/${"a".repeat(250)}`, "too long"],
  ])("refuses %j", (input, says) => {
    expect(codeOf(() => parseReference(input))).toBe("INVALID_INPUT");
    expect(messageOf(() => parseReference(input))).toContain(says);
    expect(messageOf(() => parseReference(input))).toContain(`invalid reference "${input}"`);
  });

  it("refuses an unsupported digest algorithm as invalid input", () => {
    expect(codeOf(() => parseReference("reg.io/x@md5:d41d8cd98f00b204e9800998ecf8427e"))).toBe(
      "INVALID_INPUT",
    );
  });

  it("accepts a name of exactly 255 characters and refuses 256", () => {
    const host = "reg.io"; // 6 + "/" + repo
    expect(parseReference(`${host}/${"a".repeat(248)}`).repository).toHaveLength(248);
    expect(codeOf(() => parseReference(`${host}/${"a".repeat(249)}`))).toBe("INVALID_INPUT");
  });

  it("requires a tag or digest only when asked", () => {
    expect(parseReference("reg.io/x")).toEqual({ registry: "reg.io", repository: "x" });
    expect(messageOf(() => parseReference("reg.io/x", { requireTagOrDigest: true }))).toContain(
      "needs a tag or a digest",
    );
    expect(parseReference("reg.io/x:v1", { requireTagOrDigest: true }).tag).toBe("v1");
    expect(parseReference(`reg.io/x@${D256}`, { requireTagOrDigest: true }).digest).toBe(D256);
  });
});

describe("reference helpers", () => {
  it("talks to registry-1.docker.io for Docker Hub and to the host otherwise", () => {
    expect(apiHost(parseReference("alpine"))).toBe("registry-1.docker.io");
    expect(apiHost(parseReference("localhost:5000/x"))).toBe("localhost:5000");
  });

  it("selects the digest over the tag", () => {
    expect(referenceSelector(parseReference(`reg.io/x:v1@${D256}`))).toBe(D256);
    expect(referenceSelector(parseReference("reg.io/x:v1"))).toBe("v1");
    expect(referenceSelector(parseReference("reg.io/x"))).toBeUndefined();
  });

  it("formats back what it parsed, normalised", () => {
    expect(formatReference(parseReference("alpine:3"))).toBe("docker.io/library/alpine:3");
    expect(formatReference(parseReference(`[::1]:5000/a/b:v1@${D256}`))).toBe(`[::1]:5000/a/b:v1@${D256}`);
    expect(formatReference(withDigest(parseReference("reg.io/x:v1"), D256))).toBe(`reg.io/x@${D256}`);
  });

  it("validates tags", () => {
    expect(isValidTag("v1.0_rc-2")).toBe(true);
    expect(isValidTag("_x")).toBe(true);
    expect(isValidTag("-x")).toBe(false);
    expect(isValidTag("a/b")).toBe(false);
    expect(isValidTag("t".repeat(128))).toBe(true);
    expect(isValidTag("t".repeat(129))).toBe(false);
  });
});

describe("parseLayoutReference", () => {
  it.each([
    ["/tmp/layout", { path: "/tmp/layout" }],
    ["/tmp/layout:v1", { path: "/tmp/layout", tag: "v1" }],
    ["layout:v1.0", { path: "layout", tag: "v1.0" }],
    ["./a:b/layout", { path: "./a:b/layout" }],
    ["./a:b/layout:v2", { path: "./a:b/layout", tag: "v2" }],
    [`/tmp/layout@${D256}`, { path: "/tmp/layout", digest: D256 }],
    [`/tmp/a:b/layout@${D512}`, { path: "/tmp/a:b/layout", digest: D512 }],
    ["/tmp/me@home/layout", { path: "/tmp/me@home/layout" }],
    ["/tmp/layout@v1", { path: "/tmp/layout@v1" }],
    ["/tmp/proj@2/layout:v1", { path: "/tmp/proj@2/layout", tag: "v1" }],
    ["C:\\layouts\\app", { path: "C:\\layouts\\app" }],
    ["C:\\layouts\\app:v1", { path: "C:\\layouts\\app", tag: "v1" }],
  ])("parses %s", (input, expected) => {
    expect(parseLayoutReference(input)).toEqual(expected);
  });

  it.each([
    ["", "empty"],
    ["/tmp/layout:bad!tag", '"bad!tag" is not a valid tag'],
    ["/tmp/layout@sha256:abc", "sha256:abc"],
  ])("refuses %j", (input, says) => {
    expect(codeOf(() => parseLayoutReference(input))).toBe("INVALID_INPUT");
    expect(messageOf(() => parseLayoutReference(input))).toContain(says);
  });
});
