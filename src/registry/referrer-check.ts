/**
 * A referrers listing (the API's answer, or a tag-schema index anyone with push rights can
 * rewrite) is only a claim. Each entry is fetched, verified against its digest, and counts only
 * if its own `subject` is the subject it was listed under; its artifact type and annotations are
 * then taken from the manifest itself. A forged entry (another image, a mesh of indexes listing
 * each other) is dropped with a warning naming it, so it can be neither deleted, promoted,
 * walked nor counted by the gate.
 */
import { isOcigraphError } from "../oci/errors.js";
import { type Descriptor, manifestDescriptor } from "../oci/manifest.js";
import type { FetchedManifest } from "../oci/target.js";
import { limiter } from "../util/limit.js";

/** Parallel manifest fetches while checking one listing. */
const CHECK_CONCURRENCY = 8;

export interface ReferrerCheck {
  /** Fetches (and verifies) a manifest by descriptor; cached per command by the caller. */
  fetch(descriptor: Descriptor): Promise<FetchedManifest>;
  /** Called once per dropped entry with one sentence naming it. */
  forged(digest: string, why: string): void;
}

/** The entries of `listed` whose manifests really refer to `subject`, described by themselves. */
export async function checkReferrers(
  listed: readonly Descriptor[],
  subject: string,
  check: ReferrerCheck,
): Promise<Descriptor[]> {
  const unique = [...new Map(listed.map((d) => [d.digest, d])).values()];
  const limit = limiter(CHECK_CONCURRENCY, CHECK_CONCURRENCY);
  const checked = await Promise.all(
    unique.map((entry) =>
      limit(async (): Promise<Descriptor | undefined> => {
        if (entry.digest === subject) {
          check.forged(entry.digest, `it is listed as a referrer of itself`);
          return undefined;
        }
        let fetched: FetchedManifest;
        try {
          fetched = await check.fetch(entry);
        } catch (err) {
          if (isOcigraphError(err, "NOT_FOUND")) {
            check.forged(entry.digest, "it is listed as a referrer but the manifest does not exist");
            return undefined;
          }
          if (isOcigraphError(err, "DIGEST_MISMATCH") || isOcigraphError(err, "INVALID_CONTENT")) {
            check.forged(entry.digest, "it is listed as a referrer but its manifest does not match");
            return undefined;
          }
          throw err;
        }
        const actual = fetched.manifest.subject?.digest;
        if (actual !== subject) {
          check.forged(
            entry.digest,
            actual
              ? `its own subject is ${actual}, not ${subject}`
              : `it has no subject, so it refers to nothing`,
          );
          return undefined;
        }
        return manifestDescriptor(fetched.manifest, fetched.bytes, entry.digest);
      }),
    ),
  );
  return checked.filter((d): d is Descriptor => d !== undefined);
}
