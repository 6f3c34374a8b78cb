import { createHash } from "node:crypto";
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { VerifyingStream, digestOf, isDigest, parseDigest, verifyBytes } from "../../../src/oci/digest.js";

const DATA = Buffer.from("hello, verified world\n");
const SHA256 = `sha256:${createHash("sha256").update(DATA).digest("hex")}`;
const SHA512 = `sha512:${createHash("sha512").update(DATA).digest("hex")}`;

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return (err as { code: string }).code;
  }
  throw new Error("expected an error");
}

/** Streams `chunks` through a VerifyingStream; resolves with what came out, or rejects with its error. */
async function verify(chunks: Buffer[], digest: string, size: number | undefined): Promise<Buffer> {
  const out: Buffer[] = [];
  await pipeline(
    Readable.from(chunks),
    new VerifyingStream(digest, size, "test blob"),
    new Writable({
      write(chunk: Buffer, _enc, cb) {
        out.push(chunk);
        cb();
      },
    }),
  );
  return Buffer.concat(out);
}

async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (err) {
    return { code: (err as { code: string }).code, message: (err as Error).message };
  }
  throw new Error("expected a failure");
}

describe("parseDigest", () => {
  it("parses sha256 and sha512", () => {
    expect(parseDigest(SHA256)).toEqual({ algorithm: "sha256", encoded: SHA256.slice(7) });
    expect(parseDigest(SHA512)).toEqual({ algorithm: "sha512", encoded: SHA512.slice(7) });
  });

  it.each([
    ["sha256:abc", "INVALID_INPUT"],
    [`sha256:${"a".repeat(65)}`, "INVALID_INPUT"],
    [`sha256:${"A".repeat(64)}`, "INVALID_INPUT"],
    [`sha256:${"g".repeat(64)}`, "INVALID_INPUT"],
    [`sha512:${"a".repeat(64)}`, "INVALID_INPUT"],
    [`SHA256:${"a".repeat(64)}`, "INVALID_INPUT"],
    ["sha256", "INVALID_INPUT"],
    [`:${"a".repeat(64)}`, "INVALID_INPUT"],
    ["", "INVALID_INPUT"],
    [`md5:${"a".repeat(32)}`, "UNSUPPORTED"],
    [`sha384:${"a".repeat(96)}`, "UNSUPPORTED"],
  ])("refuses %j with %s", (digest, code) => {
    expect(codeOf(() => parseDigest(digest))).toBe(code);
    expect(isDigest(digest)).toBe(false);
  });

  it("computes digests of bytes and strings", () => {
    expect(digestOf(DATA)).toBe(SHA256);
    expect(digestOf(DATA, "sha512")).toBe(SHA512);
    expect(digestOf("{}")).toBe("sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
  });
});

describe("VerifyingStream", () => {
  const chunks = [DATA.subarray(0, 5), DATA.subarray(5, 6), DATA.subarray(6)];

  it("passes the bytes through when digest and size match", async () => {
    expect(await verify(chunks, SHA256, DATA.length)).toEqual(DATA);
    expect(await verify(chunks, SHA512, DATA.length)).toEqual(DATA);
    expect(await verify(chunks, SHA256, undefined)).toEqual(DATA);
  });

  it("passes an empty blob", async () => {
    expect(await verify([], digestOf(Buffer.alloc(0)), 0)).toEqual(Buffer.alloc(0));
  });

  it("fails on the wrong digest", async () => {
    const wrong = digestOf("other");
    const err = await failure(verify(chunks, wrong, DATA.length));
    expect(err.code).toBe("DIGEST_MISMATCH");
    expect(err.message).toContain(`does not match ${wrong}`);
    expect(err.message).toContain(`got ${SHA256}`);
    expect(err.message).toContain("test blob");
  });

  it("fails when the content is shorter than the size", async () => {
    const err = await failure(verify(chunks, SHA256, DATA.length + 1));
    expect(err.code).toBe("DIGEST_MISMATCH");
    expect(err.message).toContain(`received ${DATA.length} bytes, expected ${DATA.length + 1}`);
  });

  it("fails as soon as the content is longer than the size", async () => {
    const err = await failure(verify([...chunks, Buffer.from("x")], SHA256, DATA.length));
    expect(err.code).toBe("DIGEST_MISMATCH");
    expect(err.message).toContain(`more than the expected ${DATA.length} bytes`);
  });

  it("fails on the right size but extra bytes with the wrong digest", async () => {
    const tampered = Buffer.from(DATA);
    tampered[0] = tampered[0]! ^ 1;
    expect((await failure(verify([tampered], SHA256, DATA.length))).code).toBe("DIGEST_MISMATCH");
  });

  it("refuses to be built with an invalid digest", () => {
    expect(codeOf(() => new VerifyingStream("sha256:abc", 1, "x"))).toBe("INVALID_INPUT");
  });
});

describe("verifyBytes", () => {
  it("accepts matching bytes and refuses wrong size or content", () => {
    expect(() => verifyBytes(DATA, SHA256, DATA.length, "m")).not.toThrow();
    expect(() => verifyBytes(DATA, SHA512, undefined, "m")).not.toThrow();
    expect(codeOf(() => verifyBytes(DATA, SHA256, DATA.length - 1, "m"))).toBe("DIGEST_MISMATCH");
    expect(codeOf(() => verifyBytes(Buffer.from("x"), SHA256, undefined, "m"))).toBe("DIGEST_MISMATCH");
  });
});
