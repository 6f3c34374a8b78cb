import { createRequire as __ocigraphRequire } from "node:module"; import { fileURLToPath as __ocigraphPath } from "node:url"; import { dirname as __ocigraphDir } from "node:path"; const require = __ocigraphRequire(import.meta.url); const __filename = __ocigraphPath(import.meta.url); const __dirname = __ocigraphDir(__filename);
import {
  OcigraphError
} from "./chunk-N65ZBPAW.mjs";

// src/graph/promotion.ts
function promotionTags(input) {
  const byDigest = input.destinationSelector?.includes(":") ?? false;
  if (byDigest && input.destinationSelector !== input.sourceDigest) {
    throw new OcigraphError(
      "INVALID_INPUT",
      `${input.destination} names ${input.destinationSelector}, but the source is ${input.sourceDigest}`,
      { hint: "give the destination as a repository, a repository:tag, or the source's own digest" }
    );
  }
  if (input.explicitTags?.length) return [...input.explicitTags];
  if (byDigest) return [];
  if (input.destinationSelector) return [input.destinationSelector];
  return input.sourceSelector.includes(":") ? [] : [input.sourceSelector];
}

export {
  promotionTags
};
