import { normalizeHost } from "../../../src/oci/host.js";
import { chainProviders, staticProvider, type CredentialProvider } from "../../../src/auth/credential.js";

describe("credential providers", () => {
  it("staticProvider answers only for its host, case-insensitively", async () => {
    const p = staticProvider("Reg.Example:5000", { username: "u", password: "p" });
    await expect(p("reg.example:5000")).resolves.toEqual({ username: "u", password: "p" });
    await expect(p("reg.example")).resolves.toBeUndefined();
  });

  it("staticProvider treats Docker Hub's aliases as one host", async () => {
    const p = staticProvider("docker.io", { accessToken: "t" });
    await expect(p("registry-1.docker.io")).resolves.toEqual({ accessToken: "t" });
    await expect(p("index.docker.io")).resolves.toEqual({ accessToken: "t" });
  });

  it("chainProviders returns the first hit and stops there", async () => {
    const calls: string[] = [];
    const miss: CredentialProvider = async (h) => {
      calls.push(`miss:${h}`);
      return undefined;
    };
    const hit: CredentialProvider = async (h) => {
      calls.push(`hit:${h}`);
      return { username: "a" };
    };
    const never: CredentialProvider = async () => {
      throw new Error("not reached");
    };
    await expect(chainProviders(miss, hit, never)("h")).resolves.toEqual({ username: "a" });
    expect(calls).toEqual(["miss:h", "hit:h"]);
    await expect(chainProviders(miss)("h")).resolves.toBeUndefined();
    await expect(chainProviders()("h")).resolves.toBeUndefined();
  });

  it("normalizeHost lowercases and folds Docker Hub", () => {
    expect(normalizeHost(" GHCR.io ")).toBe("ghcr.io");
    expect(normalizeHost("registry-1.docker.io")).toBe("docker.io");
  });
});
