import { isLoopback, normalizeHost, parseRegistryHost } from "../../../src/oci/host";
import { readEnvKnobs } from "../../../src/connect/settings";
import { promotionTags } from "../../../src/graph/promotion";

const D = (c: string): string => `sha256:${c.repeat(64)}`;

describe("normalizeHost: one spelling for docker config keys, login, service connections", () => {
  test.each([
    ["reg.example", "reg.example"],
    [" GHCR.io ", "ghcr.io"],
    ["https://reg.example", "reg.example"],
    ["http://Reg.Example:5000/v1/", "reg.example:5000"],
    ["reg.example/some/path", "reg.example"],
    ["https://index.docker.io/v1/", "docker.io"],
    ["registry-1.docker.io", "docker.io"],
    ["registry.hub.docker.com", "docker.io"],
  ])("%j -> %s", (text, host) => expect(normalizeHost(text)).toBe(host));

  test.each(["", "a b", "reg.example:port", "-reg.example", "reg.example:123456"])("refuses %j", (text) => {
    expect(() => parseRegistryHost(text, "--azure-registry")).toThrow(
      /--azure-registry: ".*" is not a registry host/,
    );
  });
});

describe("isLoopback", () => {
  test.each<[string, boolean]>([
    ["localhost", true],
    ["localhost:5000", true],
    ["registry.localhost:5000", true],
    ["127.0.0.1", true],
    ["127.1.2.3:443", true],
    ["[::1]", true],
    ["[::1]:5000", true],
    ["::1", true],
    ["128.0.0.1", false],
    ["localhost.example", false],
    ["127.0.0.1.example.com", false],
    ["myreg.azurecr.io", false],
  ])("%s: %s", (host, expected) => expect(isLoopback(host)).toBe(expected));
});

describe("readEnvKnobs: the OCIGRAPH_* variables, read once per entry point", () => {
  test("positive whole numbers are taken, anything else is the default", () => {
    expect(
      readEnvKnobs({
        OCIGRAPH_MAX_RETRIES: "2",
        OCIGRAPH_RETRY_DELAY_MS: "0",
        OCIGRAPH_TIMEOUT_MS: "1.5",
        OCIGRAPH_MAX_UNPACK_BYTES: "1024",
      }),
    ).toEqual({ maxRetries: 2, maxUnpackBytes: 1024 });
    expect(readEnvKnobs({})).toEqual({});
  });
});

describe("promotionTags: one rule for copy and promote-to", () => {
  const base = { sourceDigest: D("a"), destination: "dst" };
  test.each<[string, Parameters<typeof promotionTags>[0], string[]]>([
    ["the source's tag", { ...base, sourceSelector: "v1", destinationSelector: undefined }, ["v1"]],
    ["the destination's tag wins", { ...base, sourceSelector: "v1", destinationSelector: "v2" }, ["v2"]],
    [
      "explicit tags win",
      { ...base, sourceSelector: "v1", destinationSelector: "v2", explicitTags: ["a", "b"] },
      ["a", "b"],
    ],
    ["by digest: no tag", { ...base, sourceSelector: D("a"), destinationSelector: undefined }, []],
    ["the source's own digest", { ...base, sourceSelector: "v1", destinationSelector: D("a") }, []],
  ])("%s", (_name, input, tags) => expect(promotionTags(input)).toEqual(tags));

  test("a destination digest that is not the source's is refused", () => {
    expect(() => promotionTags({ ...base, sourceSelector: "v1", destinationSelector: D("b") })).toThrow(
      `dst names ${D("b")}, but the source is ${D("a")}`,
    );
  });
});
