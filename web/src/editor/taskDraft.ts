/** RMF's task (patrol, delivery, clean, or a composed task as JSON) as the editor's form holds it. */
export const CATEGORIES = [
  ['patrol', 'Patrol'],
  ['delivery', 'Delivery'],
  ['clean', 'Clean'],
  ['compose', 'Composed task (JSON)'],
] as const;
export type Category = (typeof CATEGORIES)[number][0];

export interface TaskDraft {
  category: Category;
  places: string;
  rounds: string;
  pickupPlace: string;
  pickupHandler: string;
  dropoffPlace: string;
  dropoffHandler: string;
  sku: string;
  quantity: string;
  zone: string;
  json: string;
}

export const emptyTask = (): TaskDraft => ({
  category: 'patrol',
  places: '',
  rounds: '1',
  pickupPlace: '',
  pickupHandler: '',
  dropoffPlace: '',
  dropoffHandler: '',
  sku: '',
  quantity: '1',
  zone: '',
  json: '',
});

const num = (text: string): number | string =>
  /^\d+$/.test(text.trim()) ? Number(text.trim()) : text.trim();

/** The wire `task`; a composed task's JSON that does not parse is an error naming the field. */
export function toWireTask(t: TaskDraft): Record<string, unknown> {
  const request = (category: string, description: unknown) => ({
    type: 'dispatch_task_request',
    request: { category, description },
  });
  switch (t.category) {
    case 'patrol':
      return request('patrol', {
        places: t.places
          .split(/[\s,]+/)
          .map((p) => p.trim())
          .filter((p) => p !== ''),
        rounds: num(t.rounds),
      });
    case 'delivery': {
      const payload = [{ sku: t.sku, quantity: num(t.quantity) }];
      return request('delivery', {
        pickup: { place: t.pickupPlace, handler: t.pickupHandler, payload },
        dropoff: { place: t.dropoffPlace, handler: t.dropoffHandler, payload },
      });
    }
    case 'clean':
      return request('clean', { zone: t.zone });
    case 'compose': {
      let parsed: unknown;
      try {
        parsed = JSON.parse(t.json);
      } catch (err) {
        throw new TaskJsonError(`is not JSON: ${(err as Error).message}`);
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        throw new TaskJsonError('must be a JSON object (the task request)');
      return parsed as Record<string, unknown>;
    }
  }
}

export class TaskJsonError extends Error {
  override name = 'TaskJsonError';
}

/** A rule's task as the form shows it (anything but the three simple forms: as JSON). */
export function fromWireTask(task: Record<string, unknown>): TaskDraft {
  const t = emptyTask();
  const request = (task.request ?? {}) as { category?: unknown; description?: Record<string, unknown> };
  const d = request.description ?? {};
  const simple =
    task.type === 'dispatch_task_request' &&
    Object.keys(task).length === 2 &&
    Object.keys(request).every((k) => k === 'category' || k === 'description');
  const keys = (o: object) => Object.keys(o).sort().join(',');
  if (simple && request.category === 'patrol' && keys(d) === 'places,rounds')
    return { ...t, places: (d.places as string[]).join(', '), rounds: String(d.rounds) };
  if (simple && request.category === 'clean' && keys(d) === 'zone')
    return { ...t, category: 'clean', zone: String(d.zone) };
  const pickup = d.pickup as {
    place?: string;
    handler?: string;
    payload?: Array<{ sku: string; quantity: number }>;
  };
  const dropoff = d.dropoff as { place?: string; handler?: string } | undefined;
  if (
    simple &&
    request.category === 'delivery' &&
    pickup?.payload?.length === 1 &&
    keys(d) === 'dropoff,pickup'
  )
    return {
      ...t,
      category: 'delivery',
      pickupPlace: pickup.place ?? '',
      pickupHandler: pickup.handler ?? '',
      dropoffPlace: dropoff?.place ?? '',
      dropoffHandler: dropoff?.handler ?? '',
      sku: pickup.payload[0]?.sku ?? '',
      quantity: String(pickup.payload[0]?.quantity ?? 1),
    };
  return { ...t, category: 'compose', json: JSON.stringify(task, null, 2) };
}
