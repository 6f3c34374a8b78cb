// Issue 13 (1 GiB copy, peak RSS): dead 64 KiB chunks of a long transfer are freed as it goes.
// The memory check runs the real module bundled into a small entry point in a fresh node
// process, so jest's own heap does not blur what one transfer leaves behind.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { buildSync } from "esbuild";
import { RECLAIM_EVERY_BYTES, ReclaimingPassThrough, reclaiming } from "../../../src/util/reclaim.js";

const RECLAIM = resolve(__dirname, "..", "..", "..", "src", "util", "reclaim.ts");
const MiB = 1024 * 1024;

/**
 * Streams `mib` MiB of fresh 64 KiB buffers (as socket and file reads hand them out) through a
 * relay into a sink; returns the most memory the process held in array buffers meanwhile (MiB).
 */
function peakArrayBuffers(
  relay: "ReclaimingPassThrough" | "PassThrough",
  mib: number,
  nodeArgs: string[] = [],
): number {
  const dir = mkdtempSync(join(tmpdir(), "ocigraph-reclaim-"));
  writeFileSync(
    join(dir, "entry.ts"),
    `import { PassThrough, Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { ReclaimingPassThrough } from ${JSON.stringify(RECLAIM)};
let left = ${mib * 16};
let peak = 0;
let n = 0;
const source = new Readable({ read() { this.push(left-- > 0 ? Buffer.allocUnsafeSlow(65536).fill(1) : null); } });
const sink = new Writable({
  write(chunk, _e, cb) {
    if (++n % 8 === 0) peak = Math.max(peak, process.memoryUsage().arrayBuffers);
    cb();
  },
});
pipeline(source, new ${relay}(), sink).then(() => process.stdout.write(String(peak / ${MiB})));
`,
  );
  buildSync({
    entryPoints: [join(dir, "entry.ts")],
    outfile: join(dir, "entry.js"),
    bundle: true,
    platform: "node",
    format: "cjs",
    logLevel: "error",
  });
  const res = spawnSync(process.execPath, [...nodeArgs, join(dir, "entry.js")], { encoding: "utf8" });
  if (res.status !== 0) throw new Error(`entry failed: ${res.stderr}`);
  return Number(res.stdout);
}

describe("reclaiming dead transfer chunks", () => {
  it("keeps the dead chunks of a 256 MiB stream to a few MiB", () => {
    // Without it V8 let 35 to 55 MiB pile up before collecting (a plain PassThrough here: about 33 MiB).
    const peak = peakArrayBuffers("ReclaimingPassThrough", 256);
    expect(peak).toBeLessThan((3 * RECLAIM_EVERY_BYTES) / MiB);
  });

  it("does the same when node already exposes gc (--expose-gc)", () => {
    expect(peakArrayBuffers("ReclaimingPassThrough", 256, ["--expose-gc"])).toBeLessThan(
      (3 * RECLAIM_EVERY_BYTES) / MiB,
    );
  });

  it("passes every byte through unchanged, in order", async () => {
    const chunks = [Buffer.from("abc"), Buffer.alloc(RECLAIM_EVERY_BYTES + 5, 7), Buffer.from("xyz")];
    const out: Buffer[] = [];
    await pipeline(
      Readable.from(chunks),
      new ReclaimingPassThrough(),
      new Writable({
        write(chunk: Buffer, _e, cb) {
          out.push(chunk);
          cb();
        },
      }),
    );
    expect(Buffer.concat(out).equals(Buffer.concat(chunks))).toBe(true);
  });

  it("reclaiming(): a failing source fails the reader with the source's error", async () => {
    const source = new Readable({
      read() {
        this.push(Buffer.from("partial"));
        this.destroy(Object.assign(new Error("connection reset"), { code: "ECONNRESET" }));
      },
    });
    const read = async (): Promise<void> => {
      for await (const chunk of reclaiming(source)) void chunk;
    };
    await expect(read()).rejects.toMatchObject({ code: "ECONNRESET" });
  });

  it("reclaiming(): closing the reader early closes the source", async () => {
    let destroyed = false;
    const source = new Readable({
      read() {
        this.push(Buffer.alloc(1024));
      },
      destroy(err, cb) {
        destroyed = true;
        cb(err);
      },
    });
    for await (const chunk of reclaiming(source)) {
      void chunk;
      break;
    }
    await new Promise((r) => setImmediate(r));
    expect(destroyed).toBe(true);
  });
});
