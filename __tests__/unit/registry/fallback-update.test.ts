// updateFallbackIndex against a small registry on loopback that stores manifests by tag, with
// If-Match honoured or ignored, and scripted concurrent or stale writers.
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Descriptor, ImageIndex } from "../../../src/oci/manifest.js";
import { MediaType } from "../../../src/oci/media-types.js";
import { fallbackTag } from "../../../src/oci/referrers-index.js";
import { RegistryClient } from "../../../src/registry/client.js";
import type { RepositoryContext } from "../../../src/registry/context.js";
import {
  type FallbackState,
  type FallbackTiming,
  updateFallbackIndex,
} from "../../../src/registry/fallback-update.js";
import { readFallbackIndex } from "../../../src/registry/referrers.js";
import { createTransport, type Transport } from "../../../src/connect/transport.js";
import { FallbackWriter, type FallbackObserver } from "../../../src/registry/fallback-writer.js";

const REPO = "team/app";
const TIMING: FallbackTiming = {
  staleReadMs: 50,
  settleMs: 200,
  contendedSettleMs: 500,
  pollMs: 20,
  timeoutMs: 15_000,
};

const sha256 = (data: Buffer | string): string => `sha256:${createHash("sha256").update(data).digest("hex")}`;

interface Stored {
  bytes: Buffer;
  contentType: string;
}

interface Put {
  tag: string;
  ifMatch: string | undefined;
  ifNoneMatch: string | undefined;
  status: number;
  digests: string[];
}

/** A registry that keeps manifests by tag (and by digest), with ETag = `"<digest>"`. */
class TagStore {
  private server: Server | undefined;
  readonly byTag = new Map<string, Stored>();
  readonly puts: Put[] = [];
  host = "";
  /** Runs after a PUT to a tag was stored (before answering): the scripted other writer. */
  afterPut: ((tag: string, stored: Stored) => void) | undefined;
  /** Runs before a conditional PUT is checked: a writer that slips in between read and write. */
  beforeConditionalPut: ((tag: string) => void) | undefined;
  /** Delays every GET answer (a slow link or registry). */
  readDelayMs = 0;
  /** Answers a PUT with this status and error code instead of storing it, when it returns one. */
  refusePut: ((tag: string) => { status: number; code: string } | undefined) | undefined;
  /** Answers a HEAD by digest with this status, when it returns one. */
  headStatus: ((digest: string) => number | undefined) | undefined;
  /** The Accept header of every HEAD. */
  readonly headAccepts: (string | undefined)[] = [];
  /** Refuses deletes (405), as distribution does unless storage.delete.enabled. */
  refuseDeletes = false;
  deletes = 0;
  /** When set, PUTs need a bearer token, which /token hands out after this many ms. */
  tokenDelayMs: number | undefined;
  /** For each PUT stored: ms since the last GET of a manifest was answered (the read it merged). */
  readonly storedPutAges: number[] = [];
  private lastReadAt = 0;
  /** Sends no ETag on GET and compares If-Match with a weak one: our conditions never match. */
  foreignEtags = false;

