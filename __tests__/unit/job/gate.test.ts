import type { ReferrerNode } from "../../../src/graph/discover";
import { evaluateRequirements, parseRequirements } from "../../../src/graph/verify";
import { isOcigraphError } from "../../../src/oci/errors";

const SBOM = "application/spdx+json";
const SIG = "application/vnd.example.signature";
const SARIF = "application/sarif+json";

function node(artifactType: string, n: number, referrers: ReferrerNode[] = []): ReferrerNode {
  return {
    descriptor: {
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      artifactType,
      digest: `sha256:${String(n).repeat(64).slice(0, 64)}`,
      size: 1,
    },
    referrers,
  };
}

/** image <- sbom(1) <- sig(2); image <- sarif(3); image <- sig(4) */
const graph = [node(SBOM, 1, [node(SIG, 2)]), node(SARIF, 3), node(SIG, 4)];
/** image <- sbom(5) (unsigned); image <- sarif(6) */
const unsigned = [node(SBOM, 5), node(SARIF, 6)];

describe("parseRequirements", () => {
  test.each<[string, string[], string[][]]>([
    ["none", [""], []],
    ["lines", [`${SBOM}\n${SARIF}`], [[SBOM], [SARIF]]],
    ["commas and comments", [`${SBOM}, ${SARIF} # scans too`], [[SBOM], [SARIF]]],
    ["nested", [`${SBOM} > ${SIG}`], [[SBOM, SIG]]],
    ["nested without blanks, repeated flags", [`${SBOM}>${SIG}`, SARIF], [[SBOM, SIG], [SARIF]]],
  ])("%s", (_name, values, expected) => {
    expect(parseRequirements(values)).toEqual(expected);
  });

  test.each([["sbom"], [`${SBOM} > `], [`> ${SIG}`]])("refuses %j", (value) => {
    let caught: unknown;
    try {
      parseRequirements([value]);
    } catch (err) {
      caught = err;
    }
    expect(isOcigraphError(caught, "INVALID_INPUT")).toBe(true);
  });
});

describe("evaluateRequirements", () => {
  test.each<[string, ReferrerNode[], string, boolean, string[]]>([
    ["present type", graph, SBOM, true, []],
    ["nested present", graph, `${SBOM} > ${SIG}`, true, []],
    ["no graph at all", [], SBOM, false, [`${SBOM} (no ${SBOM} refers to it)`]],
    [
      "signature on the image does not sign the SBOM",
      unsigned,
      `${SBOM} > ${SIG}`,
      false,
      [`${SBOM} > ${SIG} (it has ${SBOM}, but no ${SIG} refers to it)`],
    ],
    [
      "the reverse nesting is not met",
      graph,
      `${SIG} > ${SBOM}`,
      false,
      [`${SIG} > ${SBOM} (it has ${SIG}, but no ${SBOM} refers to it)`],
    ],
    [
      "three levels, two reached",
      graph,
      `${SBOM} > ${SIG} > application/vnd.example.countersig`,
      false,
      [
        `${SBOM} > ${SIG} > application/vnd.example.countersig (it has ${SBOM} > ${SIG}, but no application/vnd.example.countersig refers to that chain)`,
      ],
    ],
  ])("%s", (_name, g, requirement, passed, missing) => {
    const verdict = evaluateRequirements("reg/app:v1", g, parseRequirements([requirement]));
    expect(verdict.passed).toBe(passed);
    for (const m of missing) expect(verdict.message).toContain(m);
    if (passed) expect(verdict.message).toBe("");
  });

  test("one message lists everything missing", () => {
    const verdict = evaluateRequirements(
      "reg/app:v1",
      unsigned,
      parseRequirements([`${SBOM}\n${SBOM} > ${SIG}\napplication/vnd.example.vex\n${SARIF}`]),
    );
    expect(verdict.passed).toBe(false);
    expect(verdict.message).toBe(
      `reg/app:v1 lacks 2 required artifacts: ${SBOM} > ${SIG} (it has ${SBOM}, but no ${SIG} refers to it); ` +
        "application/vnd.example.vex (no application/vnd.example.vex refers to it)",
    );
    expect(verdict.outcomes.map((o) => o.met)).toEqual([true, false, false, true]);
  });

  test("a met requirement names the chain it found", () => {
    const verdict = evaluateRequirements("x", graph, [[SBOM, SIG]]);
    expect(verdict.outcomes[0]?.chain).toEqual([
      graph[0]?.descriptor.digest,
      graph[0]?.referrers[0]?.descriptor.digest,
    ]);
  });
});
