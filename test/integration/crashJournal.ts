/**
 * A dispatcher for the crash test: the simulated RMF, but every request it RECEIVES is appended
 * to a journal file (synchronously, before it is answered), and after a restart it answers
 * recover() from that journal, as RMF's TRANSIENT_LOCAL responses would be replayed.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { createSimulatedDispatcher } from '../../src/rmf/simulatedDispatcher.js';
import type { Clock, DispatchAnswer, Dispatcher } from '../../src/runtime/ports.js';

export function readJournal(path: string): string[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.endsWith('}'))
    .map((line) => (JSON.parse(line) as { requestId: string }).requestId);
}

export function createJournalingDispatcher(clock: Clock, journal: string): Dispatcher {
  const inner = createSimulatedDispatcher({ clock, latencyMs: 5 });
  return {
    kind: 'simulated',
    dispatch(request, options) {
      appendFileSync(journal, `${JSON.stringify({ requestId: request.request_id })}\n`);
      return inner.dispatch(request, options);
    },
    async recover(requestIds) {
      const seen = new Set(readJournal(journal));
      const answers = new Map<string, DispatchAnswer>();
      for (const id of requestIds) {
        if (!seen.has(id)) continue;
        answers.set(id, {
          kind: 'responded',
          respondedAt: clock.now(),
          response: { success: true, state: { booking: { id: `replayed-${id}` } } },
        });
      }
      return answers;
    },
    close: () => inner.close(),
  };
}
