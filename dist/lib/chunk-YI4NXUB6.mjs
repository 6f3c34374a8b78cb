import { createRequire as __ocigraphRequire } from "node:module"; import { fileURLToPath as __ocigraphPath } from "node:url"; import { dirname as __ocigraphDir } from "node:path"; const require = __ocigraphRequire(import.meta.url); const __filename = __ocigraphPath(import.meta.url); const __dirname = __ocigraphDir(__filename);

// src/graph/progress.ts
import { Transform } from "node:stream";
var Counter = class extends Transform {
  constructor(onBytes) {
    super();
    this.onBytes = onBytes;
  }
  onBytes;
  _transform(chunk, _e, cb) {
    this.onBytes(chunk.length);
    cb(null, chunk);
  }
};
function counted(stream, descriptor, progress) {
  if (!progress?.advance) return stream;
  const counter = new Counter((n) => progress.advance?.(descriptor, n));
  stream.on("error", (err) => counter.destroy(err));
  return stream.pipe(counter);
}
function labelOf(descriptor) {
  return descriptor.annotations?.["org.opencontainers.image.title"] ?? descriptor.mediaType;
}

export {
  counted,
  labelOf
};
