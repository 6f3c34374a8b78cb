// One command, two registries, two kinds of credentials: `copy -r` from the ACR stand-in (Entra ID,
// exchanged at its own /oauth2/exchange) to a CNCF distribution behind htpasswd (its own user, from
// --to-* flags or the docker config). A recorder in front of the distribution counts what reached it:
// no Entra ID token, no ACR token, no exchange.
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { ocigraph, type CliRun } from "../../helpers/cli";
import { rigAvailable, testRegistries } from "../../rig/env";
import { startTokenAuthRig, type TokenAuthRig } from "../../rig/token-auth";
import { RecordingRegistry } from "../../rig/token-auth/recorder";

const describeRig = rigAvailable() ? describe : describe.skip;
const SBOM = "application/spdx+json";

describeRig("copy -r from ACR (Entra ID) to an htpasswd registry in one command", () => {
  let rig: TokenAuthRig;
  let other: RecordingRegistry;
  let files: string;
  let user: { username: string; password: string };

  const entra = (): string[] => rig.secretSignIn();
  const cli = (args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> =>
    ocigraph(args, {
      cwd: files,
      env: rig.env({ AZURE_CLIENT_SECRET: rig.apps.secret.secret, ...env }),
    });
  /** Every Entra ID and ACR token the rig issued so far. */
  const tokens = (): string[] => [...rig.entra.issued, ...rig.acr.issued];

  beforeAll(async () => {
    rig = await startTokenAuthRig();
    const auth = testRegistries().distributionAuth;
    user = { username: auth.username, password: auth.password };
    other = new RecordingRegistry({ upstream: auth.host });
    await other.start();
    files = await mkdtemp(path.join(tmpdir(), "ocigraph-acr-other-"));
    await writeFile(path.join(files, "image.txt"), "an image\n");
    await writeFile(path.join(files, "sbom.json"), '{"spdxVersion":"SPDX-2.3"}\n');
    for (const repo of ["app", "app2"]) {
      const image = `${rig.acr.host}/${repo}:v1`;
      const pushed = await cli(["push", image, "image.txt", "--plain-http", ...entra()]);
      if (pushed.code !== 0) throw new Error(pushed.stderr);
      const attached = await cli([
        "attach",
        image,
        "--artifact-type",
        SBOM,
        "sbom.json:application/spdx+json",
        "--plain-http",
        ...entra(),
      ]);
      if (attached.code !== 0) throw new Error(attached.stderr);
    }
  });

  afterAll(async () => {
    await other?.stop();
    await rig?.stop();
  });

  async function expectGraphAt(reference: string): Promise<void> {
    const found = await cli([
      "discover",
      reference,
      "--plain-http",
      "--format",
      "json",
      "-u",
      user.username,
      "-p",
      user.password,
    ]);
    expect(found.stderr).toBe("");
    expect(JSON.stringify(JSON.parse(found.stdout))).toContain(SBOM);
  }

  test("with --to-username/--to-password: copied, and no Entra token reached the other host", async () => {
    const exchanges = rig.acr.exchanges;
    const copied = await cli([
      "copy",
      "-r",
      `${rig.acr.host}/app:v1`,
      `${other.host}/copied/app:v1`,
      "--plain-http",
      ...entra(),
      "--to-username",
      user.username,
      "--to-password",
      user.password,
    ]);
    expect(copied.stderr).toBe("");
    expect(copied.code).toBe(0);
    expect(copied.stdout).toMatch(/\b1 referrer\b/);
    expect(rig.acr.exchanges - exchanges).toBe(1); // the source was signed in with Entra ID
    await expectGraphAt(`${other.host}/copied/app:v1`);

    // What reached the other host: its own Basic credential, never a token of the rig.
    expect(other.requests.length).toBeGreaterThan(5);
    expect(other.received(tokens())).toEqual([]);
    expect(other.paths().filter((p) => p.startsWith("/oauth2/"))).toEqual([]);
    const authorizations = other.requests.map((r) => r.headers.authorization).filter(Boolean);
    expect(authorizations.length).toBeGreaterThan(0);
    for (const a of authorizations) expect(a).toMatch(/^Basic /);
  });

  test("--ca-file reaches Entra ID too: one transport for every request of the run", async () => {
    // No NODE_EXTRA_CA_CERTS: the Entra stand-in's test CA is known only through --ca-file.
    const { NODE_EXTRA_CA_CERTS: _dropped, ...env } = rig.env({
      AZURE_CLIENT_SECRET: rig.apps.secret.secret,
    });
    const push = (...extra: string[]): Promise<CliRun> =>
      ocigraph(["push", `${rig.acr.host}/ca/app:v1`, "image.txt", "--plain-http", ...entra(), ...extra], {
        cwd: files,
        env: { ...env, NODE_EXTRA_CA_CERTS: undefined },
      });
    const without = await push();
    expect(without.code).toBe(1);
    // Entra ID's certificate is not trusted; the same run with --ca-file below is the only difference.
    expect(without.stderr).toMatch(/^Error: Entra ID/m);
    const withCa = await push("--ca-file", rig.pki.caFile);
    expect(withCa.stderr).toBe("");
    expect(withCa.code).toBe(0);
  });

  test("with the docker config: the other host's own entry is used, Entra never", async () => {
    const docker = path.join(rig.dir, "docker-other");
    await mkdir(docker, { recursive: true });
    const auth = Buffer.from(`${user.username}:${user.password}`).toString("base64");
    await writeFile(path.join(docker, "config.json"), JSON.stringify({ auths: { [other.host]: { auth } } }));
    const before = other.requests.length;
    const copied = await cli(
      ["copy", "-r", `${rig.acr.host}/app2:v1`, `${other.host}/copied/app2:v1`, "--plain-http", ...entra()],
      { DOCKER_CONFIG: docker },
    );
    expect(copied.stderr).toBe("");
    expect(copied.code).toBe(0);
    await expectGraphAt(`${other.host}/copied/app2:v1`);
    expect(other.requests.length).toBeGreaterThan(before);
    expect(other.received(tokens())).toEqual([]);
    expect(other.paths("POST").filter((p) => p.startsWith("/oauth2/"))).toEqual([]);
  });
});
