import { nextLink } from "../../../src/registry/link.js";

describe("nextLink", () => {
  it.each([
    ['</v2/x/tags/list?n=2&last=b>; rel="next"', "/v2/x/tags/list?n=2&last=b"],
    ["</v2/x/tags/list?last=b>; rel=next", "/v2/x/tags/list?last=b"],
    ['</a>;rel="next"', "/a"],
    ['</a> ; REL = "NEXT"', "/a"],
    ['</prev>; rel="prev", </next>; rel="next"', "/next"],
    ['</first>; rel="first", </next>; rel="next", </last>; rel="last"', "/next"],
    ['</a>; rel="last next"', "/a"],
    ['</a>; rel="next last"', "/a"],
    ['</a>; rel="prev next last"', "/a"],
    ['</a>; type="text/html"; rel="next"', "/a"],
    ['</a>; rel="next"; title="page 2"', "/a"],
    [
      '<https://reg.io/v2/x/referrers/sha256:abc?n=1;x=2>; rel="next"',
      "https://reg.io/v2/x/referrers/sha256:abc?n=1;x=2",
    ],
  ])("finds the next link in %s", (header, expected) => {
    expect(nextLink(header)).toBe(expected);
  });

  it.each([
    [undefined],
    [""],
    ['</a>; rel="prev"'],
    ['</a>; rel="nextpage"'],
    ['</a>; rel="previous-next"'],
    ['</a>; title="rel=next"'],
    ["</a>"],
    ["garbage"],
    ['rel="next"'],
    ['<<<>>>; ;; rel="ne xt"'],
  ])("finds none in %j", (header) => {
    expect(nextLink(header)).toBeUndefined();
  });

  it("only looks at the first 8 KiB", () => {
    const filler = Array.from({ length: 400 }, (_, i) => `</p${i}>; rel="prev"`).join(", ");
    expect(filler.length).toBeGreaterThan(8192);
    expect(nextLink(`${filler}, </n>; rel="next"`)).toBeUndefined();
    expect(nextLink(`</n>; rel="next", ${filler}`)).toBe("/n");
  });
});
