import pLimit from "p-limit";

export type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

/** A concurrency limiter; 0 or less means the default. */
export function limiter(concurrency: number | undefined, fallback: number): Limiter {
  const limit = pLimit(concurrency && concurrency > 0 ? concurrency : fallback);
  return (task) => limit(task);
}
