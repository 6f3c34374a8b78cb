import { createRequire as __ocigraphRequire } from "node:module"; import { fileURLToPath as __ocigraphPath } from "node:url"; import { dirname as __ocigraphDir } from "node:path"; const require = __ocigraphRequire(import.meta.url); const __filename = __ocigraphPath(import.meta.url); const __dirname = __ocigraphDir(__filename);
import {
  discover
} from "./chunk-VHBNKKFC.mjs";
import {
  isValidMediaType
} from "./chunk-AEECXJOG.mjs";
import {
  OcigraphError
} from "./chunk-N65ZBPAW.mjs";

// src/graph/verify.ts
function parseRequirements(values) {
  const result = [];
  for (const value of values) {
    for (const raw of value.split(/[\n,]/)) {
      const entry = raw.replace(/#.*$/, "").trim();
      if (!entry) continue;
      const chain = entry.split(">").map((part) => part.trim());
      for (const type of chain) {
        if (!isValidMediaType(type)) {
          throw new OcigraphError(
            "INVALID_INPUT",
            `the requirement "${entry}" has "${type}", which is not an artifact type`,
            {
              hint: "write artifact types as type/subtype, nested ones as a > b, e.g. application/spdx+json > application/vnd.example.signature"
            }
          );
        }
      }
      result.push(chain);
    }
  }
  return result;
}
function formatRequirement(requirement) {
  return requirement.join(" > ");
}
function evaluateRequirements(subject, graph, requirements) {
  const outcomes = requirements.map((req) => {
    const chain = findChain(graph, req);
    if (chain) return { requirement: formatRequirement(req), met: true, chain };
    return { requirement: formatRequirement(req), met: false, chain: [], reason: explain(graph, req) };
  });
  const missing = outcomes.filter((o) => !o.met);
  const message = missing.length ? `${subject} lacks ${missing.length} required artifact${missing.length > 1 ? "s" : ""}: ` + missing.map((o) => `${o.requirement} (${o.reason})`).join("; ") : "";
  return { passed: missing.length === 0, outcomes, message };
}
function findChain(nodes, req) {
  const [first, ...rest] = req;
  if (first === void 0) return [];
  for (const node of nodes) {
    if (!typeMatches(node.descriptor.artifactType, first)) continue;
    const tail = findChain(node.referrers, rest);
    if (tail) return [node.descriptor.digest, ...tail];
  }
  return void 0;
}
function typeMatches(type, wanted) {
  return type !== void 0 && isValidMediaType(type) && type === wanted;
}
function reached(nodes, req) {
  const [first, ...rest] = req;
  if (first === void 0) return 0;
  let best = 0;
  for (const node of nodes) {
    if (typeMatches(node.descriptor.artifactType, first))
      best = Math.max(best, 1 + reached(node.referrers, rest));
  }
  return best;
}
function explain(graph, req) {
  const depth = reached(graph, req);
  if (depth === 0) return `no ${req[0]} refers to it`;
  const have = req.slice(0, depth).join(" > ");
  return `it has ${have}, but no ${req[depth]} refers to ${depth > 1 ? "that chain" : "it"}`;
}
async function verify(target, subject, requirements, options = {}) {
  const depth = Math.max(0, ...requirements.map((r) => r.length));
  const graph = depth ? await discover(target, subject, { depth, ...options.maxNodes ? { maxNodes: options.maxNodes } : {} }) : [];
  const display = options.display ?? `${target.name}@${subject.digest}`;
  return { ...evaluateRequirements(display, graph, requirements), graph };
}

export {
  parseRequirements,
  formatRequirement,
  evaluateRequirements,
  verify
};
