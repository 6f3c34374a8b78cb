import { defuseCommands, neutral, neutralLines, safeJson, shownType } from "../../../src/report/neutral";

describe("neutral: foreign text in one log line", () => {
  it.each([
    [
      "newline then an Azure command",
      "a\n##vso[task.prependpath]/evil",
      "a\\n##vso\\[task.prependpath]/evil",
    ],
    ["a GitHub command at the start", "::set-env name=X::1", ":\\:set-env name=X::1"],
    ["leading blanks before a command", "  ::add-mask::x", "  :\\:add-mask::x"],
    ["an Azure format command", "##[error]boom", "##\\[error]boom"],
    ["escape sequences and bidi overrides", "\u001b[31mred\u202e", "\\x1b[31mred\\u{202e}"],
    ["carriage return and line separator", "a\rb\u2028c", "a\\rb\\u{2028}c"],
    ["case-insensitive vso", "##VSO[task.x]", "##VSO\\[task.x]"],
  ])("%s", (_name, input, expected) => {
    expect(neutral(input)).toBe(expected);
    expect(neutral(input)).not.toMatch(/[\n\r]/);
  });

  it("caps the length", () => {
    expect(neutral("x".repeat(1000), 10)).toBe(`${"x".repeat(10)}…`);
  });

  it("keeps our own newlines in many-line text but defuses each line", () => {
    expect(neutralLines("tree\n##vso[task.complete]x\n::error::y")).toBe(
      "tree\n##vso\\[task.complete]x\n:\\:error::y",
    );
    expect(defuseCommands("plain text: with colons")).toBe("plain text: with colons");
  });

  it("shows a type that is not a media type quoted, never as itself", () => {
    expect(shownType("application/spdx+json")).toBe("application/spdx+json");
    expect(shownType("application/x;##vso[task.x]")).toBe(
      '"application/x;##vso\\[task.x]" (not a media type)',
    );
    expect(shownType(undefined)).toBe("<unknown>");
  });

  it("writes JSON whose value is unchanged but has no logging command", () => {
    const value = { t: "a\n##vso[task.setvariable variable=X]1", u: "##[group]" };
    const text = safeJson(value);
    expect(text).not.toContain("##vso[");
    expect(text).not.toContain("##[");
    expect(JSON.parse(text)).toEqual(value);
  });
});
