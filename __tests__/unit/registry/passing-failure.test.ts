// isPassingFailure: what the fallback update treats as worth re-reading and writing again, the
// same set the transport retries. A stalled registry (our own deadline) is not in it.
import { OcigraphError } from "../../../src/oci/errors.js";
import { isPassingFailure, networkError } from "../../../src/registry/errors.js";

const answered = (status: number): OcigraphError =>
  new OcigraphError("REGISTRY", `registry answered ${status}`, { status });

const failedWith = (code: string): OcigraphError =>
  networkError("registry.example", Object.assign(new Error("socket"), { code }));

describe("isPassingFailure", () => {
  it.each([408, 429, 500, 502, 503, 504])("a %i may pass", (status) => {
    expect(isPassingFailure(answered(status))).toBe(true);
  });

  it.each([400, 401, 403, 404, 405, 412, 501])("a %i will not", (status) => {
    expect(isPassingFailure(answered(status))).toBe(false);
  });

  it.each(["ECONNRESET", "ECONNREFUSED", "EPIPE", "UND_ERR_SOCKET"])(
    "a connection failing with %s may",
    (code) => {
      expect(isPassingFailure(failedWith(code))).toBe(true);
    },
  );

  it("a connection failing on a wrapped cause may", () => {
    const wrapped = networkError(
      "registry.example",
      new Error("fetch failed", { cause: Object.assign(new Error("reset"), { code: "ECONNRESET" }) }),
    );
    expect(isPassingFailure(wrapped)).toBe(true);
  });

  it("neither a TLS failure, an unknown host, nor a request that outlived its deadline will", () => {
    expect(isPassingFailure(failedWith("ERR_TLS_CERT_ALTNAME_INVALID"))).toBe(false);
    expect(isPassingFailure(failedWith("ENOTFOUND"))).toBe(false);
    const deadline = new OcigraphError(
      "NETWORK",
      "registry.example did not finish answering PUT within 60000 ms",
    );
    expect(isPassingFailure(deadline)).toBe(false);
  });
});
