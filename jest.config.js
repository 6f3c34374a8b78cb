/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  // Tests run as CommonJS: the engine's lazy `import()`s (one per verb, for start-up) become
  // `require`s, which jest's module system runs without --experimental-vm-modules.
  transform: {
    "^.+\\.ts$": [
      "ts-jest",
      {
        tsconfig: {
          ...require("./tsconfig.json").compilerOptions,
          module: "commonjs",
          moduleResolution: "node10",
        },
      },
    ],
  },
  moduleNameMapper: { "^(\\.{1,2}/.*)\\.js$": "$1" },
  globalSetup: "<rootDir>/__tests__/rig/global-setup.ts",
  globalTeardown: "<rootDir>/__tests__/rig/global-teardown.ts",
  testTimeout: 120000,
  maxWorkers: 2,
};
