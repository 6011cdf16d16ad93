// The editor's task forms: patrol, delivery and clean as RMF's task requests; anything else as JSON.
import { describe, expect, it } from 'vitest';
import { emptyTask, fromWireTask, TaskJsonError, toWireTask } from './taskDraft';

describe('task forms', () => {
  it('a patrol: places and rounds', () => {
    expect(toWireTask({ ...emptyTask(), places: 'ward_3, lobby', rounds: '2' })).toEqual({
      type: 'dispatch_task_request',
      request: { category: 'patrol', description: { places: ['ward_3', 'lobby'], rounds: 2 } },
    });
  });

  it('a delivery: pickup and drop-off with the payload', () => {
    const task = toWireTask({
      ...emptyTask(),
      category: 'delivery',
      pickupPlace: 'pantry',
      pickupHandler: 'coke_dispenser',
      dropoffPlace: 'hardware_2',
      dropoffHandler: 'coke_ingestor',
      sku: 'coke',
      quantity: '1',
    });
    expect(task).toEqual({
      type: 'dispatch_task_request',
      request: {
        category: 'delivery',
        description: {
          pickup: { place: 'pantry', handler: 'coke_dispenser', payload: [{ sku: 'coke', quantity: 1 }] },
          dropoff: { place: 'hardware_2', handler: 'coke_ingestor', payload: [{ sku: 'coke', quantity: 1 }] },
        },
      },
    });
    expect(toWireTask(fromWireTask(task))).toEqual(task);
  });

  it('a clean: the zone', () => {
    const task = toWireTask({ ...emptyTask(), category: 'clean', zone: 'zone_1' });
    expect(task).toEqual({
      type: 'dispatch_task_request',
      request: { category: 'clean', description: { zone: 'zone_1' } },
    });
    expect(fromWireTask(task).category).toBe('clean');
  });

  it('a composed task (or anything the forms cannot show) is edited as JSON', () => {
    const composed = {
      type: 'dispatch_task_request',
      request: { category: 'compose', description: { category: 'clean', phases: [] } },
    };
    const d = fromWireTask(composed);
    expect(d.category).toBe('compose');
    expect(toWireTask(d)).toEqual(composed);
    const patrolWithFleet = {
      type: 'dispatch_task_request',
      request: { category: 'patrol', fleet_name: 'a', description: { places: ['x'], rounds: 1 } },
    };
    expect(fromWireTask(patrolWithFleet).category).toBe('compose'); // the form has no fleet: nothing is lost
  });

  it('JSON that does not parse is an error for the field, not a request', () => {
    expect(() => toWireTask({ ...emptyTask(), category: 'compose', json: '{"type":' })).toThrow(
      TaskJsonError,
    );
    expect(() => toWireTask({ ...emptyTask(), category: 'compose', json: '[1]' })).toThrow(/JSON object/);
  });
});
