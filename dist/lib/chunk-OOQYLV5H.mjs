import { createRequire as __ocigraphRequire } from "node:module"; import { fileURLToPath as __ocigraphPath } from "node:url"; import { dirname as __ocigraphDir } from "node:path"; const require = __ocigraphRequire(import.meta.url); const __filename = __ocigraphPath(import.meta.url); const __dirname = __ocigraphDir(__filename);

// src/report/graph-json.ts
function discoverJson(repository, subject, referrers) {
  const node = (d, children) => ({
    reference: `${repository}@${d.digest}`,
    mediaType: d.mediaType,
    digest: d.digest,
    size: d.size,
    ...d.artifactType ? { artifactType: d.artifactType } : {},
    ...d.annotations && Object.keys(d.annotations).length ? { annotations: d.annotations } : {},
    referrers: children.map((c) => node(c.descriptor, c.referrers))
  });
  const root = node({ mediaType: subject.mediaType, digest: subject.digest, size: subject.size }, referrers);
  return root;
}

export {
  discoverJson
};
