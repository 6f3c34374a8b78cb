// Jest globalSetup: starts the real registries once per run and exports their addresses in process.env
// (jest workers inherit it). Handles stay on globalThis for global-teardown.ts.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { ENV } from "./env";
import {
  INSTALL_SCRIPT,
  missingPeers,
  peerBin,
  startDistribution,
  startReferrersRegistry,
  type RunningRegistry,
} from "./peers";
import { setRigHandles } from "./handles";

const AUTH_USER = "ocitest";
const AUTH_PASS = "ocitest-secret-pw";

export default async function globalSetup(): Promise<void> {
  if (process.env[ENV.unitOnly] === "1") return;

  const missing = missingPeers();
  if (missing.length > 0) {
    const script = path.relative(process.cwd(), INSTALL_SCRIPT);
    process.stderr.write(
      `\n[test rig] missing peers: ${missing.join(", ")}\n` +
        `[test rig] running 'bash ${script}' (first run takes a minute or two; ` +
        `set ${ENV.unitOnly}=1 to run unit tests without registries)\n`,
    );
    const res = spawnSync("bash", [INSTALL_SCRIPT], { stdio: "inherit" });
    if (res.status !== 0) {
      throw new Error(`[test rig] ${script} failed (exit ${res.status ?? res.signal})`);
    }
  }

  const results = await Promise.allSettled([
    startDistribution(),
    startDistribution({ htpasswd: { username: AUTH_USER, password: AUTH_PASS } }),
    startReferrersRegistry(),
  ]);
  const started = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
  setRigHandles(started);
  const failures = results.flatMap((r) => (r.status === "rejected" ? [r.reason as unknown] : []));
  if (failures.length > 0) {
    await Promise.allSettled(started.map((r) => r.stop()));
    setRigHandles([]);
    const text = failures.map((f) => (f instanceof Error ? f.message : String(f))).join("\n\n");
    throw new Error(`[test rig] could not start the registries:\n${text}`);
  }
  const [distribution, distributionAuth, referrers] = started as [
    RunningRegistry,
    RunningRegistry,
    RunningRegistry,
  ];
  process.env[ENV.distribution] = distribution.host;
  process.env[ENV.distributionAuth] = distributionAuth.host;
  process.env[ENV.distributionAuthUser] = AUTH_USER;
  process.env[ENV.distributionAuthPass] = AUTH_PASS;
  process.env[ENV.referrers] = referrers.host;
  process.env[ENV.oras] = peerBin("oras");
  process.env[ENV.regctl] = peerBin("regctl");
}
