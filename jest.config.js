/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] },
  moduleNameMapper: { "^(\\.{1,2}/.*)\\.js$": "$1" },
  globalSetup: "<rootDir>/__tests__/rig/global-setup.ts",
  globalTeardown: "<rootDir>/__tests__/rig/global-teardown.ts",
  testTimeout: 120000,
  maxWorkers: 2,
};
