// The editor's schedule form: what each kind sends to the API, and an existing rule shown back.
import { describe, expect, it } from 'vitest';
import { emptyDraft, fromWireSchedule, toWireSchedule, type ScheduleDraft } from './scheduleDraft';

const draft = (changes: Partial<ScheduleDraft>): ScheduleDraft => ({
  ...emptyDraft('Europe/Berlin'),
  ...changes,
});

describe('schedule form → wire schedule', () => {
  it('once: the local date-time and zone', () => {
    expect(toWireSchedule(draft({ repeats: 'once', at: '2027-03-14T02:30' }))).toEqual({
      kind: 'once',
      at: '2027-03-14T02:30',
      timezone: 'Europe/Berlin',
    });
  });

  it('daily: times split on commas and spaces; every N only when not 1', () => {
    expect(toWireSchedule(draft({ times: '02:30, 14:00 21:15', every: '2' }))).toEqual({
      kind: 'daily',
      times: ['02:30', '14:00', '21:15'],
      every: 2,
      timezone: 'Europe/Berlin',
    });
    expect(toWireSchedule(draft({ times: '09:00' }))).not.toHaveProperty('every');
  });

  it('weekly: the days ticked, with start, end and count', () => {
    expect(
      toWireSchedule(
        draft({
          repeats: 'weekly',
          days: ['tue', 'fri'],
          times: '07:45',
          start: '2027-01-04',
          end: '2027-06-30',
          count: '10',
        }),
      ),
    ).toEqual({
      kind: 'weekly',
      days: ['tue', 'fri'],
      times: ['07:45'],
      start: '2027-01-04',
      end: '2027-06-30',
      count: 10,
      timezone: 'Europe/Berlin',
    });
  });

  it('monthly: a day with its policy for short months, or the last day (-1) without one', () => {
    expect(toWireSchedule(draft({ repeats: 'monthly', day: '31', ifMissing: 'last_day' }))).toMatchObject({
      kind: 'monthly',
      day: 31,
      if_missing: 'last_day',
    });
    const last = toWireSchedule(draft({ repeats: 'monthly', day: 'last' }));
    expect(last).toMatchObject({ kind: 'monthly', day: -1 });
    expect(last).not.toHaveProperty('if_missing');
  });

  it('monthly on a weekday: the 2nd Tuesday, the last Friday; a 5th one says what to do without one', () => {
    expect(toWireSchedule(draft({ repeats: 'monthly_weekday', week: '2', weekday: 'tue' }))).toMatchObject({
      kind: 'monthly_weekday',
      week: 2,
      weekday: 'tue',
    });
    expect(toWireSchedule(draft({ repeats: 'monthly_weekday', week: 'last', weekday: 'fri' }))).toMatchObject(
      { week: -1 },
    );
    expect(toWireSchedule(draft({ repeats: 'monthly_weekday', week: '5', ifMissing: 'skip' }))).toMatchObject(
      {
        week: 5,
        if_missing: 'skip',
      },
    );
  });

  it('interval: seconds, a daily window and days', () => {
    expect(
      toWireSchedule(
        draft({
          repeats: 'interval',
          everySeconds: '900',
          windowFrom: '08:00',
          windowTo: '18:00',
          days: ['mon'],
        }),
      ),
    ).toEqual({
      kind: 'interval',
      every_seconds: 900,
      between: ['08:00', '18:00'],
      days: ['mon'],
      timezone: 'Europe/Berlin',
    });
  });

  it('what is not a number is sent as typed, so the server names the field', () => {
    expect(toWireSchedule(draft({ repeats: 'interval', everySeconds: 'often' }))).toMatchObject({
      every_seconds: 'often',
    });
  });
});

describe('wire schedule → form', () => {
  it('every kind comes back as it was sent', () => {
    const drafts: ScheduleDraft[] = [
      draft({ repeats: 'once', at: '2027-03-14T02:30' }),
      draft({ repeats: 'daily', times: '02:30, 14:00', every: '3', timezone: 'America/New_York' }),
      draft({ repeats: 'weekly', days: ['mon', 'thu'], times: '09:00', start: '2027-01-01', count: '5' }),
      draft({ repeats: 'monthly', day: 'last', times: '23:00' }),
      draft({ repeats: 'monthly_weekday', week: '5', weekday: 'fri', ifMissing: 'last_day', times: '10:00' }),
      draft({
        repeats: 'interval',
        everySeconds: '600',
        windowFrom: '08:00',
        windowTo: '12:00',
        days: ['sat'],
      }),
    ];
    for (const d of drafts) {
      const wire = toWireSchedule(d);
      expect(toWireSchedule(fromWireSchedule(wire, 'UTC'))).toEqual(wire);
    }
  });

  it("a schedule without a zone is shown in the service's", () => {
    expect(fromWireSchedule({ kind: 'daily', times: ['09:00'] }, 'Asia/Tokyo').timezone).toBe('Asia/Tokyo');
  });
});
