// The ACR stand-in's metadata database: every manifest pushed through it (tagged or not), with
// ACR's data-plane metadata API over it, as the public spec describes it
// (Azure/azure-rest-api-specs, specification/containerregistry/data-plane/Azure.ContainerRegistry/
// stable/2021-07-01/containerregistry.json):
//   GET   /acr/v1/{name}/_manifests?n=&last=&orderby=   (GetManifests; next page in `Link`)
//   GET   /acr/v1/{name}/_manifests/{digest}            (GetManifestProperties)
//   PATCH /acr/v1/{name}/_manifests/{digest}            (UpdateManifestProperties, changeableAttributes)
// under token scopes repository:{name}:metadata_read / metadata_write, and ACR's refusal of writes
// and deletes on a locked manifest: 405 REGISTRY_DISALLOWED_OPERATION (Azure/acr-cli#70; "This
// state denies the delete and push operations", learn.microsoft.com troubleshooting for ACR).
import type { IncomingMessage, ServerResponse } from "node:http";
import { json, readBody } from "./http";

export interface ChangeableAttributes {
  deleteEnabled: boolean;
  writeEnabled: boolean;
  readEnabled: boolean;
  listEnabled: boolean;
}

interface Record {
  digest: string;
  mediaType: string;
  imageSize: number;
  createdTime: string;
  lastUpdateTime: string;
  changeableAttributes: ChangeableAttributes;
}

const DISALLOWED = {
  errors: [
    {
      code: "REGISTRY_DISALLOWED_OPERATION",
      detail: {},
      message:
        "The operation is disallowed on this registry, repository or image. View troubleshooting steps at " +
        "https://aka.ms/acr/faq/#why-does-my-pull-or-push-request-fail-with-disallowed-operation",
    },
  ],
};

/** Checks a bearer token for `action` on `repository` (the stand-in signed it). */
export type AccessCheck = (authorization: string | undefined, repository: string, action: string) => boolean;

export class AcrManifestCatalog {
  private readonly manifests = new Map<string, Map<string, Record>>();
  private readonly tags = new Map<string, Map<string, string>>();
  /** Most manifests per page, whatever `n` asks (ACR caps pages too); small values exercise paging. */
  pageCap = 100;
  /** Pages of `_manifests` served, and writes/deletes refused because of a lock. */
  pagesServed = 0;
  refusals: string[] = [];
  /** PATCH requests that changed attributes. */
  updates = 0;

  constructor(
    private readonly registry: () => string,
    private readonly allowed: AccessCheck,
  ) {}

  /** Serves `/acr/v1/...`; false when `path` is not one of its routes. */
  handle(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): boolean {
    const match = /^\/acr\/v1\/(.+)\/_manifests(?:\/(sha256:[a-f0-9]{64}))?$/.exec(path);
    if (!match) return false;
    const repository = match[1] as string;
    const digest = match[2];
    const write = req.method === "PATCH";
    const action = write ? "metadata_write" : "metadata_read";
    if (!this.allowed(req.headers.authorization, repository, action)) {
      req.resume();
      res.setHeader(
        "www-authenticate",
        `Bearer realm="http://${this.registry()}/oauth2/token",service="${this.registry()}",` +
          `scope="repository:${repository}:${action}"`,
      );
      json(res, 401, { errors: [{ code: "UNAUTHORIZED", message: "authentication required" }] });
      return true;
    }
    const records = this.manifests.get(repository);
    if (!records) {
      req.resume();
      json(res, 404, {
        errors: [
          {
            code: "NAME_UNKNOWN",
            message: "repository name not known to registry",
            detail: { name: repository },
          },
        ],
      });
      return true;
    }
    if (!digest) {
      if (req.method !== "GET") return this.methodNotAllowed(req, res);
      req.resume();
      this.page(res, repository, records, query);
      return true;
    }
    const record = records.get(digest);
    if (!record) {
      req.resume();
      json(res, 404, {
        errors: [{ code: "MANIFEST_UNKNOWN", message: "manifest unknown", detail: { digest } }],
      });
      return true;
    }
    if (req.method === "GET") {
      req.resume();
      json(res, 200, this.attributes(repository, record));
      return true;
    }
    if (!write) return this.methodNotAllowed(req, res);
    readBody(req)
      .then((text) => {
        const value = JSON.parse(text || "{}") as Partial<ChangeableAttributes>;
        for (const key of ["deleteEnabled", "writeEnabled", "readEnabled", "listEnabled"] as const) {
          if (typeof value[key] === "boolean") record.changeableAttributes[key] = value[key];
        }
        record.lastUpdateTime = new Date().toISOString();
        this.updates++;
        json(res, 200, this.attributes(repository, record));
      })
      .catch(() => json(res, 400, { errors: [{ code: "BAD_REQUEST", message: "invalid JSON body" }] }));
    return true;
  }

