/** The schedule part of the rule editor: every kind with its options. */
import { EditorField, within } from './FieldError';
import { REPEATS, WEEKDAYS, type Repeats, type ScheduleDraft } from './scheduleDraft';

interface Props {
  draft: ScheduleDraft;
  onChange: (draft: ScheduleDraft) => void;
  errors: Record<string, string>;
  zones: string[];
}

const WEEKS = [
  ['1', '1st'],
  ['2', '2nd'],
  ['3', '3rd'],
  ['4', '4th'],
  ['5', '5th'],
  ['last', 'Last'],
] as const;

export function ScheduleFields({ draft, onChange, errors, zones }: Props) {
  const set = <K extends keyof ScheduleDraft>(key: K, value: ScheduleDraft[K]) =>
    onChange({ ...draft, [key]: value });
  const k = draft.repeats;
  const text = (label: string, key: keyof ScheduleDraft, path: string, type = 'text') => (
    <EditorField label={label} path={path} errors={errors}>
      {(id, err) => (
        <input
          id={id}
          type={type}
          aria-describedby={err}
          aria-invalid={err !== undefined}
          value={draft[key] as string}
          onChange={(e) => set(key, e.target.value as never)}
        />
      )}
    </EditorField>
  );
  const days = (legend: string) => (
    <fieldset className={Object.keys(errors).some((f) => within(f, 'schedule.days')) ? 'invalid' : undefined}>
      <legend>{legend}</legend>
      {WEEKDAYS.map(([value, name]) => (
        <label key={value}>
          <input
            type="checkbox"
            checked={draft.days.includes(value)}
            onChange={(e) =>
              set('days', e.target.checked ? [...draft.days, value] : draft.days.filter((d) => d !== value))
            }
          />{' '}
          {name}
        </label>
      ))}
      {Object.entries(errors)
        .filter(([f]) => within(f, 'schedule.days'))
        .map(([f, m]) => (
          <span key={f} className="error" role="alert">
            {m}
          </span>
        ))}
    </fieldset>
  );

  return (
    <fieldset>
      <legend>Schedule</legend>
      <EditorField label="Repeats" path="schedule.kind" errors={errors}>
        {(id) => (
          <select id={id} value={k} onChange={(e) => set('repeats', e.target.value as Repeats)}>
            {REPEATS.map(([value, name]) => (
              <option key={value} value={value}>
                {name}
              </option>
            ))}
          </select>
        )}
      </EditorField>
      {k === 'once' ? text('At (local date and time)', 'at', 'schedule.at', 'datetime-local') : null}
      {k !== 'once' && k !== 'interval' ? text('Times', 'times', 'schedule.times') : null}
      {k === 'weekly' ? days('Days') : null}
      {k === 'monthly' ? (
        <EditorField label="Day of the month" path="schedule.day" errors={errors}>
          {(id) => (
            <select id={id} value={draft.day} onChange={(e) => set('day', e.target.value)}>
              {Array.from({ length: 31 }, (_, i) => String(i + 1)).map((d) => (
                <option key={d} value={d}>
                  {d}
                </option>
              ))}
              <option value="last">Last day</option>
            </select>
          )}
        </EditorField>
      ) : null}
      {k === 'monthly_weekday' ? (
        <>
          <EditorField label="Week of the month" path="schedule.week" errors={errors}>
            {(id) => (
              <select id={id} value={draft.week} onChange={(e) => set('week', e.target.value)}>
                {WEEKS.map(([value, name]) => (
                  <option key={value} value={value}>
                    {name}
                  </option>
                ))}
              </select>
            )}
          </EditorField>
          <EditorField label="Weekday" path="schedule.weekday" errors={errors}>
            {(id) => (
              <select id={id} value={draft.weekday} onChange={(e) => set('weekday', e.target.value)}>
                {WEEKDAYS.map(([value, name]) => (
                  <option key={value} value={value}>
                    {name}
                  </option>
                ))}
              </select>
            )}
          </EditorField>
        </>
      ) : null}
      {(k === 'monthly' && draft.day !== 'last') || (k === 'monthly_weekday' && draft.week === '5') ? (
        <EditorField label="In a month without it" path="schedule.if_missing" errors={errors}>
          {(id) => (
            <select
              id={id}
              value={draft.ifMissing}
              onChange={(e) => set('ifMissing', e.target.value as 'skip' | 'last_day')}
            >
              <option value="skip">Skip that month</option>
              <option value="last_day">Use the last one</option>
            </select>
          )}
        </EditorField>
      ) : null}
      {k === 'daily' || k === 'weekly' || k === 'monthly' || k === 'monthly_weekday'
        ? text(
            k === 'daily' ? 'Every N days' : k === 'weekly' ? 'Every N weeks' : 'Every N months',
            'every',
            'schedule.every',
            'number',
          )
        : null}
      {k === 'interval' ? (
        <>
          {text('Every N seconds', 'everySeconds', 'schedule.every_seconds', 'number')}
          {text('Window from', 'windowFrom', 'schedule.between', 'time')}
          {text('Window to', 'windowTo', 'schedule.between', 'time')}
          {days('Days (none: every day)')}
        </>
      ) : null}
      {k !== 'once' ? (
        <>
          {text('Start', 'start', 'schedule.start', 'date')}
          {text('End', 'end', 'schedule.end', 'date')}
          {text('Count', 'count', 'schedule.count', 'number')}
        </>
      ) : null}
      <EditorField label="Time zone" path="schedule.timezone" errors={errors}>
        {(id) => (
          <select id={id} value={draft.timezone} onChange={(e) => set('timezone', e.target.value)}>
            {zones.map((z) => (
              <option key={z} value={z}>
                {z}
              </option>
            ))}
          </select>
        )}
      </EditorField>
    </fieldset>
  );
}
