/**
 * The calendar: every rule's occurrences from the server (never computed here), in the zone the
 * operator picked, in day, week, month and list views, filtered by label and by rule. Each shows
 * its rule, task category and state (colour, symbol and words).
 */
import type { DatesSetArg, EventClickArg, EventContentArg, EventDropArg } from '@fullcalendar/core';
import dayGridPlugin from '@fullcalendar/daygrid';
import interactionPlugin from '@fullcalendar/interaction';
import listPlugin from '@fullcalendar/list';
import luxon3Plugin from '@fullcalendar/luxon3';
import FullCalendar from '@fullcalendar/react';
import timeGridPlugin from '@fullcalendar/timegrid';
import { useMemo, useRef, useState } from 'react';
import type { Occurrence } from '../api/client';
import { taskCategory, useRules } from '../rules/useRules';
import { useSession } from '../auth/session';
import { dstShort } from '../ui/dst';
import { isChangeable, stateLook } from '../ui/states';
import { OccurrencePanel } from './OccurrencePanel';
import { MoveConfirm, type PendingMove } from './MoveConfirm';
import { useOccurrences, type Window } from './useOccurrences';
import { Field } from '../ui/Field';
import { useUrlState } from '../ui/urlState';

const VIEWS = ['timeGridDay', 'timeGridWeek', 'dayGridMonth', 'listWeek'] as const;

interface EventProps {
  occurrence: Occurrence;
  category: string;
}

/**
 * An entry's content as plain DOM nodes, not a React element: FullCalendar renders a React element
 * through a portal of its own per entry, which for a week of thousands of occurrences costs more
 * than the whole calendar.
 */
function eventBody({ event, timeText }: EventContentArg): { domNodes: Node[] } {
  const { occurrence, category } = event.extendedProps as EventProps;
  const look = stateLook(occurrence.state);
  const dst = dstShort(occurrence);
  const span = (className: string | null, text: string): HTMLSpanElement => {
    const el = document.createElement('span');
    if (className !== null) el.className = className;
    el.textContent = text;
    return el;
  };
  const body = span('event-body', '');
  if (timeText) body.append(span('event-time', `${timeText} `));
  const symbol = span(null, `${look.symbol} `);
  symbol.setAttribute('aria-hidden', 'true');
  body.append(
    symbol,
    span('event-name', occurrence.rule_name),
    span('event-meta', ` · ${category} · ${look.label}`),
  );
  if (dst) body.append(span('event-dst', ` · ${dst}`));
  return { domNodes: [body] };
}

export function CalendarPage({ zone }: { zone: string }) {
  const { canWrite } = useSession();
  const [url, setUrl] = useUrlState();
  const view = VIEWS.includes(url.get('view') as (typeof VIEWS)[number])
    ? (url.get('view') as string)
    : 'timeGridWeek';
  const date = url.get('date') ?? undefined;
  const label = url.get('label');
  const ruleId = url.get('rule');
  const [range, setRange] = useState<{ from: string; to: string } | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [pendingMove, setPendingMove] = useState<PendingMove | null>(null);
  const calendar = useRef<FullCalendar>(null);

  const rules = useRules();
  const byId = useMemo(() => new Map((rules.data ?? []).map((r) => [r.id, r])), [rules.data]);
  const labels = useMemo(
    () => [...new Set((rules.data ?? []).flatMap((r) => r.labels))].sort(),
    [rules.data],
  );

  const window: Window | null = range ? { ...range, label, ruleId } : null;
  const occurrences = useOccurrences(window);
  const events = useMemo(
    () =>
      (occurrences.data?.items ?? []).map((o) => {
        const look = stateLook(o.state);
        return {
          id: o.id,
          start: o.at,
          title: `${o.rule_name} (${look.label})`,
          backgroundColor: look.background,
          borderColor: look.background,
          textColor: look.text,
          editable: canWrite && isChangeable(o.state),
          extendedProps: { occurrence: o, category: taskCategory(byId.get(o.rule_id)) } satisfies EventProps,
        };
      }),
    [occurrences.data, byId, canWrite],
  );

  const onDates = (arg: DatesSetArg) => {
    const from = new Date(arg.startStr).toISOString();
    const to = new Date(arg.endStr).toISOString();
    if (range?.from !== from || range?.to !== to) setRange({ from, to });
    // The first day the view shows, in the calendar's zone (the ref is not set at the first call).
    setUrl({ view: arg.view.type, date: arg.view.calendar.formatIso(arg.view.currentStart, true) });
  };

  const onDrop = (arg: EventDropArg) => {
    const { occurrence } = arg.event.extendedProps as EventProps;
    const to = arg.event.start;
    arg.revert();
    if (to === null) return;
    setPendingMove({ occurrence, to: to.toISOString() });
  };

  return (
    <section
      className="calendar-page"
      aria-label="Calendar"
      aria-busy={occurrences.isFetching || range === null}
    >
      <div className="filters">
        <Field label="Label">
          {(id) => (
            <select id={id} value={label ?? ''} onChange={(e) => setUrl({ label: e.target.value || null })}>
              <option value="">All labels</option>
              {labels.map((l) => (
                <option key={l} value={l}>
                  {l}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Rule">
          {(id) => (
            <select id={id} value={ruleId ?? ''} onChange={(e) => setUrl({ rule: e.target.value || null })}>
              <option value="">All rules</option>
              {(rules.data ?? []).map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Go to date">
          {(id) => (
            <input
              id={id}
              type="date"
              value={date ?? ''}
              onChange={(e) => {
                if (e.target.value) calendar.current?.getApi().gotoDate(e.target.value);
              }}
            />
          )}
        </Field>
        {occurrences.isFetching ? <span role="status">Loading…</span> : null}
      </div>
      {occurrences.data?.cut ? (
        <p role="alert" className="notice">
          This window has more occurrences than the console can show: only the first{' '}
          {occurrences.data.items.length} are shown. Filter by label or rule, or pick a shorter view.
        </p>
      ) : null}
      {occurrences.error ? (
        <p role="alert" className="notice">
          Cannot load the calendar: {(occurrences.error as Error).message}
        </p>
      ) : null}
      <FullCalendar
        ref={calendar}
        plugins={[timeGridPlugin, dayGridPlugin, listPlugin, interactionPlugin, luxon3Plugin]}
        initialView={view}
        {...(date ? { initialDate: date } : {})}
        timeZone={zone}
        height="auto"
        headerToolbar={{ left: 'prev,next today', center: 'title', right: VIEWS.join(',') }}
        buttonText={{ today: 'Today', day: 'Day', week: 'Week', month: 'Month', list: 'List' }}
        eventTimeFormat={{ hour: '2-digit', minute: '2-digit', hour12: false }}
        slotLabelFormat={{ hour: '2-digit', minute: '2-digit', hour12: false }}
        defaultTimedEventDuration="00:30"
        eventMaxStack={4}
        dayMaxEvents={6}
        nowIndicator
        events={events}
        eventContent={eventBody}
        datesSet={onDates}
        eventClick={(arg: EventClickArg) => {
          arg.jsEvent.preventDefault();
          setSelected(arg.event.id);
        }}
        eventDrop={onDrop}
        eventDurationEditable={false}
      />
      {selected !== null ? (
        <OccurrencePanel id={selected} zone={zone} onClose={() => setSelected(null)} />
      ) : null}
      {pendingMove !== null ? (
        <MoveConfirm move={pendingMove} zone={zone} onDone={() => setPendingMove(null)} />
      ) : null}
    </section>
  );
}
