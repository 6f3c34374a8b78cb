import { oneLine, redactHeaders, redactText, redactUrl } from "../../../src/auth/redact.js";

describe("redactHeaders", () => {
  it("hides credentials and cookies in any case, joins lists, drops undefined", () => {
    expect(
      redactHeaders({
        Authorization: "Bearer abc",
        "proxy-authorization": "Basic xyz",
        Cookie: "a=b",
        "set-cookie": ["a=1", "b=2"],
        accept: ["application/json", "text/plain"],
        "content-length": "3",
        "x-none": undefined,
      }),
    ).toEqual({
      Authorization: "***",
      "proxy-authorization": "***",
      Cookie: "***",
      "set-cookie": "***",
      accept: "application/json, text/plain",
      "content-length": "3",
    });
  });
});

describe("redactUrl", () => {
  it.each([
    ["https://user:pw@reg.example/v2/a/blobs/sha256:1", "https://reg.example/v2/a/blobs/sha256:1"],
    ["https://reg.example/v2/a/tags/list?n=10&last=b", "https://reg.example/v2/a/tags/list?n=10&last=b"],
    ["https://s3.example/blob?X-Amz-Signature=abc&X-Amz-Credential=k", "https://s3.example/blob?…"],
    [
      "https://acct.blob.core.windows.net/c/b?sv=2020&se=2030&sp=r&sig=SECRET",
      "https://acct.blob.core.windows.net/c/b?…",
    ],
    ["https://cdn.example/x?expires=1&signature=abc", "https://cdn.example/x?…"],
    ["https://auth.example/token?access_token=abc&service=x", "https://auth.example/token?…"],
    ["https://a.example/x?ok=1#frag", "https://a.example/x?ok=1"],
    ["/relative/path?token=abc", "/relative/path?…"],
    ["not a url://user:pw@host/x?q", "not a url://host/x?…"],
    ["weird://user:pw@ho st/x?q=1", "weird://ho st/x?…"],
  ])("%s", (input, expected) => {
    expect(redactUrl(input)).toBe(expected);
  });

  it("never keeps a secret query value", () => {
    const out = redactUrl("https://h/p?a=1&SIG=topsecret");
    expect(out).not.toContain("topsecret");
  });
});

describe("redactText", () => {
  it("replaces every occurrence, longer secrets first", () => {
    expect(redactText("pw=abc token=abcdef again abc", ["abc", "abcdef", ""])).toBe(
      "pw=*** token=*** again ***",
    );
  });

  it("leaves text alone without secrets", () => {
    expect(redactText("hello", [])).toBe("hello");
  });

  it("does not treat secrets as patterns", () => {
    expect(redactText("a.b a+b", ["a.b"])).toBe("*** a+b");
  });
});

describe("oneLine", () => {
  it("turns every C0 control and DEL into a space and trims the ends", () => {
    const controls = Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(i)).join("") + "\u007f";
    expect(oneLine(`\n bad${controls}token\r\n`)).toBe(`bad${" ".repeat(controls.length)}token`);
    expect(oneLine("a\u001b[31mb")).toBe("a [31mb");
  });
});
