/**
 * The HTTP bench's load generator, run in its own process (bench/http.bench.ts forks it), so that
 * autocannon never shares the event loop of the server it measures — as a real client would not.
 * It takes one `LoadRequest` over IPC, runs autocannon and sends back one `LoadResult`.
 */
import autocannon from 'autocannon';

export interface LoadRequest {
  url: string;
  connections: number;
  durationS: number;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** A request body in which every `{{n}}` becomes a text unique to each request (and process). */
  numberedBody?: string;
  /** Paths (with query) on the url's server taken in turn, one per request, instead of the url's. */
  paths?: string[];
}

export interface LoadResult {
  requests: number;
  average: number;
  p50: number;
  p99: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  /** CPU time of this process (the load generator) while it ran, µs. */
  cpuMicros: number;
}

async function runLoad(req: LoadRequest): Promise<LoadResult> {
  let n = 0;
  const template = req.numberedBody;
  const paths = req.paths;
  const cpu = process.cpuUsage();
  const result = await autocannon({
    url: req.url,
    connections: req.connections,
    duration: req.durationS,
    method: req.method ?? 'GET',
    headers: req.headers ?? {},
    ...(template === undefined
      ? {}
      : {
          requests: [
            { setupRequest: (r) => ({ ...r, body: template.replaceAll('{{n}}', `${process.pid}-${n++}`) }) },
          ],
        }),
    ...(paths === undefined || paths.length === 0
      ? {}
      : { requests: [{ setupRequest: (r) => ({ ...r, path: paths[n++ % paths.length]! }) }] }),
  });
  return {
    requests: result.requests.total,
    average: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    cpuMicros: ((used) => used.user + used.system)(process.cpuUsage(cpu)),
  };
}

process.once('message', (message) => {
  runLoad(message as LoadRequest).then(
    (result) => process.send?.(result, () => process.exit(0)),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
});
