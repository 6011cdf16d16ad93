/**
 * The calendar's JSON body, written straight to bytes. The result is byte for byte
 * `JSON.stringify({ items: occurrences.map(presentOccurrence), from, to })` (test/http/calendarJson),
 * built without an object per item or one 2 MB string: a plain occurrence (most of a calendar) is
 * a few pieces encoded once per rule and once per instant, copied into one buffer of the exact size.
 */
import { isPlainOccurrence, type CalendarSlot, type PlainOccurrence } from '../rules/Occurrence.js';
import { iso, presentOccurrence } from './presenters.js';

const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');
const AT = utf8('","at":"');

/** `{"id":"<rule id>@` (with a leading comma after the first item), `","rule_id":…"original_at":"`, `","state":…}`. */
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
    end: utf8(`","state":${JSON.stringify(o.state)},"reason":null,"firing_id":null,"rmf_task_id":null}`),
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

export function calendarJson(slots: readonly CalendarSlot[], from: number, to: number): Buffer {
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
    const atTwice = Buffer.concat([atOnce, AT, atOnce]); // original_at … at
    for (const item of items) {
      if (isPlainOccurrence(item)) {
        const rule = rulePieces(item);
        add(first ? rule.first : rule.next);
        add(atOnce);
        add(rule.middle);
        add(atTwice);
        add(rule.end);
      } else {
        add(utf8(`${first ? '' : ','}${JSON.stringify(presentOccurrence(item))}`));
      }
      first = false;
    }
  }
  add(utf8(`],"from":"${iso(from)}","to":"${iso(to)}"}`));
  return Buffer.concat(parts, size);
}
