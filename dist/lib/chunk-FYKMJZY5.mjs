import { createRequire as __ocigraphRequire } from "node:module"; import { fileURLToPath as __ocigraphPath } from "node:url"; import { dirname as __ocigraphDir } from "node:path"; const require = __ocigraphRequire(import.meta.url); const __filename = __ocigraphPath(import.meta.url); const __dirname = __ocigraphDir(__filename);
import {
  prepareLayers
} from "./chunk-DMPNIEBF.mjs";
import {
  trackTemp
} from "./chunk-3Y45UJD2.mjs";
import {
  counted,
  labelOf
} from "./chunk-YI4NXUB6.mjs";
import {
  EMPTY_DESCRIPTOR,
  digestOf,
  encodeManifest,
  isIndex,
  manifestDescriptor
} from "./chunk-GS7PIS4O.mjs";
import {
  limiter
} from "./chunk-JFBLHQF4.mjs";
import {
  Annotation,
  EMPTY_JSON,
  MediaType,
  isValidMediaType
} from "./chunk-AEECXJOG.mjs";
import {
  OcigraphError
} from "./chunk-N65ZBPAW.mjs";

// src/graph/attach.ts
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
async function attach(target, subjectSelector, options) {
  checkOptions(options);
  const { subject, ...result } = await pushArtifact(target, target.resolve(subjectSelector), options);
  return { subject, ...result };
}
async function push(target, tag, options) {
  checkOptions(options);
  const { subject: _none, ...result } = await pushArtifact(
    target,
    void 0,
    { ...options, reuseExisting: false },
    tag
  );
  return result;
}
function checkOptions(options) {
  if (!isValidMediaType(options.artifactType)) {
    throw new OcigraphError("INVALID_INPUT", `"${options.artifactType}" is not a valid artifact type`, {
      usage: true,
      hint: "an artifact type is a media type: type/subtype, e.g. application/spdx+json"
    });
  }
  if (options.files.length === 0 && !Object.keys(options.annotations ?? {}).length) {
    throw new OcigraphError("INVALID_INPUT", "nothing to attach: give at least one file or an annotation", {
      usage: true
    });
  }
}
async function pushArtifact(target, subjectPending, options, tag) {
  subjectPending?.catch(() => void 0);
  const tmp = await mkdtemp(join(tmpdir(), "ocigraph-attach-"));
  const untrack = trackTemp(tmp);
  let uploads;
  try {
    const layers = await prepareLayers(options.files, tmp);
    applyFileAnnotations(layers, options.fileAnnotations);
    const subject = await subjectPending;
    const limit = limiter(options.concurrency, 4);
    uploads = Promise.all([
      // Two bytes: sending them costs no more round trips than asking whether they are there.
      target.pushBlob(EMPTY_DESCRIPTOR, { open: () => Readable.from([EMPTY_JSON]) }),
      ...layers.map((layer) => limit(() => pushLayer(target, layer, options.progress)))
    ]);
    uploads.catch(() => void 0);
    const manifest = buildManifest(subject, layers, options);
    if (subject && (options.reuseExisting ?? true)) {
      const existing = await findIdentical(target, subject, manifest);
      if (existing) {
        await uploads.catch(() => void 0);
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
      ...settled && options.deferSettle ? { settled } : {}
    };
  } catch (err) {
    await Promise.all([subjectPending?.catch(() => void 0), uploads?.catch(() => void 0)]);
    throw err;
  } finally {
    await rm(tmp, { recursive: true, force: true });
    untrack();
  }
}
var ASK_FIRST_BYTES = 1024 * 1024;
async function pushLayer(target, layer, progress) {
  const { descriptor, content } = layer;
  progress?.begin?.(descriptor, labelOf(descriptor));
  if (descriptor.size > ASK_FIRST_BYTES && await target.exists(descriptor)) {
    return progress?.end?.(descriptor, "exists");
  }
  await target.pushBlob(descriptor, {
    open: async () => counted(await content.open(), descriptor, progress)
  });
  progress?.end?.(descriptor, "done");
}
function applyFileAnnotations(layers, byTitle) {
  if (!byTitle) return;
  const titles = new Set(layers.map((l) => l.descriptor.annotations?.[Annotation.Title]));
  for (const title of Object.keys(byTitle)) {
    if (!titles.has(title)) {
      throw new OcigraphError(
        "INVALID_INPUT",
        `annotation file names "${title}", which is not one of the files attached`
      );
    }
  }
  for (const layer of layers) {
    const title = layer.descriptor.annotations?.[Annotation.Title];
    const extra = title ? byTitle[title] : void 0;
    if (extra) layer.descriptor.annotations = { ...layer.descriptor.annotations, ...extra };
  }
}
function buildManifest(subject, layers, options) {
  const annotations = {
    [Annotation.Created]: (options.now ?? /* @__PURE__ */ new Date()).toISOString(),
    ...options.annotations
  };
  const empty = {
    mediaType: EMPTY_DESCRIPTOR.mediaType,
    digest: EMPTY_DESCRIPTOR.digest,
    size: EMPTY_DESCRIPTOR.size
  };
  return {
    schemaVersion: 2,
    mediaType: MediaType.ImageManifest,
    artifactType: options.artifactType,
    config: empty,
    // The image-spec wants at least one layer: an annotations-only artifact carries the empty
    // descriptor as its single layer (the spec's artifact guidance, and what oras writes).
    layers: layers.length ? layers.map((l) => l.descriptor) : [{ ...empty }],
    ...subject ? { subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size } } : {},
    annotations
  };
}
function identity(manifest) {
  const annotations = { ...manifest.annotations };
  delete annotations[Annotation.Created];
  return JSON.stringify({
    artifactType: manifest.artifactType,
    layers: manifest.layers.filter((l) => l.mediaType !== MediaType.Empty).map((l) => ({
      mediaType: l.mediaType,
      digest: l.digest,
      size: l.size,
      annotations: sorted(l.annotations)
    })),
    annotations: sorted(annotations)
  });
}
function sorted(map) {
  return Object.entries(map ?? {}).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0);
}
async function findIdentical(target, subject, wanted) {
  const candidates = await target.referrers(subject, { artifactTypes: [wanted.artifactType] });
  const key = identity(wanted);
  for (const candidate of candidates) {
    const { manifest, bytes } = await target.fetchManifest(candidate);
    if (isIndex(manifest) || manifest.subject?.digest !== subject.digest) continue;
    if (identity(manifest) === key) return manifestDescriptor(manifest, bytes, candidate.digest);
  }
  return void 0;
}

export {
  attach,
  push
};
