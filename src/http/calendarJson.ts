/**
 * The calendar's JSON body, written straight to bytes. The result is byte for byte
 * `JSON.stringify({ items: occurrences.map((o) => presentOccurrence(o, timezone)), from, to,
 * truncated, next_cursor })`
 * (test/http/calendarJson), built without an object per item or one 2 MB string: a plain
 * occurrence (most of a calendar) is a few pieces encoded once per rule and once per instant and
 * zone, copied into one buffer of the exact size. Its DST note is worked out only on the few days
 * its zone changes offset.
 */
import { localIso, localNote, nearOffsetChange } from '../recurrence/localNote.js';
import { isPlainOccurrence, type CalendarPage, type PlainOccurrence } from '../rules/Occurrence.js';
import { encodeCursor } from './calendarCursor.js';
import { iso, presentOccurrence } from './presenters.js';

const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');
/** The end of at_local and a plain occurrence's DST note, on every day without an offset change. */
const NO_NOTE = utf8('","dst":null,"merged_times":null');

export interface CalendarWindow {
  from: number;
  to: number;
  /** Present local times in this zone (the site's) instead of each rule's. */
  timezone?: string;
}

/** `{"id":"<rule id>@` (with a leading comma after the first item), `","rule_id":…"original_at":"`, `,"state":…}`. */
interface RulePieces {
  name: string;
  state: string;
  first: Buffer;
  next: Buffer;
  middle: Buffer;
  end: Buffer;
}

function piecesOf(o: PlainOccurrence): RulePieces {
  const id = JSON.stringify(o.ruleId);
  const open = `{"id":${id.slice(0, -1)}@`;
  return {
    name: o.ruleName,
    state: o.state,
    first: utf8(open),
    next: utf8(`,${open}`),
    middle: utf8(`","rule_id":${id},"rule_name":${JSON.stringify(o.ruleName)},"original_at":"`),
    end: utf8(`,"state":${JSON.stringify(o.state)},"reason":null,"firing_id":null,"rmf_task_id":null}`),
  };
}

/**
 * Encoded pieces by rule id, kept across calendars (a calendar is often asked for again): valid
 * while the rule's name and state are what they were. Bounded: emptied when full.
 */
const known = new Map<string, RulePieces>();
const MAX_KNOWN = 20_000;

function rulePieces(o: PlainOccurrence): RulePieces {
  let pieces = known.get(o.ruleId);
  if (pieces === undefined || pieces.name !== o.ruleName || pieces.state !== o.state) {
    if (known.size >= MAX_KNOWN) known.clear();
    pieces = piecesOf(o);
    known.set(o.ruleId, pieces);
  }
  return pieces;
}

/** The slot's pieces for one zone: `<at>","at":"<at>","at_local":"<local>`, and whether DST may note it. */
interface SlotZone {
  zone: string;
  times: Buffer;
  near: boolean;
}

function noteOf(o: PlainOccurrence, at: number): Buffer {
  const note = localNote(o.schedule, at);
  if (note.dst === null) return NO_NOTE;
  return utf8(`","dst":${JSON.stringify(note.dst)},"merged_times":${JSON.stringify(note.mergedTimes)}`);
}

export function calendarJson(page: CalendarPage, window: CalendarWindow): Buffer {
  const { from, to, timezone } = window;
  const { slots, next } = page;
  // The parts in order, then copied once into a buffer of their total size.
  const parts: Buffer[] = [utf8('{"items":[')];
  let size = parts[0]!.length;
  const add = (part: Buffer): void => {
    parts.push(part);
    size += part.length;
  };
  let first = true;
  for (const { at, items } of slots) {
    const instant = iso(at);
    const atOnce = utf8(instant);
    // Most slots hold rules of one zone: the last one is kept, others in a map for the slot.
    let last: SlotZone | undefined;
    let others: Map<string, SlotZone> | undefined;
    const zoneOf = (ruleZone: string): SlotZone => {
      if (last?.zone === ruleZone) return last;
      let found = others?.get(ruleZone);
      if (found === undefined) {
        const local = localIso(at, timezone ?? ruleZone);
        found = {
          zone: ruleZone,
          times: utf8(`${instant}","at":"${instant}","at_local":"${local}`),
          near: nearOffsetChange(at, ruleZone),
        };
        if (last !== undefined) (others ??= new Map()).set(last.zone, last);
      }
      last = found;
      return found;
    };
    for (const item of items) {
      if (isPlainOccurrence(item)) {
        const rule = rulePieces(item);
        const zone = zoneOf(item.schedule.timezone);
        add(first ? rule.first : rule.next);
        add(atOnce);
        add(rule.middle);
        add(zone.times);
        add(zone.near ? noteOf(item, at) : NO_NOTE);
        add(rule.end);
      } else {
        add(utf8(`${first ? '' : ','}${JSON.stringify(presentOccurrence(item, timezone))}`));
      }
      first = false;
    }
  }
  const cursor = next === null ? 'null' : `"${encodeCursor(next)}"`;
  add(
    utf8(`],"from":"${iso(from)}","to":"${iso(to)}","truncated":${next !== null},"next_cursor":${cursor}}`),
  );
  return Buffer.concat(parts, size);
}
