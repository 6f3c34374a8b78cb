import { ListingPrefetch, type RawLister } from "../../../src/registry/listing-prefetch";
import type { Descriptor } from "../../../src/oci/manifest";

const d = (n: number): Descriptor => ({
  mediaType: "application/vnd.oci.image.manifest.v1+json",
  digest: `sha256:${n.toString(16).padStart(64, "0")}`,
  size: 2,
});

/** A lister that records each call and answers from `answers` (a throw for an Error). */
function lister(answers: Record<string, Descriptor[] | Error>): RawLister & { calls: string[] } {
  const calls: string[] = [];
  const list = async (digest: string): Promise<Descriptor[] | undefined> => {
    calls.push(digest);
    const answer = answers[digest];
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return Object.assign(list, { calls });
}

describe("listings made one level ahead", () => {
  test("are handed out once each, and each digest is listed once however often it is named", async () => {
    const list = lister({ [d(1).digest]: [d(10)], [d(2).digest]: [] });
    const ahead = new ListingPrefetch(list);
    ahead.start([d(1).digest, d(2).digest, d(1).digest], undefined, 100);
    ahead.start([d(1).digest], undefined, 100);
    expect(await ahead.take(d(1).digest, undefined)).toEqual([d(10)]);
    expect(await ahead.take(d(1).digest, undefined)).toBeUndefined(); // the second ask lists itself
    expect(await ahead.take(d(2).digest, undefined)).toEqual([]);
    expect(await ahead.take(d(3).digest, undefined)).toBeUndefined(); // never started
    expect(list.calls).toEqual([d(1).digest, d(2).digest]);
  });

  test("a failed listing is never reported from here: the walk lists again and sees the error itself", async () => {
    const ahead = new ListingPrefetch(lister({ [d(1).digest]: new Error("boom") }));
    ahead.start([d(1).digest], undefined, 100);
    await expect(ahead.take(d(1).digest, undefined)).resolves.toBeUndefined();
  });

  test("a filtered listing is kept apart from an unfiltered one", async () => {
    const ahead = new ListingPrefetch(lister({ [d(1).digest]: [d(10)] }));
    ahead.start([d(1).digest], ["application/spdx+json"], 100);
    expect(await ahead.take(d(1).digest, undefined)).toBeUndefined();
    expect(await ahead.take(d(1).digest, ["application/spdx+json"])).toEqual([d(10)]);
  });

  test("clear drops every listing, even one still on the wire", async () => {
    let release: (value: Descriptor[]) => void = () => undefined;
    const slow: RawLister = () => new Promise((resolve) => (release = resolve));
    const ahead = new ListingPrefetch(slow);
    ahead.start([d(1).digest], undefined, 100);
    const taking = ahead.take(d(1).digest, undefined);
    await new Promise((r) => setImmediate(r));
    ahead.clear();
    release([d(10)]);
    expect(await taking).toBeUndefined();
    expect(await ahead.take(d(1).digest, undefined)).toBeUndefined();
  });

  test("holds a bounded number of descriptors that nobody has read", async () => {
    const big = Array.from({ length: 15_000 }, (_, i) => d(1000 + i));
    const ahead = new ListingPrefetch(async () => big);
    ahead.start([d(1).digest, d(2).digest], undefined, 20_000);
    const first = await ahead.take(d(1).digest, undefined);
    const second = await ahead.take(d(2).digest, undefined);
    // one of the two fits under the cap; the other is dropped (listed again on demand)
    expect([first, second].filter((x) => x !== undefined)).toHaveLength(1);
  });

  test("limits the listings in flight", async () => {
    let active = 0;
    let most = 0;
    const slow: RawLister = async () => {
      active++;
      most = Math.max(most, active);
      await new Promise((r) => setTimeout(r, 5));
      active--;
      return [];
    };
    const ahead = new ListingPrefetch(slow, 3);
    const digests = Array.from({ length: 10 }, (_, i) => d(i + 1).digest);
    ahead.start(digests, undefined, 100);
    await Promise.all(digests.map((x) => ahead.take(x, undefined)));
    expect(most).toBe(3);
  });
});
