import { mkdtemp, rm } from "node:fs/promises";
import { trackTemp } from "../util/temp-paths.js";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { digestOf } from "../oci/digest.js";
import { OcigraphError } from "../oci/errors.js";
import {
  type Descriptor,
  type ImageManifest,
  EMPTY_DESCRIPTOR,
  encodeManifest,
  isIndex,
  manifestDescriptor,
} from "../oci/manifest.js";
import { Annotation, EMPTY_JSON, MediaType, isValidMediaType } from "../oci/media-types.js";
import type { Target } from "../oci/target.js";
import { limiter } from "../util/limit.js";
import { type FileSpec, type PreparedLayer, prepareLayers } from "./files.js";
import { type TransferProgress, counted, labelOf } from "./progress.js";

export interface AttachOptions {
  /** Required: the artifact's type, e.g. `application/spdx+json`. */
  artifactType: string;
  files: readonly FileSpec[];
  /** Manifest annotations; `org.opencontainers.image.created` is added unless given. */
  annotations?: Record<string, string>;
  /** Per-file annotations by layer title (ORAS annotation file entries). */
  fileAnnotations?: Record<string, Record<string, string>>;
  /** When an identical artifact already refers to the subject, reuse it (default true). */
  reuseExisting?: boolean;
  /** Parallel blob uploads; 0 means the default (4). */
  concurrency?: number;
  /** Time stamp for `created`; defaults to now. */
  now?: Date;
  progress?: TransferProgress;
  /**
   * Return as soon as the referrer is indexed, with the tag-schema settle window still running
   * in {@link AttachResult.settled}, so that several attaches of one run share one window.
   * The caller must await `settled` before it reports success. Default false: attach waits.
   */
  deferSettle?: boolean;
}

export interface AttachResult {
  subject: Descriptor;
  /** The referrer manifest, pushed or reused. */
  descriptor: Descriptor;
  reused: boolean;
  layers: Descriptor[];
  /** With `deferSettle`: resolves when the tag-schema index update is safe (see Target). */
  settled?: Promise<void>;
}

/**
 * Attaches files as one artifact referring to `subject`: an image manifest with the empty
 * config, `artifactType` and `subject` (never the withdrawn artifact manifest). Idempotent:
 * an identical artifact already attached (same type, layers, titles and annotations, `created`
 * aside) is reported and nothing is pushed.
 */
export async function attach(
  target: Target,
  subjectSelector: string,
  options: AttachOptions,
): Promise<AttachResult> {
  checkOptions(options);
  const { subject, ...result } = await pushArtifact(target, target.resolve(subjectSelector), options);
  return { subject: subject as Descriptor, ...result };
}

/**
 * Pushes an artifact (files as layers, empty config) with no subject and tags it: what
 * `oras push` does, and how a demo or test makes something to attach to.
 */
export async function push(
  target: Target,
  tag: string,
  options: AttachOptions,
): Promise<Omit<AttachResult, "subject">> {
  checkOptions(options);
  const { subject: _none, ...result } = await pushArtifact(
    target,
    undefined,
    { ...options, reuseExisting: false },
    tag,
  );
  return result;
}

function checkOptions(options: AttachOptions): void {
  if (!isValidMediaType(options.artifactType)) {
    throw new OcigraphError("INVALID_INPUT", `"${options.artifactType}" is not a valid artifact type`, {
      usage: true,
      hint: "an artifact type is a media type: type/subtype, e.g. application/spdx+json",
    });
  }
  if (options.files.length === 0 && !Object.keys(options.annotations ?? {}).length) {
    throw new OcigraphError("INVALID_INPUT", "nothing to attach: give at least one file or an annotation", {
      usage: true,
    });
  }
}

/**
 * Round trips overlap wherever order does not matter: the files are packed while the subject
 * resolves, and the blobs upload while its referrers are searched for an identical artifact (if
 * there is one, its blobs were already there: the uploads changed nothing). Nothing is sent
 * before the subject resolved, so a wrong reference writes nothing; the manifest waits for both.
 */