  private methodNotAllowed(req: IncomingMessage, res: ServerResponse): true {
    req.resume();
    json(res, 405, { errors: [{ code: "UNSUPPORTED", message: "method not allowed" }] });
    return true;
  }

  private page(
    res: ServerResponse,
    repository: string,
    records: Map<string, Record>,
    query: URLSearchParams,
  ): void {
    const orderby = query.get("orderby") ?? "none";
    const all = [...records.values()].sort((a, b) => {
      if (orderby === "timeasc" || orderby === "timedesc") {
        const t = a.lastUpdateTime.localeCompare(b.lastUpdateTime);
        if (t !== 0) return orderby === "timeasc" ? t : -t;
      }
      return a.digest.localeCompare(b.digest);
    });
    const last = query.get("last");
    const start = last ? all.findIndex((r) => r.digest === last) + 1 : 0;
    const n = Math.min(Number(query.get("n")) || 100, this.pageCap);
    const slice = all.slice(start, start + n);
    this.pagesServed++;
    if (start + n < all.length && slice.length) {
      const next = new URLSearchParams({
        last: (slice[slice.length - 1] as Record).digest,
        n: String(n),
        orderby,
      });
      res.setHeader("link", `</acr/v1/${repository}/_manifests?${next.toString()}>; rel="next"`);
    }
    json(res, 200, {
      registry: this.registry(),
      imageName: repository,
      manifests: slice.map((r) => this.base(repository, r)),
    });
  }

  private attributes(repository: string, record: Record): unknown {
    return { registry: this.registry(), imageName: repository, manifest: this.base(repository, record) };
  }

  private base(repository: string, record: Record): unknown {
    const tags = [...(this.tags.get(repository) ?? new Map<string, string>())]
      .filter(([, d]) => d === record.digest)
      .map(([t]) => t)
      .sort();
    return {
      ...record,
      changeableAttributes: { ...record.changeableAttributes },
      ...(tags.length ? { tags } : {}),
    };
  }

  /**
   * The refusal ACR answers for a manifest PUT (`reference`: digest or tag) or DELETE on a locked
   * manifest; undefined when the request may go on.
   */
  refuse(method: string, repository: string, reference: string, res: ServerResponse): boolean {
    const digest = reference.includes(":") ? reference : this.tags.get(repository)?.get(reference);
    const record = digest ? this.manifests.get(repository)?.get(digest) : undefined;
    if (!record) return false;
    const a = record.changeableAttributes;
    const refused =
      method === "DELETE" ? !a.writeEnabled || !a.deleteEnabled : method === "PUT" && !a.writeEnabled;
    if (!refused) return false;
    this.refusals.push(`${method} ${repository}/${reference}`);
    json(res, 405, DISALLOWED);
    return true;
  }

  /** A manifest PUT the registry accepted. */
  pushed(repository: string, reference: string, digest: string, mediaType: string, size: number): void {
    let records = this.manifests.get(repository);
    if (!records) this.manifests.set(repository, (records = new Map()));
    const now = new Date().toISOString();
    if (!records.has(digest)) {
      records.set(digest, {
        digest,
        mediaType,
        imageSize: size,
        createdTime: now,
        lastUpdateTime: now,
        changeableAttributes: {
          deleteEnabled: true,
          writeEnabled: true,
          readEnabled: true,
          listEnabled: true,
        },
      });
    }
    if (!reference.includes(":")) {
      let tags = this.tags.get(repository);
      if (!tags) this.tags.set(repository, (tags = new Map()));
      tags.set(reference, digest);
    }
  }

  /** A manifest DELETE the registry accepted: the manifest and its tags are gone. */
  deleted(repository: string, digest: string): void {
    this.manifests.get(repository)?.delete(digest);
    const tags = this.tags.get(repository);
    for (const [tag, d] of tags ?? []) if (d === digest) tags?.delete(tag);
  }

  /** The attributes of a manifest, for assertions. */
  attributesOf(repository: string, digest: string): ChangeableAttributes | undefined {
    const a = this.manifests.get(repository)?.get(digest)?.changeableAttributes;
    return a ? { ...a } : undefined;
  }

  /** Every digest held for a repository, for assertions. */
  digests(repository: string): string[] {
    return [...(this.manifests.get(repository)?.keys() ?? [])].sort();
  }
}
