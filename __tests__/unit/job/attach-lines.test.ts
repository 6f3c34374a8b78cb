import { parseAttachLines, tokenize } from "../../../src/job/attach-lines";
import { isOcigraphError } from "../../../src/oci/errors";

describe("parseAttachLines", () => {
  test.each<[string, string, object[]]>([
    ["empty", "", []],
    ["comments and blank lines", "# nothing\n\n   \n", []],
    [
      "one type, one path",
      "application/vnd.example.readme ./docs",
      [
        {
          origin: "attach line 1",
          parent: { kind: "subject" },
          artifactType: "application/vnd.example.readme",
          files: [{ path: "./docs" }],
        },
      ],
    ],
    [
      "several paths with media types",
      "application/vnd.example.docs a.md:text/markdown  b.txt",
      [
        {
          origin: "attach line 1",
          parent: { kind: "subject" },
          artifactType: "application/vnd.example.docs",
          files: [{ path: "a.md", mediaType: "text/markdown" }, { path: "b.txt" }],
        },
      ],
    ],
    [
      "quoted path with spaces, line numbers count every line",
      '# header\napplication/vnd.example.x "my file.txt"',
      [
        {
          origin: "attach line 2",
          parent: { kind: "subject" },
          artifactType: "application/vnd.example.x",
          files: [{ path: "my file.txt" }],
        },
      ],
    ],
    [
      "@sbom parent",
      "@sbom application/vnd.example.signature sbom.sig",
      [
        {
          origin: "attach line 1",
          parent: { kind: "input", input: "sbom" },
          artifactType: "application/vnd.example.signature",
          files: [{ path: "sbom.sig" }],
        },
      ],
    ],
    [
      "@digest parent",
      `@sha256:${"a".repeat(64)} application/vnd.example.signature s.sig`,
      [
        {
          origin: "attach line 1",
          parent: { kind: "digest", digest: `sha256:${"a".repeat(64)}` },
          artifactType: "application/vnd.example.signature",
          files: [{ path: "s.sig" }],
        },
      ],
    ],
    [
      "CRLF line ends",
      "application/vnd.a x\r\napplication/vnd.b y\r\n",
      [
        {
          origin: "attach line 1",
          parent: { kind: "subject" },
          artifactType: "application/vnd.a",
          files: [{ path: "x" }],
        },
        {
          origin: "attach line 2",
          parent: { kind: "subject" },
          artifactType: "application/vnd.b",
          files: [{ path: "y" }],
        },
      ],
    ],
  ])("%s", (_name, input, expected) => {
    expect(parseAttachLines(input)).toEqual(expected);
  });

  test.each<[string, string, string]>([
    ["type only", "application/vnd.example.x", "attach line 1"],
    ["no type", "./file.txt other.txt", "needs an artifact type"],
    ["bad parent", "@readme application/vnd.x a", '"@readme" is not something to attach to'],
    ["short digest parent", "@sha256:abc application/vnd.x a", "is not something to attach to"],
    ["bad media type on a file", "application/vnd.x a:text/", "not a valid media type"],
  ])("refuses %s", (_name, input, message) => {
    let caught: unknown;
    try {
      parseAttachLines(input);
    } catch (err) {
      caught = err;
    }
    expect(isOcigraphError(caught, "INVALID_INPUT")).toBe(true);
    expect((caught as Error).message).toContain(message);
  });

  test("unbalanced quote", () => {
    expect(() => tokenize('a "b', "attach line 1")).toThrow(/unbalanced quote/);
  });
});
