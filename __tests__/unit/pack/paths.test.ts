import * as path from "node:path";
import { checkSymlinkTarget, cleanLayerName, resolveInside } from "../../../src/pack/paths.js";

const root = path.resolve("/tmp/ocigraph-root");

function refusal(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (err) {
    const e = err as { code: string; message: string };
    return { code: e.code, message: e.message };
  }
  throw new Error("expected a refusal");
}

describe("resolveInside", () => {
  it("resolves relative names under root", () => {
    expect(resolveInside(root, "details/readme.md", false)).toBe(path.join(root, "details", "readme.md"));
    expect(resolveInside(root, "./a/./b/", false)).toBe(path.join(root, "a", "b"));
    expect(resolveInside(root, "a/../b", false)).toBe(path.join(root, "b"));
    expect(resolveInside(root, ".", false)).toBe(root);
  });

  it.each([
    ["../evil"],
    ["a/../../evil"],
    [".."],
    ["..\\evil"],
    ["a\\..\\..\\evil"],
    ["/etc/passwd"],
    ["\\abs"],
    ["C:\\Windows\\x"],
    ["c:/x"],
    ["C:drive-relative"],
    ["\\\\server\\share\\x"],
    ["//server/share/x"],
  ])("refuses %j", (name) => {
    const e = refusal(() => resolveInside(root, name, false));
    expect(e.code).toBe("UNSAFE_PATH");
    expect(e.message).toContain(JSON.stringify(name));
  });

  it("refuses empty names and NUL bytes even with traversal allowed", () => {
    for (const allow of [false, true]) {
      expect(refusal(() => resolveInside(root, "", allow)).code).toBe("UNSAFE_PATH");
      const e = refusal(() => resolveInside(root, "a\0b", allow));
      expect(e.code).toBe("UNSAFE_PATH");
      expect(e.message).toContain("a\\u0000b");
    }
  });

  it("permits absolute names and .. with allowTraversal", () => {
    expect(resolveInside(root, "../sibling/x", true)).toBe(path.resolve(root, "../sibling/x"));
    expect(resolveInside(root, "/abs/x", true)).toBe(path.resolve("/abs/x"));
  });

  if (process.platform !== "win32") {
    it("still refuses Windows drive paths off Windows", () => {
      expect(refusal(() => resolveInside(root, "C:\\x", true)).code).toBe("UNSAFE_PATH");
    });
  }
});

describe("checkSymlinkTarget", () => {
  it("accepts links that stay inside and returns the resolved name", () => {
    expect(checkSymlinkTarget("details/bin/tool", "../lib/tool")).toBe("details/lib/tool");
    expect(checkSymlinkTarget("details/link", "readme.md")).toBe("details/readme.md");
    expect(checkSymlinkTarget("details/link", "..")).toBe("");
  });

  it.each([
    ["details/link", "/etc"],
    ["details/link", "C:\\Windows"],
    ["details/link", "../../etc"],
    ["details/link", "sub/../../../x"],
    ["details/link", "sub/../x"],
    ["details/link", ""],
    ["details/link", "a\0b"],
  ])("refuses %j -> %j", (name, target) => {
    expect(refusal(() => checkSymlinkTarget(name, target)).code).toBe("UNSAFE_PATH");
  });
});

describe("cleanLayerName", () => {
  it("cleans as filepath.ToSlash(filepath.Clean()) does", () => {
    expect(cleanLayerName("./details/")).toBe("details");
    expect(cleanLayerName("a//b/../c")).toBe("a/c");
    expect(cleanLayerName("details")).toBe("details");
  });
});
