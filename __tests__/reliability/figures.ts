// Figures for RELIABILITY.md: each reliability test writes what it measured (runs, successes,
// cases) to reliability/figures/<name>.json, then re-renders RELIABILITY.md with
// scripts/reliability/report.mjs, so the document always shows the numbers of the last run.
import { spawnSync } from "node:child_process";
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");
export const FIGURES_DIR = path.join(REPO_ROOT, "reliability", "figures");
const REPORT = path.join(REPO_ROOT, "scripts", "reliability", "report.mjs");

export interface ScenarioFigure {
  scenario: string;
  runs: number;
  passed: number;
  notes?: string;
}

export interface Figure {
  /** File name (without .json) and stable id. */
  name: string;
  /** Section title in RELIABILITY.md. */
  title: string;
  /** Which item of issue 6 this measures (1..8). */
  issueItem: number;
  /** Test file, relative to the repository root. */
  testFile: string;
  /** Sizes and knobs in force for this run (e.g. graph MiB, fault rate). */
  parameters?: Record<string, string | number | boolean>;
  scenarios: ScenarioFigure[];
}

/**
 * Scaled-down sizes (not fewer runs) for a quick local check: OCIGRAPH_RELIABILITY_SMALL=1.
 * CI measures at the issue's sizes, so RELIABILITY.md's figures are what CI runs.
 */
export function smallRun(): boolean {
  return process.env.OCIGRAPH_RELIABILITY_SMALL === "1";
}

export function testFileOf(filename: string): string {
  return path.relative(REPO_ROOT, filename).split(path.sep).join("/");
}

/** Writes the figure (atomically) and re-renders RELIABILITY.md. */
export function recordFigure(figure: Figure): void {
  mkdirSync(FIGURES_DIR, { recursive: true });
  const file = path.join(FIGURES_DIR, `${figure.name}.json`);
  const body = {
    ...figure,
    measuredAt: new Date().toISOString(),
    environment: {
      node: process.version,
      platform: `${process.platform}/${process.arch}`,
      ci: process.env.CI === "true",
      small: smallRun(),
    },
  };
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(body, null, 2)}\n`);
  renameSync(tmp, file);
  const res = spawnSync(process.execPath, [REPORT], { cwd: REPO_ROOT, encoding: "utf8" });
  if (res.status !== 0) throw new Error(`report.mjs failed: ${res.stderr}`);
}
