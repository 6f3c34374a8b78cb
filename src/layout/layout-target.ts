import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, readFile, rename, rm, stat, writeFile, open } from "node:fs/promises";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { pipeline } from "node:stream/promises";
import type { Readable } from "node:stream";
import lockfile from "proper-lockfile";
import { checkBlobsContained } from "./contained.js";
import { OcigraphError, isOcigraphError } from "../oci/errors.js";
import { parseDigest, VerifyingStream, verifiedStream, verifyBytes, isDigest } from "../oci/digest.js";
import { type Descriptor, type ImageIndex, manifestDescriptor, parseManifest } from "../oci/manifest.js";
import { filterByArtifactType } from "../oci/referrers-index.js";
import { MediaType } from "../oci/media-types.js";
import { digestOf } from "../oci/digest.js";
import { trackTemp } from "../util/temp-paths.js";
import { reclaiming } from "../util/reclaim.js";
import { type LayoutGraph, REF_NAME, nextFallbackIndex, scanLayout, taggedEntry } from "./referrers.js";
import type {
  BlobContent,
  FetchedManifest,
  PushManifestResult,
  ReferrersQuery,
  RootLister,
  Target,
} from "../oci/target.js";

const LAYOUT_FILE = JSON.stringify({ imageLayoutVersion: "1.0.0" });

/**
 * An OCI image layout directory as a Target.
 * https://github.com/opencontainers/image-spec/blob/v1.1.1/image-layout.md
 *
 * `index.json` lists every tagged manifest (with `org.opencontainers.image.ref.name`), every
 * referrer manifest (as oras records them) and, per subject, a `sha256-<hex>` tag-schema index of
 * its referrers (as regctl records them): see ./referrers.ts. Updates to `index.json` hold a lock
 * file, so concurrent processes never lose each other's entries.
 */
export class LayoutTarget implements Target, RootLister {
  readonly name: string;
  /** The referrers graph of the last `index.json` seen (manifests are content-addressed). */
  private graph?: { key: string; graph: Promise<LayoutGraph> };

  private constructor(private readonly root: string) {
    this.name = root;
  }

