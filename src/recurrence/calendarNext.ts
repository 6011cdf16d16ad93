import { DAY_MS } from './civil.js';
import type { CalendarRule } from './compile.js';

/** Offsets stay within ±16 h, so a local time L maps to an instant within L ± 16 h. */
const MAX_OFFSET_MS = 16 * 3_600_000;

/**
 * First occurrence of a calendar kind strictly after `after`. Walks occurrence days (closed form)
 * from the local day of `after`; maps each local time to its instant through the zone table. Near
 * a transition, instants of neighbouring local times can swap order (a time shifted out of a gap
 * lands after a later local time), so there the walk looks one day further and keeps the minimum.
 */
export function nextCalendar(r: CalendarRule, after: number): number | null {
  if (after >= r.endUtc) return null;
  const zone = r.zone;
  let day = Math.floor(zone.toLocal(after) / DAY_MS);
  if (typeof zone.dayInfo(day) !== 'number' || typeof zone.dayInfo(day - 1) !== 'number') day -= 1;
  const stopLocal = Math.min(r.lastLocal, r.endUtc + MAX_OFFSET_MS);
  const times = r.times;
  const first = times[0] as number;
  let best = Infinity;
  let d = r.nextDay(day);
  while (d !== null) {
    const dayStart = d * DAY_MS;
    if (dayStart + first > stopLocal) break;
    const info = zone.dayInfo(d);
    if (typeof info === 'number') {
      for (let i = 0; i < times.length; i++) {
        const local = dayStart + (times[i] as number);
        if (local < r.startLocal) continue;
        if (local > r.lastLocal) break;
        const u = local - info;
        if (u > after) {
          if (u < best && u >= r.startUtc && u <= r.endUtc) best = u;
          break;
        }
      }
    } else {
      for (let i = 0; i < times.length; i++) {
        const local = dayStart + (times[i] as number);
        if (local < r.startLocal) continue;
        if (local > r.lastLocal) break;
        const u = zone.toUtc(local);
        if (u > after && u < best && u >= r.startUtc && u <= r.endUtc) best = u;
      }
    }
    const next = r.nextDay(d + 1);
    if (best !== Infinity) {
      if (next === null) break;
      if (typeof info === 'number' && typeof zone.dayInfo(next) === 'number') break;
      if (next * DAY_MS + first - MAX_OFFSET_MS > best) break;
    }
    d = next;
  }
  return best === Infinity ? null : best;
}
