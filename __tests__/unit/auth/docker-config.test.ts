import { normalizeHost } from "../../../src/oci/host.js";
import { chmod, lstat, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import { homedir, tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import {
  dockerConfigPath,
  dockerConfigProvider,
  readDockerCredential,
  removeCredential,
  storeCredential,
} from "../../../src/auth/docker-config.js";
import { isOcigraphError, type OcigraphError } from "../../../src/oci/errors.js";

const b64 = (s: string): string => Buffer.from(s, "utf8").toString("base64");

async function rejection(p: Promise<unknown>): Promise<OcigraphError> {
  try {
    await p;
  } catch (err) {
    if (isOcigraphError(err)) return err;
    throw err;
  }
  throw new Error("expected a rejection");
}

/**
 * A fake `docker-credential-test` backed by a JSON file next to it; it logs each call. Server URLs
 * listed in FAIL_ON make it fail with a message on stderr.
 */
const HELPER = `
const fs = require("fs");
const path = require("path");
const dir = __dirname;
const storeFile = path.join(dir, "store.json");
const action = process.argv[2];
let input = "";
process.stdin.on("data", (c) => (input += c));
process.stdin.on("end", () => {
  fs.appendFileSync(path.join(dir, "log.txt"), JSON.stringify({ action, input }) + "\\n");
  const store = fs.existsSync(storeFile) ? JSON.parse(fs.readFileSync(storeFile, "utf8")) : {};
  if (action === "get") {
    if (input === "https://broken.example") { process.stderr.write("keychain locked\\nmore"); process.exit(2); }
    const e = store[input];
    if (!e) { process.stdout.write("credentials not found in native keychain\\n"); process.exit(1); }
    process.stdout.write(JSON.stringify({ ServerURL: input, Username: e.Username, Secret: e.Secret }));
  } else if (action === "store") {
    const c = JSON.parse(input);
    if (c.ServerURL === "refuse.example") { process.stderr.write("cannot store " + c.Secret); process.exit(3); }
    store[c.ServerURL] = { Username: c.Username, Secret: c.Secret };
    fs.writeFileSync(storeFile, JSON.stringify(store));
  } else if (action === "erase") {
    if (!store[input]) { process.stdout.write("credentials not found in native keychain\\n"); process.exit(1); }
    delete store[input];
    fs.writeFileSync(storeFile, JSON.stringify(store));
  } else { process.exit(9); }
});
`;

describe("docker config", () => {
  let dir: string;
  let binDir: string;
  let config: string;
  let env: NodeJS.ProcessEnv;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "ocigraph-dockercfg-"));
    binDir = await mkdtemp(join(tmpdir(), "ocigraph-credhelper-"));
    config = join(dir, "config.json");
    const helper = join(binDir, "docker-credential-test");
    await writeFile(helper, `#!${process.execPath}\n${HELPER}`);
    await chmod(helper, 0o755);
    env = { ...process.env, PATH: `${binDir}${delimiter}${process.env["PATH"] ?? ""}` };
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
    await rm(binDir, { recursive: true, force: true });
  });

  const writeConfig = (obj: unknown): Promise<void> => writeFile(config, JSON.stringify(obj));
  const readConfig = async (): Promise<Record<string, unknown>> =>
    JSON.parse(await readFile(config, "utf8")) as Record<string, unknown>;
  const helperStore = async (entries: Record<string, { Username: string; Secret: string }>): Promise<void> =>
    writeFile(join(binDir, "store.json"), JSON.stringify(entries));
  const helperLog = async (): Promise<{ action: string; input: string }[]> => {
    const text = await readFile(join(binDir, "log.txt"), "utf8").catch(() => "");
    return text
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => JSON.parse(l) as { action: string; input: string });
  };

  describe("dockerConfigPath", () => {
    it("prefers the explicit path, then $DOCKER_CONFIG, then ~/.docker", () => {
      expect(dockerConfigPath("/x/cfg.json", { DOCKER_CONFIG: "/d" })).toBe("/x/cfg.json");
      expect(dockerConfigPath(undefined, { DOCKER_CONFIG: "/d" })).toBe(join("/d", "config.json"));
      expect(dockerConfigPath("", {})).toBe(join(homedir(), ".docker", "config.json"));
    });
  });

  describe("normalizeHost (docker config keys)", () => {
    it.each([
      ["reg.example", "reg.example"],
      ["https://reg.example", "reg.example"],
      ["http://Reg.Example:5000/v1/", "reg.example:5000"],
      ["reg.example/some/path", "reg.example"],
      ["https://index.docker.io/v1/", "docker.io"],
      ["registry-1.docker.io", "docker.io"],
      ["docker.io", "docker.io"],
    ])("%s -> %s", (key, host) => {
      expect(normalizeHost(key)).toBe(host);
    });
  });

  describe("readDockerCredential", () => {
    it("is undefined when the file does not exist", async () => {
      await expect(readDockerCredential("reg.example", { path: config })).resolves.toBeUndefined();
    });

    it("reads base64 auth under any spelling of the host", async () => {
      await writeConfig({
        auths: {
          "https://reg.example/v1/": { auth: b64("alice:pa:ss") },
          "http://localhost:5000": { username: "bob", password: "pw" },
        },
      });
      await expect(readDockerCredential("reg.example", { path: config })).resolves.toEqual({
        username: "alice",
        password: "pa:ss",
      });
      await expect(readDockerCredential("LOCALHOST:5000", { path: config })).resolves.toEqual({
        username: "bob",
        password: "pw",
      });
      await expect(readDockerCredential("other.example", { path: config })).resolves.toBeUndefined();
    });

    it("prefers the key spelled exactly like the host", async () => {
      await writeConfig({
        auths: { "https://reg.example": { auth: b64("old:1") }, "reg.example": { auth: b64("new:2") } },
      });
      await expect(readDockerCredential("reg.example", { path: config })).resolves.toEqual({
        username: "new",
        password: "2",
      });
    });

    it("maps identitytoken to a refresh token and registrytoken to an access token", async () => {
      await writeConfig({
        auths: {
          "reg.example": { auth: b64("alice:"), identitytoken: "idt" },
          "tok.example": { registrytoken: "at" },
        },
      });
      await expect(readDockerCredential("reg.example", { path: config })).resolves.toEqual({
        username: "alice",
        password: "",
        refreshToken: "idt",
      });
      await expect(readDockerCredential("tok.example", { path: config })).resolves.toEqual({
        accessToken: "at",
      });
    });

    it("treats Docker Hub's aliases as one registry", async () => {
      await writeConfig({ auths: { "https://index.docker.io/v1/": { auth: b64("hub:pw") } } });
      for (const host of ["docker.io", "index.docker.io", "registry-1.docker.io"]) {
        await expect(readDockerCredential(host, { path: config })).resolves.toEqual({
          username: "hub",
          password: "pw",
        });
      }
    });

    it("ignores an empty entry (as docker writes next to a credential store)", async () => {
      await writeConfig({ auths: { "reg.example": {} } });
      await expect(readDockerCredential("reg.example", { path: config })).resolves.toBeUndefined();
    });

    it("names the file of a malformed config and never quotes its content", async () => {
      await writeFile(config, `{"auths": {"reg.example": {"auth": "${b64("u:topsecret")}"}} oops`);
      const err = await rejection(readDockerCredential("reg.example", { path: config }));
      expect(err.code).toBe("INVALID_INPUT");
      expect(err.message).toContain(config);
      expect(err.message).not.toContain(b64("u:topsecret"));
      expect(err.cause).toBeUndefined();

      await writeFile(config, "[1,2]");
      expect((await rejection(readDockerCredential("reg.example", { path: config }))).code).toBe(
        "INVALID_INPUT",
      );
      await writeConfig({ auths: "nope" });
      expect((await rejection(readDockerCredential("reg.example", { path: config }))).code).toBe(
        "INVALID_INPUT",
      );
    });

    it("rejects an auth value that is not base64 of user:password, without quoting it", async () => {
      await writeConfig({ auths: { "reg.example": { auth: b64("nocolonsecret") } } });
      const err = await rejection(readDockerCredential("reg.example", { path: config }));
      expect(err.code).toBe("INVALID_INPUT");
      expect(err.message).toContain("reg.example");
      expect(err.message).not.toContain(b64("nocolonsecret"));
    });

    it("finds the config through $DOCKER_CONFIG", async () => {
      await writeConfig({ auths: { "reg.example": { auth: b64("u:p") } } });
      const provider = dockerConfigProvider({ env: { DOCKER_CONFIG: dir } });
      await expect(provider("reg.example")).resolves.toEqual({ username: "u", password: "p" });
    });
  });

  describe("credential helpers", () => {
    it("asks credHelpers[host] with the host on stdin", async () => {
      await writeConfig({ credHelpers: { "reg.example": "test" } });
      await helperStore({ "reg.example": { Username: "alice", Secret: "s" } });
      await expect(readDockerCredential("reg.example", { path: config, env })).resolves.toEqual({
        username: "alice",
        password: "s",
      });
      expect(await helperLog()).toEqual([{ action: "get", input: "reg.example" }]);
    });

    it("asks credsStore with docker's Hub URL and maps <token> to a refresh token", async () => {
      await writeConfig({ credsStore: "test", auths: { "https://index.docker.io/v1/": {} } });
      await helperStore({ "https://index.docker.io/v1/": { Username: "<token>", Secret: "idt" } });
      await expect(readDockerCredential("registry-1.docker.io", { path: config, env })).resolves.toEqual({
        refreshToken: "idt",
      });
    });

    it("tries the auths key spelling too, then falls back to the auths entry", async () => {
      await writeConfig({ credsStore: "test", auths: { "https://reg.example": { auth: b64("file:pw") } } });
      await helperStore({});
      await expect(readDockerCredential("reg.example", { path: config, env })).resolves.toEqual({
        username: "file",
        password: "pw",
      });
      expect((await helperLog()).map((l) => l.input)).toEqual(["reg.example", "https://reg.example"]);
    });

    it("answers undefined when the helper has nothing", async () => {
      await writeConfig({ credHelpers: { "reg.example": "test" } });
      await expect(readDockerCredential("reg.example", { path: config, env })).resolves.toBeUndefined();
    });

    it("names a helper that is not installed", async () => {
      await writeConfig({ credsStore: "nope-not-installed" });
      const err = await rejection(readDockerCredential("reg.example", { path: config, env }));
      expect(err.code).toBe("INVALID_INPUT");
      expect(err.message).toContain("docker-credential-nope-not-installed");
    });

    it("refuses helper names that are paths", async () => {
      await writeConfig({ credsStore: "../../bin/sh" });
      expect((await rejection(readDockerCredential("reg.example", { path: config, env }))).code).toBe(
        "INVALID_INPUT",
      );
    });

    it("matches credHelpers keys under any spelling of the host", async () => {
      await writeConfig({ credHelpers: { "https://Reg.Example/v1/": "test" } });
      await helperStore({ "reg.example": { Username: "alice", Secret: "s" } });
      await expect(readDockerCredential("reg.example", { path: config, env })).resolves.toEqual({
        username: "alice",
        password: "s",
      });
    });

    it("turns a helper failure into UNAUTHORIZED with its first line", async () => {
      await writeConfig({ credsStore: "test", auths: { "https://broken.example": {} } });
      const err = await rejection(readDockerCredential("broken.example", { path: config, env }));
      expect(err.code).toBe("UNAUTHORIZED");
      expect(err.message).toContain("docker-credential-test");
      expect(err.message).toContain("keychain locked");
      expect(err.message).not.toContain("more");
    });
  });

  describe("storeCredential and removeCredential", () => {
    it("writes auths atomically with mode 0600 and keeps the rest of the file", async () => {
      await writeConfig({
        auths: { "other.example": { auth: b64("o:p") } },
        psFormat: "table",
        proxies: { a: 1 },
      });
      await chmod(config, 0o644);
      await storeCredential(config, "reg.example", { username: "alice", password: "pw" });
      const cfg = await readConfig();
      expect(cfg["psFormat"]).toBe("table");
      expect(cfg["proxies"]).toEqual({ a: 1 });
      expect(cfg["auths"]).toEqual({
        "other.example": { auth: b64("o:p") },
        "reg.example": { auth: b64("alice:pw") },
      });
      expect((await stat(config)).mode & 0o777).toBe(0o600);
      expect(await readdir(dir)).toEqual(["config.json"]);
      await expect(readDockerCredential("reg.example", { path: config })).resolves.toEqual({
        username: "alice",
        password: "pw",
      });
    });

    it("creates the file and its folder, and uses docker's key for Docker Hub", async () => {
      const nested = join(dir, "new", "config.json");
      await storeCredential(nested, "registry-1.docker.io", { username: "u", refreshToken: "idt" });
      const cfg = JSON.parse(await readFile(nested, "utf8")) as Record<string, unknown>;
      expect(cfg["auths"]).toEqual({
        "https://index.docker.io/v1/": { auth: b64("u:"), identitytoken: "idt" },
      });
      expect((await stat(nested)).mode & 0o777).toBe(0o600);
    });

    it("replaces other spellings of the same host", async () => {
      await writeConfig({ auths: { "https://reg.example/v1/": { auth: b64("old:1") } } });
      await storeCredential(config, "reg.example", { username: "new", password: "2" });
      expect((await readConfig())["auths"]).toEqual({ "reg.example": { auth: b64("new:2") } });
    });

    it("keeps a symlinked config a symlink", async () => {
      const real = join(dir, "real.json");
      await writeFile(real, "{}");
      const link = join(dir, "link.json");
      await symlink(real, link);
      await storeCredential(link, "reg.example", { username: "u", password: "p" });
      expect((await lstat(link)).isSymbolicLink()).toBe(true);
      expect(JSON.parse(await readFile(real, "utf8"))).toEqual({
        auths: { "reg.example": { auth: b64("u:p") } },
      });
    });

    it("goes through the configured helper and leaves an empty auths entry", async () => {
      await writeConfig({ credsStore: "test" });
      await storeCredential(config, "reg.example", { username: "alice", password: "pw" }, { env });
      expect((await readConfig())["auths"]).toEqual({ "reg.example": {} });
      expect(await helperLog()).toEqual([
        {
          action: "store",
          input: JSON.stringify({ ServerURL: "reg.example", Username: "alice", Secret: "pw" }),
        },
      ]);
      await expect(readDockerCredential("reg.example", { path: config, env })).resolves.toEqual({
        username: "alice",
        password: "pw",
      });
      await removeCredential(config, "reg.example", { env });
      expect((await readConfig())["auths"]).toEqual({});
      await expect(readDockerCredential("reg.example", { path: config, env })).resolves.toBeUndefined();
    });

    it("stores a refresh token in a helper as <token>", async () => {
      await writeConfig({ credHelpers: { "reg.example": "test" } });
      await storeCredential(config, "reg.example", { refreshToken: "idt" }, { env });
      await expect(readDockerCredential("reg.example", { path: config, env })).resolves.toEqual({
        refreshToken: "idt",
      });
    });

    it("never repeats the secret when a helper refuses to store it", async () => {
      await writeConfig({ credsStore: "test" });
      const err = await rejection(
        storeCredential(config, "refuse.example", { username: "u", password: "pw-123" }, { env }),
      );
      expect(err.code).toBe("UNAUTHORIZED");
      expect(err.message).toContain("cannot store ***");
      expect(err.message).not.toContain("pw-123");
    });

    it("removes every spelling of the host and keeps the rest", async () => {
      await writeConfig({
        auths: {
          "https://reg.example": { auth: b64("a:1") },
          "reg.example": { auth: b64("b:2") },
          "x.example": {},
        },
        other: true,
      });
      await removeCredential(config, "reg.example");
      expect(await readConfig()).toEqual({ auths: { "x.example": {} }, other: true });
    });

    it("is fine with nothing to remove", async () => {
      await expect(removeCredential(config, "reg.example")).resolves.toBeUndefined();
      await writeConfig({ credsStore: "test" });
      await expect(removeCredential(config, "reg.example", { env })).resolves.toBeUndefined();
    });
  });
});
