import type { Descriptor } from "../oci/manifest.js";
import type { ReferrerNode } from "../oci/graph-results.js";

/** One node of `discover --format json`, in ORAS 1.3's shape. */
export interface DiscoverJsonNode {
  reference: string;
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
  annotations?: Record<string, string>;
  referrers: DiscoverJsonNode[];
}

/** `repository` is `host/repo` (or the layout path): each node's reference is `<repository>@<digest>`. */
export function discoverJson(
  repository: string,
  subject: Descriptor,
  referrers: readonly ReferrerNode[],
): DiscoverJsonNode {
  const node = (d: Descriptor, children: readonly ReferrerNode[]): DiscoverJsonNode => ({
    reference: `${repository}@${d.digest}`,
    mediaType: d.mediaType,
    digest: d.digest,
    size: d.size,
    ...(d.artifactType ? { artifactType: d.artifactType } : {}),
    ...(d.annotations && Object.keys(d.annotations).length ? { annotations: d.annotations } : {}),
    referrers: children.map((c) => node(c.descriptor, c.referrers)),
  });
  const root = node({ mediaType: subject.mediaType, digest: subject.digest, size: subject.size }, referrers);
  return root;
}
