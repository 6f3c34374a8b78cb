import pLimit from "p-limit";

export type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

/** A concurrency limiter; 0 or less means the default. */
export function limiter(concurrency: number | undefined, fallback: number): Limiter {
  const limit = pLimit(concurrency && concurrency > 0 ? concurrency : fallback);
  return (task) => limit(task);
}

/** A limiter with two queues: a free slot goes to the oldest urgent task first. */
export type LaneLimiter = <T>(task: () => Promise<T>, urgent: boolean) => Promise<T>;

/** See {@link LaneLimiter}; `concurrency` must be at least 1. */
export function laneLimiter(concurrency: number): LaneLimiter {
  let active = 0;
  const urgent: (() => void)[] = [];
  const later: (() => void)[] = [];
  const next = (): void => {
    while (active < concurrency) {
      const run = urgent.shift() ?? later.shift();
      if (!run) return;
      active++;
      run();
    }
  };
  return (task, isUrgent) =>
    new Promise((resolve, reject) => {
      (isUrgent ? urgent : later).push(() => {
        Promise.resolve()
          .then(task)
          .then(resolve, reject)
          .finally(() => {
            active--;
            next();
          });
      });
      next();
    });
}
