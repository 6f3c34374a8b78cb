import { OcigraphError } from "../oci/errors.js";
import { readCapped } from "./body.js";
import { headerValue } from "./client.js";
import { type RepositoryContext, pullScope, unexpected, v2Path } from "./context.js";
import { nextLink } from "./link.js";

const MAX_PAGES = 1000;
const MAX_PAGE_BYTES = 4 * 1024 * 1024;

/** Lists tags, following `Link` pages on the same origin, refusing loops. */
export async function listTags(ctx: RepositoryContext): Promise<string[]> {
  const tags: string[] = [];
  const seen = new Set<string>();
  let path: string | undefined = v2Path(ctx, "tags/list?n=1000");
  for (let page = 0; path; page++) {
    if (page >= MAX_PAGES)
      throw new OcigraphError("INVALID_CONTENT", `${ctx.name}: tag listing has over ${MAX_PAGES} pages`);
    const url = new URL(path, ctx.client.origin);
    if (url.origin !== ctx.client.origin) {
      throw new OcigraphError(
        "INVALID_CONTENT",
        `${ctx.name}: tag listing points to another host (${url.host})`,
      );
    }
    if (seen.has(url.toString()))
      throw new OcigraphError("INVALID_CONTENT", `${ctx.name}: tag listing loops`);
    seen.add(url.toString());
    const res = await ctx.client.request({ method: "GET", path: url.toString(), scopes: pullScope(ctx) });
    if (res.status === 404) {
      await res.body.dump().catch(() => undefined);
      throw new OcigraphError("NOT_FOUND", `${ctx.name}: repository not found`);
    }
    if (res.status !== 200) throw await unexpected(res, `${ctx.name}: listing tags`);
    const text = (await readCapped(res, MAX_PAGE_BYTES, ctx.name, "tag page")).toString("utf8");
    let body: { tags?: unknown };
    try {
      body = JSON.parse(text) as { tags?: unknown };
    } catch {
      throw new OcigraphError("INVALID_CONTENT", `${ctx.name}: tag listing is not JSON`);
    }
    if (Array.isArray(body.tags)) tags.push(...body.tags.filter((t): t is string => typeof t === "string"));
    path = nextLink(headerValue(res.headers, "link"));
  }
  return [...new Set(tags)];
}
