/** HTTP request count and latency, by method, route template and status, in the given registry. */
import type { Context, Next } from 'koa';
import { Counter, Histogram, type Registry } from 'prom-client';

function counter(registry: Registry): Counter<'method' | 'route' | 'status'> {
  const name = 'http_requests_total';
  return (
    (registry.getSingleMetric(name) as Counter<'method' | 'route' | 'status'> | undefined) ??
    new Counter({
      name,
      help: 'HTTP requests served',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    })
  );
}

function histogram(registry: Registry): Histogram<'method' | 'route' | 'status'> {
  const name = 'http_request_duration_seconds';
  return (
    (registry.getSingleMetric(name) as Histogram<'method' | 'route' | 'status'> | undefined) ??
    new Histogram({
      name,
      help: 'HTTP request latency',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
      registers: [registry],
    })
  );
}

/**
 * Must run outside the error middleware, so it sees the final status. A request refused before
 * routing (401, 400/413/415 on its body) is labelled with the route it was aimed at, found by
 * `routeOf`; only a path no route serves is `unmatched`.
 */
export function httpMetrics(
  registry: Registry,
  routeOf: (path: string, method: string) => string | null = () => null,
) {
  const requests = counter(registry);
  const latency = histogram(registry);
  return async function measure(ctx: Context, next: Next): Promise<void> {
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const labels = {
        method: ctx.method,
        route:
          (ctx as Context & { _matchedRoute?: string })._matchedRoute ??
          routeOf(ctx.path, ctx.method) ??
          'unmatched',
        status: String(ctx.status),
      };
      requests.inc(labels);
      latency.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    }
  };
}
