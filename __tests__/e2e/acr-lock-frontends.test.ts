// The `lock` input of the bundled Action and task, signed in to the ACR stand-in through Entra ID:
//   - dist/action.js promotes to a staging repository and locks the promoted graph (outputs
//     `locked-digests`, a Lock section in the summary); a re-run of the same step succeeds, writing
//     nothing to the locked graph;
//   - dist/task.js with `lock` and no promotion locks the subject's graph (`LockedDigests`);
//   - against CNCF distribution and the referrers-API registry (no lock API) the step fails with
//     the one line saying so, before it writes anything.
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { ocigraph } from "../helpers/cli";
import { rigAvailable, testRegistries } from "../rig/env";
import { startTokenAuthRig, type TokenAuthRig } from "../rig/token-auth";
import { runAction, runTask, type ActionRun } from "./runner";
import { makeWorkspace, pushAcrSubject, pushImage } from "./workspace";

const describeRig = rigAvailable() ? describe : describe.skip;

describeRig("the lock input of the action and the task (ACR stand-in, Entra ID)", () => {
  let rig: TokenAuthRig;
  let workspace: string;
  let dockerConfig: string;

  const pushSubject = (repo: string): Promise<string> => pushAcrSubject(rig, repo, workspace);

  const hostEnv = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
    NODE_EXTRA_CA_CERTS: rig.pki.caFile,
    DOCKER_CONFIG: dockerConfig,
    ...extra,
  });

  const githubEnv = (): NodeJS.ProcessEnv =>
    hostEnv({
      AZURE_AUTHORITY_HOST: rig.entra.base,
      ACTIONS_ID_TOKEN_REQUEST_URL: rig.github.requestUrl,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: rig.github.requestToken,
    });

  beforeAll(async () => {
    rig = await startTokenAuthRig();
    workspace = await makeWorkspace();
    dockerConfig = join(rig.dir, "lock-docker");
    await mkdir(dockerConfig, { recursive: true });
  });

  afterAll(async () => {
    await rig?.stop();
  });

  describe("dist/action.js with promote-to and lock: true", () => {
    let subjectDigest: string;
    let inputs: Record<string, string>;
    let run: ActionRun;

    beforeAll(async () => {
      subjectDigest = await pushSubject("lock/net-monitor");
      inputs = {
        subject: `${rig.acr.host}/lock/net-monitor:v1`,
        sbom: "sbom/net-monitor.spdx.json",
        "promote-to": `${rig.acr.host}/lock-staging/net-monitor:v1`,
        lock: "true",
        "plain-http": "true",
        "azure-client-id": rig.apps.github.clientId,
        "azure-tenant-id": rig.tenantId,
        "azure-registry": rig.acr.host,
      };
      run = await runAction(inputs, { workspace, env: githubEnv() });
    });

    test("locks the promoted graph, not the source, and says so in outputs and summary", () => {
      expect(run.stdout).not.toMatch(/^::error::/m);
      expect(run.code).toBe(0);
      expect(run.outputs["promoted-digest"]).toBe(subjectDigest);
      const locked = (run.outputs["locked-digests"] as string).split(",");
      // subject, SBOM and the SBOM's fallback index in the staging repository
      expect(locked).toHaveLength(3);
      expect(locked).toContain(subjectDigest);
      expect(locked).toContain(run.outputs["sbom-digest"]);
      for (const digest of rig.acr.catalog.digests("lock-staging/net-monitor")) {
        expect(rig.acr.catalog.attributesOf("lock-staging/net-monitor", digest)).toMatchObject(
          locked.includes(digest) ? { writeEnabled: false, deleteEnabled: false } : { writeEnabled: true },
        );
      }
      for (const digest of rig.acr.catalog.digests("lock/net-monitor")) {
        expect(rig.acr.catalog.attributesOf("lock/net-monitor", digest)).toMatchObject({
          writeEnabled: true,
        });
      }
      expect(run.summary).toContain("### Lock");
      expect(run.summary).toContain("3 manifests of");
      // tables show short digests (sha256: and 12 hex digits)
      for (const digest of locked) expect(run.summary).toContain(digest.slice(0, 19));
    });

    test("a re-run of the same step succeeds without writing to the locked graph", async () => {
      const refusals = rig.acr.catalog.refusals.length;
      const again = await runAction(inputs, { workspace, env: githubEnv() });
      expect(again.stdout).not.toMatch(/^::error::/m);
      expect(again.code).toBe(0);
      expect(rig.acr.catalog.refusals.length).toBe(refusals);
      expect((again.outputs["locked-digests"] as string).split(",").sort()).toEqual(
        (run.outputs["locked-digests"] as string).split(",").sort(),
      );
      expect(again.summary).toContain("already locked");
    });
  });

  test("a failed gate promotes nothing and locks nothing", async () => {
    const digest = await pushSubject("lock-gate/net-monitor");
    const updates = rig.acr.catalog.updates;
    const run = await runAction(
      {
        subject: `${rig.acr.host}/lock-gate/net-monitor:v1`,
        require: "application/vnd.example.missing",
        "promote-to": `${rig.acr.host}/lock-gate-staging/net-monitor:v1`,
        lock: "true",
        "plain-http": "true",
        "azure-client-id": rig.apps.github.clientId,
        "azure-tenant-id": rig.tenantId,
        "azure-registry": rig.acr.host,
      },
      { workspace, env: githubEnv() },
    );
    expect(run.code).not.toBe(0);
    expect(run.outputs["gate"]).toBe("failed");
    expect(run.outputs["locked-digests"]).toBe("");
    expect(run.summary).toContain("Not locked: the release gate failed.");
    expect(rig.acr.catalog.updates).toBe(updates);
    expect(rig.acr.catalog.attributesOf("lock-gate/net-monitor", digest)).toMatchObject({
      writeEnabled: true,
    });
    expect(rig.acr.catalog.digests("lock-gate-staging/net-monitor")).toEqual([]);
  });

  test("dist/task.js with lock and no promotion locks the subject's graph", async () => {
    const ID = "0c1a6e0f-4444-4c3a-9d3e-0123456789ab";
    const subjectDigest = await pushSubject("lock-task/net-monitor");
    const run = await runTask(
      {
        subject: `${rig.acr.host}/lock-task/net-monitor:v1`,
        sbom: "sbom/net-monitor.spdx.json",
        lock: "true",
        plainHttp: "true",
        azureSubscription: ID,
        azureRegistry: rig.acr.host,
      },
      {
        workspace,
        endpoints: [rig.servicePrincipalConnection(ID)],
        env: hostEnv({ [`ENDPOINT_DATA_${ID}_ENVIRONMENTAUTHORITYURL`]: `${rig.entra.base}/` }),
      },
    );
    expect(run.result).toBe("Succeeded");
    const locked = (run.variables["LockedDigests"] as string).split(",");
    expect(locked).toHaveLength(3);
    expect(locked).toContain(subjectDigest);
    expect(locked).toContain(run.variables["SbomDigest"]);
    for (const digest of locked) {
      expect(rig.acr.catalog.attributesOf("lock-task/net-monitor", digest)).toMatchObject({
        writeEnabled: false,
        deleteEnabled: false,
      });
    }
    expect(run.summary).toContain("### Lock");
  });

  test("against CNCF distribution the step fails with one line: no lock API", async () => {
    const { distribution } = testRegistries();
    const subject = `${distribution}/lock-none/net-monitor:v1`;
    await pushImage(subject, workspace);
    const run = await runAction(
      { subject, sbom: "sbom/net-monitor.spdx.json", lock: "true", "plain-http": "true" },
      { workspace, env: hostEnv() },
    );
    expect(run.code).not.toBe(0);
    const errors = run.stdout.split("\n").filter((l) => l.startsWith("::error::"));
    expect(errors).toEqual([
      `::error::${distribution}/lock-none/net-monitor has no manifest lock API; only Azure Container Registry supports locking`,
    ]);
  });

  test("dist/task.js against the referrers-API registry fails with the same line", async () => {
    const { referrers } = testRegistries();
    const subject = `${referrers}/lock-none/net-monitor:v1`;
    await pushImage(subject, workspace);
    const run = await runTask(
      { subject, sbom: "sbom/net-monitor.spdx.json", lock: "true", plainHttp: "true" },
      { workspace, env: hostEnv() },
    );
    expect([run.result, run.message]).toEqual([
      "Failed",
      `${referrers}/lock-none/net-monitor has no manifest lock API; only Azure Container Registry supports locking`,
    ]);
    // checked before anything was written: no SBOM was attached
    const graph = await ocigraph(["discover", subject, "--plain-http", "--format", "json"], {
      cwd: workspace,
    });
    expect((JSON.parse(graph.stdout) as { referrers: unknown[] }).referrers).toEqual([]);
  });
});
