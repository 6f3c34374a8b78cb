import { createHash, type Hash } from "node:crypto";
import { Transform, pipeline, type Readable, type TransformCallback } from "node:stream";
import { OcigraphError } from "./errors.js";

/**
 * Digests as the image spec defines them: `<algorithm>:<encoded>`.
 * https://github.com/opencontainers/image-spec/blob/v1.1.1/descriptor.md#digests
 */
export type Digest = string;
export type DigestAlgorithm = "sha256" | "sha512";

const ENCODED_LENGTH: Record<DigestAlgorithm, number> = { sha256: 64, sha512: 128 };
const DIGEST_PATTERN = /^([a-z0-9]+(?:[+._-][a-z0-9]+)*):([a-zA-Z0-9=_-]+)$/;

export interface ParsedDigest {
  algorithm: DigestAlgorithm;
  encoded: string;
}

/** Parses and validates a digest; only the registered algorithms sha256 and sha512 are accepted. */
export function parseDigest(digest: string): ParsedDigest {
  const match = DIGEST_PATTERN.exec(digest);
  if (!match)
    throw new OcigraphError("INVALID_INPUT", `"${digest}" is not a digest (expected sha256:<hex>)`, {
      usage: true,
    });
  const algorithm = match[1] as string;
  const encoded = match[2] as string;
  if (algorithm !== "sha256" && algorithm !== "sha512") {
    throw new OcigraphError(
      "UNSUPPORTED",
      `digest algorithm "${algorithm}" is not supported (use sha256 or sha512)`,
    );
  }
  if (encoded.length !== ENCODED_LENGTH[algorithm] || !/^[a-f0-9]+$/.test(encoded)) {
    throw new OcigraphError("INVALID_INPUT", `"${digest}" is not a valid ${algorithm} digest`, {
      usage: true,
    });
  }
  return { algorithm, encoded };
}

export function isDigest(value: string): boolean {
  try {
    parseDigest(value);
    return true;
  } catch {
    return false;
  }
}

export function digestOf(data: Uint8Array | string, algorithm: DigestAlgorithm = "sha256"): Digest {
  return `${algorithm}:${createHash(algorithm).update(data).digest("hex")}`;
}

/**
 * A pass-through stream that hashes and counts what flows through it and, at the end, fails
 * the stream unless the bytes match the expected digest and size. Never trust a registry's word.
 */
export class VerifyingStream extends Transform {
  private readonly hash: Hash;
  private readonly expected: ParsedDigest;
  private received = 0;

  constructor(
    private readonly digest: Digest,
    private readonly size: number | undefined,
    private readonly label: string,
  ) {
    super();
    this.expected = parseDigest(digest);
    this.hash = createHash(this.expected.algorithm);
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, callback: TransformCallback): void {
    this.received += chunk.length;
    if (this.size !== undefined && this.received > this.size) {
      callback(
        new OcigraphError(
          "DIGEST_MISMATCH",
          `${this.label}: received more than the expected ${this.size} bytes for ${this.digest}`,
        ),
      );
      return;
    }
    this.hash.update(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    if (this.size !== undefined && this.received !== this.size) {
      callback(
        new OcigraphError(
          "DIGEST_MISMATCH",
          `${this.label}: received ${this.received} bytes, expected ${this.size} for ${this.digest}`,
        ),
      );
      return;
    }
    const actual = this.hash.digest("hex");
    if (actual !== this.expected.encoded) {
      callback(
        new OcigraphError(
          "DIGEST_MISMATCH",
          `${this.label}: content does not match ${this.digest} (got ${this.expected.algorithm}:${actual})`,
        ),
      );
      return;
    }
    callback();
  }
}

/** Throws DIGEST_MISMATCH unless `data` hashes to `digest` (and has `size` bytes when given). */
export function verifyBytes(data: Uint8Array, digest: Digest, size: number | undefined, label: string): void {
  const { algorithm } = parseDigest(digest);
  if (size !== undefined && data.length !== size) {
    throw new OcigraphError(
      "DIGEST_MISMATCH",
      `${label}: got ${data.length} bytes, expected ${size} for ${digest}`,
    );
  }
  const actual = digestOf(data, algorithm);
  if (actual !== digest) {
    throw new OcigraphError("DIGEST_MISMATCH", `${label}: content does not match ${digest} (got ${actual})`);
  }
}

/**
 * `source` piped through a VerifyingStream, with errors on either side ending the result
 * (plain `.pipe()` would leave the reader hanging when the source fails).
 */
export function verifiedStream(
  source: Readable,
  digest: Digest,
  size: number | undefined,
  label: string,
): Readable {
  return pipeline(source, new VerifyingStream(digest, size, label), () => undefined);
}
