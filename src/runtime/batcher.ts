/**
 * Group commit: requests that arrive in the same tick go to the store in one call. While one
 * batch is in flight the next accumulates, so under load batches grow and commits stay few.
 * A failed flush rejects every request of that batch.
 */
export interface Batcher<Req, Res> {
  submit(request: Req): Promise<Res>;
  /** Requests waiting or in flight. */
  pending(): number;
}

export function createBatcher<Req, Res>(
  flush: (requests: Req[]) => Promise<Res[]>,
  options: { maxBatch?: number } = {},
): Batcher<Req, Res> {
  const maxBatch = options.maxBatch ?? 10_000;
  type Waiting = { request: Req; resolve: (r: Res) => void; reject: (e: unknown) => void };
  let queue: Waiting[] = [];
  let inFlight = 0;
  let scheduled = false;

  function schedule(): void {
    if (scheduled || inFlight > 0 || queue.length === 0) return;
    scheduled = true;
    // Let every request of the current tick join before flushing.
    setImmediate(run);
  }

  function run(): void {
    scheduled = false;
    if (queue.length === 0) return;
    const batch = queue.slice(0, maxBatch);
    queue = queue.slice(batch.length);
    inFlight = batch.length;
    let results: Promise<Res[]>;
    try {
      results = flush(batch.map((w) => w.request));
    } catch (error) {
      results = Promise.reject(error);
    }
    results
      .then(
        (list) => {
          batch.forEach((w, i) => {
            if (i < list.length) w.resolve(list[i] as Res);
            else w.reject(new Error('the store returned fewer results than requests'));
          });
        },
        (error: unknown) => {
          for (const w of batch) w.reject(error);
        },
      )
      .finally(() => {
        inFlight = 0;
        schedule();
      });
  }

  return {
    submit(request: Req): Promise<Res> {
      return new Promise<Res>((resolve, reject) => {
        queue.push({ request, resolve, reject });
        schedule();
      });
    },
    pending: () => queue.length + inFlight,
  };
}
