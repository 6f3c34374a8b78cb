import Ajv from "ajv-draft-04";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** The official image-spec schemas from ../shared, which every manifest we write must pass. */
const SCHEMA_DIR = join(__dirname, "..", "..", "..", "shared", "oci-schemas", "image-spec-v1.1.1");

const BASE = "https://opencontainers.org/schema/image/";

function withoutIds(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutIds);
  if (typeof node !== "object" || node === null) return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(
        ([k, v]) => !(k === "id" && typeof v === "string" && v.startsWith("https://opencontainers.org/")),
      )
      .map(([k, v]) => [k, withoutIds(v)]),
  );
}

let ajv: Ajv | undefined;

function load(): Ajv {
  if (ajv) return ajv;
  ajv = new Ajv({ strict: false, allErrors: true });
  for (const file of readdirSync(SCHEMA_DIR).filter((f) => f.endsWith(".json"))) {
    const schema = JSON.parse(readFileSync(join(SCHEMA_DIR, file), "utf8")) as object;
    // The schemas refer to each other by file name relative to one base, but their nested
    // draft-04 `id`s would move that base: drop them and register each file under the base.
    ajv.addSchema(withoutIds(schema) as object, `${BASE}${file}`);
  }
  return ajv;
}

/** Throws with the schema errors unless `bytes` is a valid image manifest or index. */
export function assertValidManifest(bytes: Buffer | string): void {
  const doc = JSON.parse(bytes.toString()) as { mediaType?: string; manifests?: unknown };
  const isIndex = Array.isArray(doc.manifests);
  const id = `${BASE}${isIndex ? "image-index-schema.json" : "image-manifest-schema.json"}`;
  const validate = load().getSchema(id);
  if (!validate) throw new Error(`schema ${id} not loaded from ${SCHEMA_DIR}`);
  if (!validate(doc))
    throw new Error(
      `${isIndex ? "index" : "manifest"} fails the image-spec schema: ${JSON.stringify(validate.errors)}`,
    );
}
