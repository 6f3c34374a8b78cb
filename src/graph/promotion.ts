/**
 * Which tags a promoted (copied) graph gets at its destination: one rule for `copy` and for the
 * job's `promote-to`, checked before anything is copied.
 */
import { OcigraphError } from "../oci/errors.js";

export interface PromotionTagsInput {
  /** The digest the source resolved to. */
  sourceDigest: string;
  /** The source reference's tag or digest. */
  sourceSelector: string;
  /** The destination reference's tag or digest, if any. */
  destinationSelector: string | undefined;
  /** Tags named explicitly (`repo:t1,t2`); override the rest. */
  explicitTags?: readonly string[];
  /** The destination as the user wrote it (`promote-to`, the second argument), for the message. */
  destination: string;
}

/**
 * The destination tags: the explicit ones, else the destination's tag, else none when the
 * destination is a digest, else the source's tag (a copy by digest gets no tag).
 *
 * @throws OcigraphError INVALID_INPUT when the destination names a digest that is not the source's:
 *   the copy would succeed and leave nothing at the digest the user asked for.
 */
export function promotionTags(input: PromotionTagsInput): string[] {
  const byDigest = input.destinationSelector?.includes(":") ?? false;
  if (byDigest && input.destinationSelector !== input.sourceDigest) {
    throw new OcigraphError(
      "INVALID_INPUT",
      `${input.destination} names ${input.destinationSelector}, but the source is ${input.sourceDigest}`,
      { hint: "give the destination as a repository, a repository:tag, or the source's own digest" },
    );
  }
  if (input.explicitTags?.length) return [...input.explicitTags];
  if (byDigest) return [];
  if (input.destinationSelector) return [input.destinationSelector];
  return input.sourceSelector.includes(":") ? [] : [input.sourceSelector];
}
