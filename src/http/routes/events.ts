/**
 * GET /events: a server-sent event stream (text/event-stream) of what changes, with the payloads
 * of the REST answers:
 *   rule.changed         a rule was created or changed (the Rule, as GET /rules/{id} without upcoming)
 *   rule.deleted         { "id" }
 *   occurrences.changed  { "rule_id" }: one of its occurrences was disabled, enabled, moved or deleted
 *   firing.recorded      a firing's outcome (the Firing, as GET /firings/{id})
 *   firing.updated       a firing learned more (a cancellation, RMF's dispatch state)
 * Rule and occurrence events are read from the store's change log and carry its seq as their `id`,
 * the same on every replica sharing the store: a client reconnecting with `Last-Event-ID` gets
 * every change after it, whichever replica it reaches. Firing events carry no id (they are not
 * replayed): a client that reconnects reads GET /firings for what it missed. A comment line every
 * 15 s keeps proxies from closing an idle stream.
 */
import { PassThrough } from 'node:stream';
import Router from '@koa/router';
import type { Logger } from '../../log.js';
import type { Firing } from '../../rules/Firing.js';
import type { RuleChange } from '../../runtime/ports.js';
import type { Scheduler } from '../../runtime/Scheduler.js';
import { isDomainError } from '../../rules/errors.js';
import { presentFiring, presentRule } from '../presenters.js';

const PAGE = 500;
const KEEP_ALIVE_MS = 15_000;
const POLL_MS = 2_000;
const RETRY_MS = 2_000;

export interface EventsRouteDeps {
  scheduler: Scheduler;
  logger: Logger;
  /** Aborted when the service stops: every open stream ends. */
  shutdown?: AbortSignal;
}

/** One event in the text/event-stream format (data as one JSON line). */
export function sseEvent(type: string, data: unknown, id?: number): string {
  return `${id !== undefined ? `id: ${id}\n` : ''}event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
}

function lastEventId(header: string): number | null {
  return /^\d{1,15}$/.test(header.trim()) ? Number(header.trim()) : null;
}

export function eventsRouter({ scheduler, logger, shutdown }: EventsRouteDeps): Router {
  const router = new Router();

  router.get('/events', async (ctx) => {
    const resumeFrom = lastEventId(ctx.get('last-event-id'));
    let cursor = resumeFrom ?? (await scheduler.latestChangeSeq());
    const stream = new PassThrough();
    ctx.req.socket.setTimeout(0);
    ctx.req.socket.setNoDelay(true);
    ctx.status = 200;
    ctx.type = 'text/event-stream; charset=utf-8';
    ctx.set('Cache-Control', 'no-cache, no-transform');
    ctx.set('X-Accel-Buffering', 'no');
    ctx.body = stream;
    stream.write(`retry: ${RETRY_MS}\n: connected\n\n`);

    let closed = false;
    let pumping: Promise<void> | null = null;
    let again = false;

    const send = async (change: RuleChange): Promise<void> => {
      if (change.kind === 'override') {
        stream.write(sseEvent('occurrences.changed', { rule_id: change.ruleId }, change.seq));
        return;
      }
      if (change.kind === 'delete') {
        stream.write(sseEvent('rule.deleted', { id: change.ruleId }, change.seq));
        return;
      }
      try {
        stream.write(
          sseEvent('rule.changed', presentRule(await scheduler.getRule(change.ruleId)), change.seq),
        );
      } catch (err) {
        // Deleted since: its delete comes later in the log.
        if (!isDomainError(err) || err.code !== 'RULE_NOT_FOUND') throw err;
      }
    };

    /** Send every change after the cursor, in order; one pump at a time. */
    const pump = (): void => {
      if (closed) return;
      if (pumping) {
        again = true;
        return;
      }
      pumping = (async () => {
        do {
          again = false;
          for (;;) {
            const changes = await scheduler.ruleChanges(cursor, PAGE);
            for (const change of changes) {
              if (closed) return;
              await send(change);
              cursor = change.seq;
            }
            if (changes.length < PAGE) break;
          }
        } while (again && !closed);
      })()
        .catch((err: unknown) => {
          logger.warn('event stream: reading the change log failed; retrying', {
            error: err instanceof Error ? err.message : String(err),
          });
        })
        .finally(() => {
          pumping = null;
        });
    };

    /** A firing as GET /firings/{id} gives it (with its rule's zone), in the order they came. */
    let firings: Promise<void> = Promise.resolve();
    const sendFiring = (type: string, firing: Firing): void => {
      firings = firings.then(async () => {
        const timezone = await scheduler.getRule(firing.ruleId).then(
          (rule) => rule.schedule.timezone,
          () => null, // deleted since
        );
        if (!closed) stream.write(sseEvent(type, presentFiring({ ...firing, timezone })));
      });
    };

    const unsubscribe = scheduler.onEvent((event) => {
      if (closed) return;
      if (event.type === 'rules.changed') pump();
      else sendFiring(event.type, event.firing);
    });
    const poll = setInterval(pump, POLL_MS);
    const keepAlive = setInterval(() => stream.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
    const close = (): void => {
      if (closed) return;
      closed = true;
      unsubscribe();
      clearInterval(poll);
      clearInterval(keepAlive);
      shutdown?.removeEventListener('abort', close);
      stream.end();
    };
    ctx.req.on('close', close);
    stream.on('error', close);
    shutdown?.addEventListener('abort', close);
    if (shutdown?.aborted) close();
    if (resumeFrom !== null) pump();
  });

  return router;
}