  constructor(private readonly honourIfMatch: boolean) {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const answer = (): void => this.handle(req, Buffer.concat(chunks), res);
        if (req.method === "GET" && this.readDelayMs > 0) setTimeout(answer, this.readDelayMs);
        else answer();
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    this.host = `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server?.closeAllConnections();
      this.server?.close(() => resolve());
    });
  }

  /** Stores as another writer would, bypassing HTTP. */
  store(tag: string, value: unknown, contentType: string = MediaType.ImageIndex): Stored {
    const stored = {
      bytes: Buffer.isBuffer(value) ? value : Buffer.from(JSON.stringify(value)),
      contentType,
    };
    this.byTag.set(tag, stored);
    return stored;
  }

  index(tag: string): ImageIndex | undefined {
    const stored = this.byTag.get(tag);
    return stored ? (JSON.parse(stored.bytes.toString()) as ImageIndex) : undefined;
  }

  private find(ref: string): Stored | undefined {
    if (ref.includes(":")) return [...this.byTag.values()].find((s) => sha256(s.bytes) === ref);
    return this.byTag.get(ref);
  }

  private handle(req: IncomingMessage, body: Buffer, res: ServerResponse): void {
    const prefix = `/v2/${REPO}/manifests/`;
    const path = new URL(req.url ?? "/", "http://x").pathname;
    if (path === "/token" && this.tokenDelayMs !== undefined) {
      setTimeout(() => res.writeHead(200).end(JSON.stringify({ token: "t" })), this.tokenDelayMs);
      return;
    }
    if (req.method === "PUT" && this.tokenDelayMs !== undefined && req.headers.authorization !== "Bearer t") {
      res
        .writeHead(401, {
          "www-authenticate": `Bearer realm="http://${this.host}/token",service="test",scope="repository:${REPO}:pull,push"`,
        })
        .end();
      return;
    }
    if (!path.startsWith(prefix)) {
      res.writeHead(404, { "content-type": "text/plain" }).end("404 page not found");
      return;
    }
    const ref = decodeURIComponent(path.slice(prefix.length));
    const current = this.find(ref);
    if (req.method === "HEAD") this.headAccepts.push(req.headers.accept);
    const headStatus = req.method === "HEAD" ? this.headStatus?.(ref) : undefined;
    if (headStatus !== undefined) {
      res.writeHead(headStatus).end();
      return;
    }
    if (req.method === "GET" || req.method === "HEAD") {
      if (!current) {
        res
          .writeHead(404, { "content-type": "application/json" })
          .end(JSON.stringify({ errors: [{ code: "MANIFEST_UNKNOWN", message: "manifest unknown" }] }));
        return;
      }
      const digest = sha256(current.bytes);
      res.writeHead(200, {
        "content-type": current.contentType,
        "content-length": current.bytes.length,
        "docker-content-digest": digest,
        ...(this.foreignEtags ? {} : { etag: `"${digest}"` }),
      });
      res.end(req.method === "GET" ? current.bytes : undefined);
      if (req.method === "GET") this.lastReadAt = Date.now();
      return;
    }
    if (req.method === "PUT") {
      const ifMatch = req.headers["if-match"];
      const ifNoneMatch = req.headers["if-none-match"];
      if (this.honourIfMatch && (ifMatch || ifNoneMatch)) this.beforeConditionalPut?.(ref);
      const now = this.byTag.get(ref);
      const etag = now ? `${this.foreignEtags ? "W/" : ""}"${sha256(now.bytes)}"` : undefined;
      const refused =
        this.honourIfMatch &&
        ((ifMatch !== undefined && ifMatch !== etag) || (ifNoneMatch === "*" && now !== undefined));
      const digests = (JSON.parse(body.toString()) as ImageIndex).manifests?.map((d) => d.digest) ?? [];
      const refusal = this.refusePut?.(ref);
      if (refusal) {
        this.puts.push({ tag: ref, ifMatch, ifNoneMatch, status: refusal.status, digests });
        res
          .writeHead(refusal.status, { "content-type": "application/json" })
          .end(JSON.stringify({ errors: [{ code: refusal.code, message: "refused" }] }));
        return;
      }
      this.puts.push({ tag: ref, ifMatch, ifNoneMatch, status: refused ? 412 : 201, digests });
      if (refused) {
        res.writeHead(412).end();
        return;
      }
      this.storedPutAges.push(Date.now() - this.lastReadAt);
      const stored = this.store(ref, body, req.headers["content-type"] ?? "");
      this.afterPut?.(ref, stored);
      res.writeHead(201, { "docker-content-digest": sha256(body) }).end();
      return;
    }
    if (req.method === "DELETE") {
      this.deletes++;
      if (this.refuseDeletes) {
        res.writeHead(405).end();
        return;
      }
      for (const [tag, stored] of this.byTag) if (sha256(stored.bytes) === ref) this.byTag.delete(tag);
      res.writeHead(202).end();
      return;
    }
    res.writeHead(405).end();
  }
}

function referrer(n: number): Descriptor {
  return {
    mediaType: MediaType.ImageManifest,
    digest: `sha256:${n.toString(16).padStart(64, "0")}`,
    size: 500 + n,
    artifactType: `application/vnd.test.r${n}`,
  };
}

const subjectManifest = {
  schemaVersion: 2,
  mediaType: MediaType.ImageManifest,
  config: { mediaType: MediaType.Empty, digest: sha256("{}"), size: 2 },
  layers: [],
};
const SUBJECT_BYTES = Buffer.from(JSON.stringify(subjectManifest));
const SUBJECT = sha256(SUBJECT_BYTES);
const TAG = fallbackTag(SUBJECT);

function indexOf(entries: Descriptor[]): ImageIndex {
  return { schemaVersion: 2, mediaType: MediaType.ImageIndex, manifests: entries };
}

async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (err) {
    return { code: (err as { code: string }).code, message: (err as Error).message };
  }
  throw new Error("expected a failure");
}

describe("updateFallbackIndex", () => {
  let transport: Transport;
  let store: TagStore;
  let ctx: RepositoryContext;
  /** A scripted writer's pending timer, cleared so it cannot touch the next test's store. */
  let timer: NodeJS.Timeout | undefined;

  async function open(honourIfMatch: boolean): Promise<void> {
    store = new TagStore(honourIfMatch);
    await store.start();
    const client = new RegistryClient({ host: store.host, plainHttp: true, dispatcher: transport.registry });
    ctx = {
      client,
      repository: REPO,
      name: `${store.host}/${REPO}`,
      chunkSize: 0,
      uploads: { singlePost: undefined },
    };
  }

  beforeAll(() => {
    transport = createTransport({ maxRetries: 1, minRetryDelayMs: 10 });
  });

  afterEach(async () => {
    clearTimeout(timer);
    timer = undefined;
    await store?.stop();
  });

  afterAll(async () => {
    await transport.close();
  });

  describe("when the registry honours If-Match", () => {
    beforeEach(() => open(true));

    it("probes once, detects it, and writes with If-None-Match on a new tag", async () => {
      const state: FallbackState = { ifMatchHonoured: undefined };
      await updateFallbackIndex(ctx, SUBJECT, { add: [referrer(1)] }, state, TIMING);
      expect(state.ifMatchHonoured).toBe(true);
      expect(store.index(TAG)?.manifests).toEqual([referrer(1)]);
      expect(store.puts[0]).toMatchObject({ status: 412 });
      expect(store.puts[0]?.ifMatch).toMatch(/^"ocigraph-probe-/);
      expect(store.puts.slice(1)).toEqual([
        { tag: TAG, ifMatch: undefined, ifNoneMatch: "*", status: 201, digests: [referrer(1).digest] },
      ]);

      // A second update on the same state does not probe again, and compares with the ETag.
      await updateFallbackIndex(ctx, SUBJECT, { add: [referrer(2)] }, state, TIMING);
      expect(store.puts.map((p) => p.status)).toEqual([412, 201, 201]);
      const second = store.puts[2]!;
      expect(second.ifMatch).toBe(`"${sha256(JSON.stringify(indexOf([referrer(1)])))}"`);
      expect(second.digests).toEqual([referrer(1).digest, referrer(2).digest]);
    });

    it("re-reads and re-merges when another writer changed the index between read and write", async () => {
      store.store(TAG, indexOf([referrer(1)]));
      const state: FallbackState = { ifMatchHonoured: true };
      let slipped = 0;
      store.beforeConditionalPut = (tag) => {
        if (slipped++ < 2) {
          const now = store.index(tag)!;
          store.store(tag, indexOf([...now.manifests, referrer(100 + slipped)]));
        }
      };
      await updateFallbackIndex(ctx, SUBJECT, { add: [referrer(2)] }, state, TIMING);
      expect(store.puts.map((p) => p.status)).toEqual([412, 412, 201]);
      expect(
        store
          .index(TAG)
          ?.manifests.map((d) => d.digest)
          .sort(),
      ).toEqual([referrer(1), referrer(2), referrer(101), referrer(102)].map((d) => d.digest).sort());
    });

    it("loses no entry when many writers update at once", async () => {
      const writers = Array.from({ length: 8 }, (_, i) => referrer(i + 1));
      await Promise.all(
        writers.map((d) =>
          updateFallbackIndex(ctx, SUBJECT, { add: [d] }, { ifMatchHonoured: undefined }, TIMING),
        ),
      );
      expect(
        store
          .index(TAG)
          ?.manifests.map((d) => d.digest)
          .sort(),
      ).toEqual(writers.map((d) => d.digest).sort());
      // Every successful write was conditional: none could have overwritten another blindly.
      for (const put of store.puts.filter((p) => p.status === 201)) {
        expect(put.ifMatch ?? put.ifNoneMatch).toBeDefined();
      }
    });

    it("fails clearly when every conditional write gets a 412 though nobody changed the index", async () => {
      store.store(TAG, indexOf([referrer(1)]));
      store.foreignEtags = true;
      const state: FallbackState = { ifMatchHonoured: true };
      const err = await failure(updateFallbackIndex(ctx, SUBJECT, { add: [referrer(2)] }, state, TIMING));
      expect(err).toMatchObject({ code: "UNSUPPORTED" });
      expect(err.message).toMatch(/refuses every conditional write \(412\) though the index has not changed/);
      // It never falls back to unconditional writes: writers trusting If-Match would be at risk.
      expect(store.puts.map((p) => p.status)).toEqual([412, 412, 412]);
      expect(state.ifMatchHonoured).toBe(true);
      expect(store.index(TAG)?.manifests).toEqual([referrer(1)]);
    });

    it("removes an entry and deletes the index once it is empty", async () => {
      store.store(TAG, indexOf([referrer(1), referrer(2)]));
      const state: FallbackState = { ifMatchHonoured: true };
      await updateFallbackIndex(ctx, SUBJECT, { remove: new Set([referrer(1).digest]) }, state, TIMING);
      expect(store.index(TAG)?.manifests).toEqual([referrer(2)]);
      await updateFallbackIndex(ctx, SUBJECT, { remove: new Set([referrer(2).digest]) }, state, TIMING);
      expect(store.byTag.has(TAG)).toBe(false);
    });
  });

  describe("when the registry ignores If-Match", () => {
    beforeEach(() => open(false));

    it("never writes from reads slower than the staleness bound, and says the link is too slow", async () => {
      store.store(TAG, indexOf([referrer(1)]));
      store.readDelayMs = TIMING.staleReadMs * 2;
      const state: FallbackState = { ifMatchHonoured: false };
      const err = await updateFallbackIndex(ctx, SUBJECT, { add: [referrer(2)] }, state, {
        ...TIMING,
        timeoutMs: 800,
      }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: "CONFLICT" });
      expect(String((err as Error).message)).toMatch(
        /reads took up to \d+ ms, over the 50 ms a write may build on/,
      );
      expect((err as { hint?: string }).hint).toMatch(/too slow for the tag-schema fallback/);
      expect(store.puts).toEqual([]);
      expect(store.index(TAG)?.manifests).toEqual([referrer(1)]);
    });

    it("checks a write's age after the token fetch and before the resend of a 401, not before", async () => {
      store.store(TAG, indexOf([referrer(1)]));
      store.tokenDelayMs = TIMING.staleReadMs * 3;
      await updateFallbackIndex(ctx, SUBJECT, { add: [referrer(2)] }, { ifMatchHonoured: false }, TIMING);
      expect(store.index(TAG)?.manifests).toEqual([referrer(1), referrer(2)]);
      expect(store.storedPutAges.length).toBeGreaterThan(0);
      for (const age of store.storedPutAges) expect(age).toBeLessThan(TIMING.staleReadMs);
    });

    it("detects it with the probe", async () => {
      const state: FallbackState = { ifMatchHonoured: undefined };
      await updateFallbackIndex(ctx, SUBJECT, { add: [referrer(1)] }, state, TIMING);
      expect(state.ifMatchHonoured).toBe(false);
      expect(store.puts[0]?.ifMatch).toMatch(/^"ocigraph-probe-/);
      expect(store.index(TAG)?.manifests).toEqual([referrer(1)]);
    });

    it("batches changes made while an update runs into it, and repairs a stale overwrite of a late one", async () => {
      const updates: Parameters<FallbackObserver>[0][] = [];
      const writer = new FallbackWriter(ctx, { ifMatchHonoured: false }, TIMING, (u) => updates.push(u));
      const first = writer.add(SUBJECT, referrer(1));
      const second = writer.add(SUBJECT, referrer(2)); // same tick: in the first read-merge-write
      await first.inPlace;
      expect(writer.overlay(SUBJECT, []).map((d) => d.digest)).toEqual(
        [referrer(1), referrer(2)].map((d) => d.digest),
      );
      // Joins while the window runs; a stale writer then drops it: the shared update puts it back.
      const late = referrer(3);
      let dropped = false;
      store.afterPut = (tag, stored) => {
        if (dropped || !stored.bytes.toString().includes(late.digest)) return;
        dropped = true;
        store.store(tag, indexOf([referrer(1), referrer(2)]));
      };
      const third = writer.add(SUBJECT, late);
      await Promise.all([first.settled, second.settled, third.settled]);
      expect(dropped).toBe(true);
      expect(updates.map((u) => u.changes)).toEqual([3]);
      expect(
        store
          .index(TAG)
          ?.manifests.map((d) => d.digest)
          .sort(),
      ).toEqual([referrer(1), referrer(2), late].map((d) => d.digest).sort());
      expect(writer.overlay(SUBJECT, [])).toEqual([]); // settled: nothing of ours is pending
      // A change after the update ended starts a new one.
      await writer.add(SUBJECT, referrer(4)).settled;
      expect(updates.map((u) => u.changes)).toEqual([3, 1]);
    });

    it("repairs a stale writer's overwrite that lands right after our write", async () => {
      store.store(TAG, indexOf([referrer(1)]));
      const ours = referrer(2);
      const stale = referrer(3);
      let fired = false;
      store.afterPut = (tag, stored) => {
        if (fired || !stored.bytes.toString().includes(ours.digest)) return;
        fired = true;
        // Merged from a read taken before our write: it has never seen our entry.
        store.store(tag, indexOf([referrer(1), stale]));
      };
      await updateFallbackIndex(ctx, SUBJECT, { add: [ours] }, { ifMatchHonoured: false }, TIMING);
      expect(fired).toBe(true);
      expect(store.puts.filter((p) => p.digests.includes(ours.digest)).length).toBeGreaterThanOrEqual(2);
      expect(
        store
          .index(TAG)
          ?.manifests.map((d) => d.digest)
          .sort(),
      ).toEqual([referrer(1), ours, stale].map((d) => d.digest).sort());
    });

    it("repairs a stale overwrite that lands while it waits for the index to settle", async () => {
      const ours = referrer(2);
      const server = store;
      let overwritten = false;
      server.afterPut = (tag, stored) => {
        if (timer || !stored.bytes.toString().includes(ours.digest)) return;
        // Well inside the 200 ms settle window, after the writer has seen its entry in place.
        timer = setTimeout(() => {
          server.store(tag, indexOf([referrer(7)]));
          overwritten = true;
        }, 60);
      };
      await updateFallbackIndex(ctx, SUBJECT, { add: [ours] }, { ifMatchHonoured: false }, TIMING);
      expect(overwritten).toBe(true);
      expect(
        store
          .index(TAG)
          ?.manifests.map((d) => d.digest)
          .sort(),
      ).toEqual([ours, referrer(7)].map((d) => d.digest).sort());
    });

    it("alone, settles after settleMs, not the contended window", async () => {
      store.store(TAG, indexOf([referrer(1)]));
      const started = Date.now();
      await updateFallbackIndex(ctx, SUBJECT, { add: [referrer(2)] }, { ifMatchHonoured: undefined }, TIMING);
      const took = Date.now() - started;
      expect(took).toBeGreaterThanOrEqual(TIMING.settleMs);
      expect(took).toBeLessThan(TIMING.contendedSettleMs);
    });

    it("once another writer changes the index, waits until it has been quiet for contendedSettleMs", async () => {
      const ours = referrer(2);
      let changedAt = 0;
      store.afterPut = (tag, stored) => {
        if (timer || !stored.bytes.toString().includes(ours.digest)) return;
        // Another writer's up-to-date write, after ours: our entry stays, but writers exist.
        timer = setTimeout(() => {
          store.store(tag, indexOf([ours, referrer(5)]));
          changedAt = Date.now();
        }, 100);
      };
      await updateFallbackIndex(ctx, SUBJECT, { add: [ours] }, { ifMatchHonoured: false }, TIMING);
      expect(changedAt).toBeGreaterThan(0);
      expect(Date.now() - changedAt).toBeGreaterThanOrEqual(TIMING.contendedSettleMs);
      expect(store.puts.filter((p) => p.digests.includes(ours.digest))).toHaveLength(1);
    });

    it("never sends a refused write again as it was: a 503 is followed by a fresh read and merge", async () => {
      const ours = referrer(2);
      const other = referrer(5);
      let refused = 0;
      store.refusePut = (tag) => {
        if (refused++ > 0) return undefined;
        // Another writer's entry lands while ours is refused: a resend of our merge would drop it.
        store.store(tag, indexOf([other]));
        return { status: 503, code: "UNAVAILABLE" };
      };
      await updateFallbackIndex(ctx, SUBJECT, { add: [ours] }, { ifMatchHonoured: false }, TIMING);
      expect(store.puts[0]).toMatchObject({ status: 503, digests: [ours.digest] });
      for (const put of store.puts.slice(1)) expect(put.digests).toContain(other.digest);
      expect(store.index(TAG)?.manifests.map((d) => d.digest)).toEqual([other.digest, ours.digest]);
    });

    it("prunes an entry only when its manifest answers 404, never on a passing 500", async () => {
      store.store(TAG, indexOf([referrer(1)]));
      store.refusePut = () => ({ status: 400, code: "MANIFEST_BLOB_UNKNOWN" });
      store.headStatus = () => 500;
      const state: FallbackState = { ifMatchHonoured: false };
      const err = await failure(updateFallbackIndex(ctx, SUBJECT, { add: [referrer(2)] }, state, TIMING));
      expect(err.message).toMatch(/checking a referrers index entry/);
      // Asked as an OCI manifest: distribution answers 404 for one asked without.
      expect(store.headAccepts.length).toBeGreaterThan(0);
      for (const accept of store.headAccepts) expect(accept).toContain(MediaType.ImageManifest);
      expect(store.puts.every((p) => p.digests.includes(referrer(1).digest))).toBe(true);

      // A 404 is gone: the entry is pruned and the write goes through.
      store.refusePut = () =>
        store.puts.length > 1 ? undefined : { status: 400, code: "MANIFEST_BLOB_UNKNOWN" };
      store.headStatus = (digest) => (digest === referrer(1).digest ? 404 : 200);
      store.puts.length = 0;
      await updateFallbackIndex(ctx, SUBJECT, { add: [referrer(2)] }, state, TIMING);
      expect(store.index(TAG)?.manifests).toEqual([referrer(2)]);
    });

    it("never prunes its own entry: one deleted meanwhile is an error, and the index stays", async () => {
      store.store(TAG, indexOf([referrer(1)]));
      store.refusePut = () => ({ status: 400, code: "MANIFEST_BLOB_UNKNOWN" });
      store.headStatus = () => 404;
      const err = await failure(
        updateFallbackIndex(ctx, SUBJECT, { add: [referrer(2)] }, { ifMatchHonoured: false }, TIMING),
      );
      expect(err).toMatchObject({ code: "NOT_FOUND" });
      expect(err.message).toMatch(/the referrer being indexed is no longer in the registry/);
      expect(store.index(TAG)?.manifests).toEqual([referrer(1)]);
    });

    it("removes the last entry: deletes the index, or writes it empty where deletes are refused", async () => {
      store.store(TAG, indexOf([referrer(1)]));
      const remove = new Set([referrer(1).digest]);
      await updateFallbackIndex(ctx, SUBJECT, { remove }, { ifMatchHonoured: false }, TIMING);
      expect(store.byTag.has(TAG)).toBe(false);

      store.store(TAG, indexOf([referrer(1)]));
      store.refuseDeletes = true;
      const state: FallbackState = { ifMatchHonoured: false };
      await updateFallbackIndex(ctx, SUBJECT, { remove }, state, TIMING);
      expect(store.index(TAG)?.manifests).toEqual([]);
      expect(state.deletesRefused).toBe(true); // asked once: later removals write the empty index
      expect(store.deletes).toBe(2);
    });

    it("gives up after repeated passing refusals, saying what the registry answered", async () => {
      store.refusePut = () => ({ status: 500, code: "UNKNOWN" });
      const err = await failure(
        updateFallbackIndex(ctx, SUBJECT, { add: [referrer(2)] }, { ifMatchHonoured: false }, TIMING),
      );
      expect(err.code).toBe("REGISTRY");
      expect(store.puts).toHaveLength(7); // once each: the transport does not resend them
    });

    it("repairs a stale writer that puts a removed entry back", async () => {
      store.store(TAG, indexOf([referrer(1), referrer(2)]));
      let fired = false;
      store.afterPut = (tag) => {
        if (fired) return;
        fired = true;
        store.store(tag, indexOf([referrer(1), referrer(2), referrer(3)]));
      };
      const remove = new Set([referrer(1).digest]);
      await updateFallbackIndex(ctx, SUBJECT, { remove }, { ifMatchHonoured: false }, TIMING);
      expect(fired).toBe(true);
      expect(store.index(TAG)?.manifests).toEqual([referrer(2), referrer(3)]);
    });
  });

  describe("refuses a fallback tag that is not a referrers index", () => {
    beforeEach(() => open(false));

    it.each([
      [
        "resolves to the subject itself",
        () => store.store(TAG, SUBJECT_BYTES, MediaType.ImageManifest),
        "itself",
      ],
      [
        "holds an image manifest",
        () => store.store(TAG, { ...subjectManifest, annotations: { other: "x" } }, MediaType.ImageManifest),
        "not an OCI image index",
      ],
      [
        "holds a Docker manifest list",
        () =>
          store.store(
            TAG,
            { schemaVersion: 2, mediaType: MediaType.DockerManifestList, manifests: [] },
            MediaType.DockerManifestList,
          ),
        "not an OCI image index",
      ],
    ])("when it %s", async (_what, seed, says) => {
      seed();
      const before = store.byTag.get(TAG);
      const err = await failure(
        updateFallbackIndex(ctx, SUBJECT, { add: [referrer(1)] }, { ifMatchHonoured: undefined }, TIMING),
      );
      expect(err.code).toBe("INVALID_CONTENT");
      expect(err.message).toContain(TAG);
      expect(err.message).toContain(says);
      expect(store.puts).toEqual([]);
      expect(store.byTag.get(TAG)).toBe(before);
      expect((await failure(readFallbackIndex(ctx, SUBJECT))).code).toBe("INVALID_CONTENT");
    });
  });
});
