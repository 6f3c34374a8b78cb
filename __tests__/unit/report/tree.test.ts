import { isDigest } from "../../../src/oci/digest";
import type { ReferrerNode } from "../../../src/oci/graph-results";
import { neutral, shownType } from "../../../src/report/neutral";
import { renderTree } from "../../../src/report/tree";

const code = (from: number, to: number): string[] =>
  Array.from({ length: to - from + 1 }, (_, i) => String.fromCodePoint(from + i));

// Every character and payload a registry could use to break a log line or forge a CI command.
const HOSTILE: string[] = [
  ...code(0x00, 0x1f),
  "\u007f",
  ...code(0x80, 0x9f),
  "\u2028",
  "\u2029",
  ...code(0x202a, 0x202e), // bidi embeddings and overrides
  ...code(0x2066, 0x2069), // bidi isolates
  "\n##vso[task.setvariable variable=X]1",
  "##[error]boom",
  "::set-output name=x::y",
  "\n::add-mask::z",
];
/** A test name that is itself safe to print: code points, or the payload with its controls escaped. */
const name = (s: string): string =>
  s.length === 1 ? `U+${s.codePointAt(0)!.toString(16).padStart(4, "0")}` : JSON.stringify(s);

const node = (artifactType: string, digest: string): ReferrerNode => ({
  descriptor: { mediaType: "m/x", artifactType, digest, size: 1 },
  referrers: [],
});
const DIGEST = `sha256:${"a".repeat(64)}`;

// The tree has no escaper of its own: every foreign string in it is exactly what neutral() makes of
// it, so one function decides what a log line may hold.
describe("renderTree escapes foreign text with neutral() alone", () => {
  it.each(HOSTILE.map((h) => [name(h), h]))("%s", (_name, hostile) => {
    const root = `reg.example/app:v1${hostile}`;
    const type = `application/vnd.x${hostile}y`;
    const digest = `sha256:${hostile}`;
    const lines = renderTree(root, [node(type, digest)]).split("\n");
    expect(lines).toEqual([
      neutral(root, 1024),
      `└── ${shownType(type)}`,
      `    └── ${neutral(digest, 1024)}`,
    ]);
    for (const line of lines) {
      expect(line).not.toMatch(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u);
      expect(line).not.toMatch(/##(vso)?\[/);
      expect(line).not.toMatch(/^\s*::/);
    }
    // and a real descriptor could not even carry it in its digest
    expect(isDigest(digest)).toBe(false);
  });

  it("leaves plain types and digests as they are", () => {
    const tree = renderTree("reg.example/app:v1", [node("application/spdx+json", DIGEST)]);
    expect(tree).toBe(`reg.example/app:v1\n└── application/spdx+json\n    └── ${DIGEST}`);
  });
});
