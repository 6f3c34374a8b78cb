// Figures for RELIABILITY.md: each reliability test hands what it measured (runs, successes,
// cases) to recordFigure. Only `npm run reliability` (OCIGRAPH_WRITE_FIGURES=1) writes them to
// reliability/figures/<name>.json and then renders RELIABILITY.md with
// scripts/reliability/report.mjs: a plain `npm test` never changes a tracked file.
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");
export const FIGURES_DIR = path.join(REPO_ROOT, "reliability", "figures");

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

/** Whether this run records figures: only `npm run reliability` does. */
export function writingFigures(): boolean {
  return process.env.OCIGRAPH_WRITE_FIGURES === "1";
}

/** Writes the figure (atomically) when this run records figures; otherwise does nothing. */
export function recordFigure(figure: Figure): void {
  if (!writingFigures()) return;
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
}
