import { run, type ActionCore } from "../../../src/action/run";
import { parseRegistryHost } from "../../../src/oci/host";
import { dockerRegistryCredential, type EndpointReader } from "../../../src/task/connections";

/** A typed fake of the @actions/core functions the action uses. */
function fakeCore(inputs: Record<string, string>): ActionCore & {
  failed: string[];
  outputs: Record<string, string>;
  secrets: string[];
} {
  const core = {
    failed: [] as string[],
    outputs: {} as Record<string, string>,
    secrets: [] as string[],
    getInput: (name: string) => inputs[name] ?? "",
    setOutput: (name: string, value: string) => void (core.outputs[name] = value),
    setSecret: (secret: string) => void core.secrets.push(secret),
    setFailed: (message: string) => void core.failed.push(message),
    info: () => undefined,
    group: <T>(_name: string, fn: () => Promise<T>) => fn(),
    summary: { addRaw: () => ({ write: async () => undefined }) },
  };
  return core;
}

describe("action run: input failures", () => {
  test.each<[string, Record<string, string>, RegExp]>([
    ["missing subject", { sbom: "x.json" }, /^the input subject is required \(give the image reference/],
    ["bad reference", { subject: "r.example/a b:v1", require: "a/b" }, /r\.example\/a b:v1/],
    [
      "missing file named",
      { subject: "r.example/a:v1", "scan-results": "nope.sarif" },
      /scan-results: file not found: nope\.sarif/,
    ],
    [
      "bad boolean named in kebab-case",
      { subject: "r.example/a:v1", require: "a/b", "fail-on-duplicate": "maybe" },
      /fail-on-duplicate/,
    ],
    [
      "unknown azure credential",
      { subject: "r.example/a:v1", require: "a/b", "azure-credential": "magic" },
      /the input azure-credential is "magic"/,
    ],
  ])("%s", async (_name, inputs, message) => {
    const core = fakeCore(inputs);
    await expect(run(core, {})).resolves.toBeUndefined();
    expect(core.failed).toHaveLength(1);
    expect(core.failed[0]).toMatch(message);
    expect(core.outputs).toEqual({});
  });

  test("the password is masked before anything else happens", async () => {
    const core = fakeCore({ subject: "r.example/a:v1", username: "u", password: "s3cret" });
    await run(core, {});
    expect(core.secrets).toEqual(["s3cret"]);
    expect(core.failed[0]).toMatch(/nothing to do/);
  });
});

describe("task: Docker registry service connection", () => {
  test.each<[string, string]>([
    ["https://index.docker.io/v1/", "docker.io"],
    ["myregistry.azurecr.io", "myregistry.azurecr.io"],
    ["https://MyRegistry.azurecr.io/", "myregistry.azurecr.io"],
    ["http://127.0.0.1:5000", "127.0.0.1:5000"],
  ])("parseRegistryHost(%j) = %s", (value, host) => {
    expect(parseRegistryHost(value)).toBe(host);
  });

  function endpoint(
    params: Record<string, string>,
    scheme = "UsernamePassword",
    url = "",
  ): EndpointReader & { secrets: string[] } {
    const secrets: string[] = [];
    return {
      secrets,
      getEndpointUrl: () => url || undefined,
      getEndpointAuthorizationScheme: () => scheme,
      getEndpointAuthorizationParameter: (_id, key) => params[key],
      getEndpointDataParameter: () => undefined,
      setSecret: (s) => void secrets.push(s),
    };
  }

  test("username/password, answered for the connection's registry only, password masked", async () => {
    const tl = endpoint({ username: "u", password: "p", registry: "https://reg.example:5000/" });
    const { host, credential } = dockerRegistryCredential(tl, "conn");
    expect(host).toBe("reg.example:5000");
    expect(credential).toEqual({ username: "u", password: "p" });
    expect(tl.secrets).toEqual(["p"]);
  });

  test("ACR connection with a service principal", async () => {
    const tl = endpoint(
      { loginServer: "acr.azurecr.io", serviceprincipalid: "id", serviceprincipalkey: "key" },
      "ServicePrincipal",
    );
    const { host, credential } = dockerRegistryCredential(tl, "conn");
    expect(host).toBe("acr.azurecr.io");
    expect(credential).toEqual({ username: "id", password: "key" });
  });

  test.each<[string, EndpointReader, RegExp]>([
    [
      "no password",
      endpoint({ username: "u" }, "UsernamePassword", "https://r.example"),
      /has no username and password/,
    ],
    ["no registry", endpoint({ username: "u", password: "p" }), /has no registry URL/],
    ["unsupported scheme", endpoint({}, "WorkloadIdentityFederation"), /WorkloadIdentityFederation scheme/],
  ])("refuses %s", (_name, tl, message) => {
    expect(() => dockerRegistryCredential(tl, "conn")).toThrow(message);
  });
});
