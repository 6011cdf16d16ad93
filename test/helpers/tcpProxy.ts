/**
 * A tiny TCP proxy on 127.0.0.1 between the service and a database, that a test cuts and restores
 * as a real outage does: `stop()` refuses new connections and breaks every open one; `start()`
 * listens again on the same port.
 */
import { createConnection, createServer } from 'node:net';
import type { Server, Socket } from 'node:net';

export interface TcpProxy {
  readonly port: number;
  /** Connections accepted so far (each one a connection the service opened). */
  readonly accepted: number;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export async function startTcpProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let server: Server | null = null;
  let port = 0;
  let accepted = 0;

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const s = createServer((client) => {
        accepted++;
        const upstream = createConnection(targetPort, targetHost);
        for (const sock of [client, upstream]) {
          sockets.add(sock);
          sock.on('close', () => sockets.delete(sock));
          sock.on('error', () => {
            client.destroy();
            upstream.destroy();
          });
        }
        client.pipe(upstream);
        upstream.pipe(client);
      });
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => {
        port = (s.address() as { port: number }).port;
        server = s;
        resolve();
      });
    });

  await listen();
  return {
    get port() {
      return port;
    },
    get accepted() {
      return accepted;
    },
    async stop() {
      const s = server;
      server = null;
      for (const sock of sockets) sock.destroy();
      sockets.clear();
      if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
    },
    start: listen,
  };
}

/** The database URL with its port replaced by the proxy's. */
export function throughProxy(dbUrl: string, proxy: TcpProxy): string {
  const url = new URL(dbUrl);
  url.port = String(proxy.port);
  return url.toString();
}

/** The port a database URL points at (its dialect's default when none is given). */
export function portOf(dbUrl: string): number {
  const url = new URL(dbUrl);
  if (url.port !== '') return Number(url.port);
  return url.protocol.startsWith('postgres') ? 5432 : 3306;
}