async function pushArtifact(
  target: Target,
  subjectPending: Promise<Descriptor> | undefined,
  options: AttachOptions,
  tag?: string,
): Promise<Omit<AttachResult, "subject"> & { subject: Descriptor | undefined }> {
  subjectPending?.catch(() => undefined); // awaited below, after the files are packed
  const tmp = await mkdtemp(join(tmpdir(), "ocigraph-attach-"));
  const untrack = trackTemp(tmp);
  let uploads: Promise<unknown> | undefined;
  try {
    const layers = await prepareLayers(options.files, tmp);
    applyFileAnnotations(layers, options.fileAnnotations);
    const subject = await subjectPending;
    const limit = limiter(options.concurrency, 4);
    uploads = Promise.all([
      // Two bytes: sending them costs no more round trips than asking whether they are there.
      target.pushBlob(EMPTY_DESCRIPTOR, { open: () => Readable.from([EMPTY_JSON]) }),
      ...layers.map((layer) => limit(() => pushLayer(target, layer, options.progress))),
    ]);
    uploads.catch(() => undefined); // awaited below; a failed search may return first
    const manifest = buildManifest(subject, layers, options);
    if (subject && (options.reuseExisting ?? true)) {
      const existing = await findIdentical(target, subject, manifest);
      if (existing) {
        await uploads.catch(() => undefined); // nothing of them is used; never leave them running
        return { subject, descriptor: existing, reused: true, layers: manifest.layers };
      }
    }
    await uploads;
    const bytes = encodeManifest(manifest);
    const descriptor = manifestDescriptor(manifest, bytes, digestOf(bytes));
    const { settled } = await target.pushManifest(descriptor, bytes, tag);
    if (settled && !options.deferSettle) await settled;
    return {
      subject,
      descriptor,
      reused: false,
      layers: manifest.layers,
      ...(settled && options.deferSettle ? { settled } : {}),
    };
  } catch (err) {
    // Report the first failure, and leave nothing running on the files about to be removed.
    await Promise.all([subjectPending?.catch(() => undefined), uploads?.catch(() => undefined)]);
    throw err;
  } finally {
    await rm(tmp, { recursive: true, force: true });
    untrack();
  }
}

/** Blobs up to this size are sent without asking `exists` first: asking costs a round trip. */
const ASK_FIRST_BYTES = 1024 * 1024;

async function pushLayer(
  target: Target,
  layer: PreparedLayer,
  progress: TransferProgress | undefined,
): Promise<void> {
  const { descriptor, content } = layer;
  progress?.begin?.(descriptor, labelOf(descriptor));
  if (descriptor.size > ASK_FIRST_BYTES && (await target.exists(descriptor))) {
    return progress?.end?.(descriptor, "exists");
  }
  await target.pushBlob(descriptor, {
    open: async () => counted(await content.open(), descriptor, progress),
  });
  progress?.end?.(descriptor, "done");
}

function applyFileAnnotations(layers: PreparedLayer[], byTitle: AttachOptions["fileAnnotations"]): void {
  if (!byTitle) return;
  const titles = new Set(layers.map((l) => l.descriptor.annotations?.[Annotation.Title]));
  for (const title of Object.keys(byTitle)) {
    if (!titles.has(title)) {
      throw new OcigraphError(
        "INVALID_INPUT",
        `annotation file names "${title}", which is not one of the files attached`,
      );
    }
  }
  for (const layer of layers) {
    const title = layer.descriptor.annotations?.[Annotation.Title];
    const extra = title ? byTitle[title] : undefined;
    if (extra) layer.descriptor.annotations = { ...layer.descriptor.annotations, ...extra };
  }
}

function buildManifest(
  subject: Descriptor | undefined,
  layers: PreparedLayer[],
  options: AttachOptions,
): ImageManifest {
  const annotations = {
    [Annotation.Created]: (options.now ?? new Date()).toISOString(),
    ...options.annotations,
  };
  const empty = {
    mediaType: EMPTY_DESCRIPTOR.mediaType,
    digest: EMPTY_DESCRIPTOR.digest,
    size: EMPTY_DESCRIPTOR.size,
  };
  return {
    schemaVersion: 2,
    mediaType: MediaType.ImageManifest,
    artifactType: options.artifactType,
    config: empty,
    // The image-spec wants at least one layer: an annotations-only artifact carries the empty
    // descriptor as its single layer (the spec's artifact guidance, and what oras writes).
    layers: layers.length ? layers.map((l) => l.descriptor) : [{ ...empty }],
    ...(subject
      ? { subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size } }
      : {}),
    annotations,
  };
}

/** What makes two artifacts the same for idempotency: everything but `created`. */
function identity(manifest: ImageManifest): string {
  const annotations = { ...manifest.annotations };
  delete annotations[Annotation.Created];
  return JSON.stringify({
    artifactType: manifest.artifactType,
    layers: manifest.layers
      // An annotations-only artifact written before the empty layer was added had `layers: []`.
      .filter((l) => l.mediaType !== MediaType.Empty)
      .map((l) => ({
        mediaType: l.mediaType,
        digest: l.digest,
        size: l.size,
        annotations: sorted(l.annotations),
      })),
    annotations: sorted(annotations),
  });
}

function sorted(map: Record<string, string> | undefined): [string, string][] {
  return Object.entries(map ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

async function findIdentical(
  target: Target,
  subject: Descriptor,
  wanted: ImageManifest,
): Promise<Descriptor | undefined> {
  const candidates = await target.referrers(subject, { artifactTypes: [wanted.artifactType as string] });
  const key = identity(wanted);
  for (const candidate of candidates) {
    const { manifest, bytes } = await target.fetchManifest(candidate);
    if (isIndex(manifest) || manifest.subject?.digest !== subject.digest) continue;
    if (identity(manifest) === key) return manifestDescriptor(manifest, bytes, candidate.digest);
  }
  return undefined;
}