  /** Opens a layout, creating it when `create` is set. NOT_FOUND when missing otherwise. */
  static async open(root: string, options: { create: boolean }): Promise<LayoutTarget> {
    const target = new LayoutTarget(root);
    const marker = join(root, "oci-layout");
    try {
      const text = await readFile(marker, "utf8");
      const parsed = JSON.parse(text) as { imageLayoutVersion?: unknown };
      if (parsed.imageLayoutVersion !== "1.0.0") throw new Error("unknown version");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") {
        throw new OcigraphError(
          "INVALID_CONTENT",
          `${root} is not a valid OCI image layout (bad oci-layout file)`,
          {
            cause: err,
          },
        );
      }
      if (!options.create) {
        throw new OcigraphError("NOT_FOUND", `no OCI image layout at ${root}`, {
          hint: "check the path, or push to it first",
        });
      }
      await mkdir(join(root, "blobs"), { recursive: true });
      await writeFile(marker, LAYOUT_FILE);
      await target.updateIndex((index) => index);
    }
    await checkBlobsContained(root);
    return target;
  }

  private blobPath(digest: string): string {
    const { algorithm, encoded } = parseDigest(digest);
    return join(this.root, "blobs", algorithm, encoded);
  }

  private async readIndex(): Promise<ImageIndex> {
    return (await this.readIndexText()).index;
  }

  private async readIndexText(): Promise<{ index: ImageIndex; text: string }> {
    let text: string;
    try {
      text = await readFile(join(this.root, "index.json"), "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") {
        return { index: { schemaVersion: 2, mediaType: MediaType.ImageIndex, manifests: [] }, text: "" };
      }
      throw err;
    }
    const parsed = parseManifest(Buffer.from(text), MediaType.ImageIndex, `${this.root}/index.json`);
    if (!("manifests" in parsed)) {
      throw new OcigraphError("INVALID_CONTENT", `${this.root}/index.json is not an image index`);
    }
    return { index: parsed, text };
  }

  /** Read-modify-write of index.json under a cross-process lock, written atomically. */
  private async updateIndex(change: (index: ImageIndex) => ImageIndex | Promise<ImageIndex>): Promise<void> {
    await mkdir(this.root, { recursive: true });
    const release = await lockfile.lock(this.root, {
      lockfilePath: join(this.root, "index.json.lock"),
      retries: { retries: 200, minTimeout: 10, maxTimeout: 200, randomize: true },
      stale: 30_000,
    });
    try {
      const next = await change(await this.readIndex());
      const tmp = join(this.root, `.index.json.${randomBytes(6).toString("hex")}.tmp`);
      const untrack = trackTemp(tmp);
      try {
        await writeFile(tmp, JSON.stringify(next));
        await rename(tmp, join(this.root, "index.json"));
      } finally {
        untrack();
      }
    } finally {
      await release();
    }
  }

  async resolve(selector: string): Promise<Descriptor> {
    const index = await this.readIndex();
    if (isDigest(selector)) {
      const listed = index.manifests.find((d) => d.digest === selector);
      if (listed) return stripRefName(listed);
      // A manifest reachable only through an index (a platform manifest) is still resolvable.
      const bytes = await this.readBlobBytes(selector).catch((err: unknown) => {
        if (isOcigraphError(err, "NOT_FOUND")) {
          throw new OcigraphError("NOT_FOUND", `${this.root}@${selector}: manifest not found`);
        }
        throw err;
      });
      const manifest = parseManifest(bytes, undefined, `${this.root}@${selector}`);
      return manifestDescriptor(manifest, bytes, selector);
    }
    const tagged = index.manifests.find((d) => d.annotations?.[REF_NAME] === selector);
    if (!tagged) {
      throw new OcigraphError("NOT_FOUND", `${this.root}:${selector}: tag not found`, {
        hint: `list the tags with: ocigraph tags --oci-layout ${this.root}`,
      });
    }
    return stripRefName(tagged);
  }

  private async readBlobBytes(digest: string): Promise<Buffer> {
    try {
      return await readFile(this.blobPath(digest));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") {
        throw new OcigraphError("NOT_FOUND", `${this.root}: blob ${digest} not found`);
      }
      throw err;
    }
  }

  async fetchManifest(selector: Descriptor | string): Promise<FetchedManifest> {
    const descriptor = typeof selector === "string" ? await this.resolve(selector) : selector;
    const bytes = await this.readBlobBytes(descriptor.digest);
    const label = `${this.root}@${descriptor.digest}`;
    verifyBytes(bytes, descriptor.digest, descriptor.size, label);
    const manifest = parseManifest(bytes, descriptor.mediaType, label);
    return { descriptor, bytes, manifest };
  }

  async fetchBlob(descriptor: Descriptor): Promise<Readable> {
    const path = this.blobPath(descriptor.digest);
    try {
      await stat(path);
    } catch {
      throw new OcigraphError("NOT_FOUND", `${this.root}: blob ${descriptor.digest} not found`);
    }
    return verifiedStream(reclaiming(createReadStream(path)), descriptor.digest, descriptor.size, this.root);
  }

  async exists(descriptor: Descriptor): Promise<boolean> {
    try {
      const info = await stat(this.blobPath(descriptor.digest));
      return info.size === descriptor.size;
    } catch {
      return false;
    }
  }

  async pushBlob(descriptor: Descriptor, content: BlobContent): Promise<void> {
    if (await this.exists(descriptor)) return;
    const path = this.blobPath(descriptor.digest);
    await mkdir(join(path, ".."), { recursive: true });
    const tmp = `${path}.${randomBytes(6).toString("hex")}.tmp`;
    const untrack = trackTemp(tmp);
    try {
      await pipeline(
        await content.open(),
        new VerifyingStream(descriptor.digest, descriptor.size, `push to ${this.root}`),
        createWriteStream(tmp),
      );
      await rename(tmp, path);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    } finally {
      untrack();
    }
  }

  async pushManifest(descriptor: Descriptor, bytes: Buffer, tag?: string): Promise<PushManifestResult> {
    verifyBytes(bytes, descriptor.digest, descriptor.size, `push to ${this.root}`);
    const manifest = parseManifest(bytes, descriptor.mediaType, `push to ${this.root}`);
    await this.writeBlobAtomically(descriptor.digest, bytes);
    const entry: Descriptor = { ...descriptor };
    const subject = manifest.subject?.digest;
    await this.updateIndex(async (index) => {
      let manifests = index.manifests;
      if (subject && !manifests.some((d) => d.digest === descriptor.digest && !d.annotations?.[REF_NAME])) {
        manifests = [...manifests, entry];
      }
      if (subject) manifests = await this.withFallback(manifests, subject, { add: entry });
      if (tag) manifests = withTag(manifests, entry, tag);
      return { ...index, manifests };
    });
    return { descriptor };
  }

  /**
   * `index.json` entries after updating the tag-schema index `sha256-<subject hex>` (regctl
   * reads referrers there). Called under the index lock, so no ocigraph writer loses an entry.
   */
  private async withFallback(
    manifests: Descriptor[],
    subject: string,
    change: { add?: Descriptor; remove?: string },
  ): Promise<Descriptor[]> {
    const index = { schemaVersion: 2 as const, manifests };
    const { tag } = nextFallbackIndex(subject, undefined, {}, this.root);
    const tagged = taggedEntry(index, tag);
    let current: { descriptor: Descriptor; bytes: Buffer } | undefined;
    if (tagged) {
      const bytes = await this.readBlobBytes(tagged.digest).catch(() => undefined);
      // A dangling tag is replaced; anything else is read and merged.
      if (bytes) current = { descriptor: stripRefName(tagged), bytes };
    }
    const next = nextFallbackIndex(subject, current, change, this.root);
    if (next.untouched) return manifests;
    if (!next.index) return change.remove && tagged ? manifests.filter((d) => d !== tagged) : manifests;
    const bytes = Buffer.from(JSON.stringify(next.index));
    const descriptor: Descriptor = {
      mediaType: MediaType.ImageIndex,
      digest: digestOf(bytes),
      size: bytes.length,
    };
    await this.writeBlobAtomically(descriptor.digest, bytes);
    return withTag(manifests, descriptor, tag);
  }

  private async writeBlobAtomically(digest: string, bytes: Buffer): Promise<void> {
    const path = this.blobPath(digest);
    await mkdir(join(path, ".."), { recursive: true });
    const tmp = `${path}.${randomBytes(6).toString("hex")}.tmp`;
    const untrack = trackTemp(tmp);
    try {
      const handle = await open(tmp, "w");
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(tmp, path);
    } finally {
      untrack();
    }
  }

  async tag(descriptor: Descriptor, tag: string): Promise<void> {
    if (!(await this.exists(descriptor))) {
      throw new OcigraphError("NOT_FOUND", `${this.root}@${descriptor.digest}: manifest not found`);
    }
    await this.updateIndex((index) => ({ ...index, manifests: withTag(index.manifests, descriptor, tag) }));
  }

  async deleteManifest(descriptor: Descriptor): Promise<void> {
    let found = false;
    const subject = await this.readBlobBytes(descriptor.digest)
      .then(
        (bytes) =>
          parseManifest(bytes, descriptor.mediaType, `${this.root}@${descriptor.digest}`).subject?.digest,
      )
      .catch(() => undefined);
    await this.updateIndex(async (index) => {
      let manifests = index.manifests.filter((d) => d.digest !== descriptor.digest);
      found = manifests.length !== index.manifests.length;
      // Out of its subject's tag-schema index too, or regctl would still list it.
      if (subject) manifests = await this.withFallback(manifests, subject, { remove: descriptor.digest });
      return { ...index, manifests };
    });
    const exists = await this.exists(descriptor);
    if (!found && !exists) {
      throw new OcigraphError("NOT_FOUND", `${this.root}@${descriptor.digest}: manifest not found`);
    }
    await rm(this.blobPath(descriptor.digest), { force: true });
  }

  async listTags(): Promise<string[]> {
    const index = await this.readIndex();
    const tags = index.manifests.map((d) => d.annotations?.[REF_NAME]).filter((t): t is string => !!t);
    return [...new Set(tags)].sort();
  }

  /** Every `index.json` entry, with its tag when it has one. */
  async listRoots(): Promise<{ descriptor: Descriptor; tag?: string }[]> {
    const index = await this.readIndex();
    return index.manifests.map((d) => {
      const tag = d.annotations?.[REF_NAME];
      return { descriptor: stripRefName(d), ...(tag ? { tag } : {}) };
    });
  }

  /**
   * Every manifest reachable from `index.json` whose own `subject` is `subject`: listed there
   * (oras), in a `sha256-<hex>` tag-schema index (regctl), or both, each once.
   */
  async referrers(subject: Descriptor, query: ReferrersQuery = {}): Promise<Descriptor[]> {
    const { index, text } = await this.readIndexText();
    if (this.graph?.key !== text) {
      const read = (digest: string) => this.readBlobBytes(digest).catch(() => undefined);
      const graph = scanLayout(index, read, this.root);
      this.graph = { key: text, graph };
      graph.catch(() => {
        if (this.graph?.graph === graph) this.graph = undefined;
      });
    }
    const found = (await this.graph.graph).referrers.get(subject.digest) ?? [];
    return filterByArtifactType([...found], query.artifactTypes);
  }

  async referrersMode(): Promise<"layout"> {
    return "layout";
  }
}

function stripRefName(d: Descriptor): Descriptor {
  if (!d.annotations?.[REF_NAME]) return d;
  const annotations = { ...d.annotations };
  delete annotations[REF_NAME];
  const { annotations: _drop, ...rest } = d;
  return Object.keys(annotations).length ? { ...rest, annotations } : rest;
}

/** Moves `tag` to `descriptor`: drops the tag from other entries, adds a tagged entry. */
function withTag(manifests: Descriptor[], descriptor: Descriptor, tag: string): Descriptor[] {
  const kept = manifests.filter((d) => d.annotations?.[REF_NAME] !== tag);
  const base = stripRefName(descriptor);
  return [...kept, { ...base, annotations: { ...base.annotations, [REF_NAME]: tag } }];
}
