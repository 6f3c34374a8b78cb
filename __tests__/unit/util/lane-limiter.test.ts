import { laneLimiter } from "../../../src/util/limit";

describe("a limiter with an urgent lane", () => {
  test("a free slot goes to the oldest urgent task, then to the others in order", async () => {
    const limit = laneLimiter(1);
    const order: string[] = [];
    let open: () => void = () => undefined;
    const gate = new Promise<void>((r) => (open = r));
    const first = limit(async () => {
      await gate;
      order.push("first");
    }, false);
    const queued = [
      limit(async () => void order.push("later 1"), false),
      limit(async () => void order.push("urgent 1"), true),
      limit(async () => void order.push("later 2"), false),
      limit(async () => void order.push("urgent 2"), true),
    ];
    open();
    await Promise.all([first, ...queued]);
    expect(order).toEqual(["first", "urgent 1", "urgent 2", "later 1", "later 2"]);
  });

  test("runs at most `concurrency` tasks at once, and a failure frees its slot", async () => {
    const limit = laneLimiter(2);
    let active = 0;
    let most = 0;
    const task = (fail: boolean) => async () => {
      active++;
      most = Math.max(most, active);
      await new Promise((r) => setTimeout(r, 5));
      active--;
      if (fail) throw new Error("boom");
      return "ok";
    };
    const results = await Promise.allSettled(
      Array.from({ length: 7 }, (_, i) => limit(task(i % 3 === 0), i % 2 === 0)),
    );
    expect(most).toBe(2);
    expect(results.filter((r) => r.status === "rejected")).toHaveLength(3);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(4);
  });
});
