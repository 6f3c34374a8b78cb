// Addresses of the registries and tools started by global-setup.ts, read from process.env.

export const ENV = {
  distribution: "OCIGRAPH_TEST_DISTRIBUTION",
  distributionAuth: "OCIGRAPH_TEST_DISTRIBUTION_AUTH",
  distributionAuthUser: "OCIGRAPH_TEST_DISTRIBUTION_AUTH_USER",
  distributionAuthPass: "OCIGRAPH_TEST_DISTRIBUTION_AUTH_PASS",
  referrers: "OCIGRAPH_TEST_REFERRERS_REGISTRY",
  oras: "OCIGRAPH_TEST_ORAS",
  regctl: "OCIGRAPH_TEST_REGCTL",
  unitOnly: "OCIGRAPH_TEST_UNIT_ONLY",
} as const;

export interface TestRegistries {
  /** CNCF distribution 2.8, anonymous, no referrers API: "127.0.0.1:PORT". */
  distribution: string;
  /** CNCF distribution 2.8 with htpasswd (basic) auth. */
  distributionAuth: { host: string; username: string; password: string };
  /** Registry with the native OCI 1.1 referrers API (refreg): "127.0.0.1:PORT". */
  referrers: string;
  /** Path of the oras CLI. */
  oras: string;
  /** Path of the regctl CLI. */
  regctl: string;
}

/** True when the test rig was started (not OCIGRAPH_TEST_UNIT_ONLY=1 and the variables are set). */
export function rigAvailable(): boolean {
  return process.env[ENV.unitOnly] !== "1" && Boolean(process.env[ENV.distribution]);
}

function need(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === "") {
    const why =
      process.env[ENV.unitOnly] === "1"
        ? `${ENV.unitOnly}=1 is set, so the test rig did not start; unset it to run integration tests`
        : "the jest globalSetup (__tests__/rig/global-setup.ts) did not run or did not export it; run the tests through jest";
    throw new Error(`test rig: ${name} is not set: ${why}`);
  }
  return value;
}

export function testRegistries(): TestRegistries {
  return {
    distribution: need(ENV.distribution),
    distributionAuth: {
      host: need(ENV.distributionAuth),
      username: need(ENV.distributionAuthUser),
      password: need(ENV.distributionAuthPass),
    },
    referrers: need(ENV.referrers),
    oras: need(ENV.oras),
    regctl: need(ENV.regctl),
  };
}
