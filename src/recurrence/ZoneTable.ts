import { IANAZone } from 'luxon';
import { DAY_MS } from './civil.js';

/**
 * The UTC offsets of one IANA zone, learned lazily from luxon (which asks Intl) and cached, so that
 * converting between instants and local times costs a map lookup instead of a formatted date.
 *
 * Offsets are sampled every two days over 64-day chunks; each change is then located to the
 * second by bisection. Two changes less than two days apart would be missed: no zone in the tz
 * database has had that since the 1940s.
 *
 * Local → instant follows RFC 5545: a local time that occurs twice maps to the first instant; a
 * local time inside a gap maps with the offset in force before the gap (02:30 in a 02:00→03:00
 * gap becomes 03:30).
 */
const CHUNK_MS = 64 * DAY_MS;
const SAMPLE_MS = 2 * DAY_MS;
/** A transition closer than this to a local day makes that day "complex". Offsets stay within ±16 h. */
const MARGIN_MS = 30 * 3_600_000;
const DAY_CACHE_LIMIT = 100_000;

interface Chunk {
  startOffset: number;
  /** Instants at which a new offset takes effect, ascending, inside the chunk. */
  at: number[];
  offsets: number[];
}

/** A local day near a transition: the offset before the window, then each transition. */
export interface ComplexDay {
  base: number;
  at: number[];
  before: number[];
  after: number[];
}

/** A simple local day is just its offset (ms); a complex one carries its transitions. */
export type DayInfo = number | ComplexDay;

const tables = new Map<string, ZoneTable>();
/** Zone names asked about, valid or not (bounded: names come from requests). */
const validity = new Map<string, boolean>();
const MAX_VALIDITY = 1_000;

export class ZoneTable {
  private readonly zone: IANAZone;
  private readonly chunks = new Map<number, Chunk>();
  private readonly days = new Map<number, DayInfo>();
  private lastChunkIndex = NaN;
  private lastChunk: Chunk | undefined;
  /** Set by segmentAt: the offset and the (exclusive) end of the constant-offset stretch. */
  segOffset = 0;
  segEnd = 0;

  private constructor(readonly name: string) {
    this.zone = IANAZone.create(name);
  }

  /** Whether `name` is a zone Intl knows. Answers are remembered (asking Intl costs ~0.1 ms). */
  static isValidZone(name: string): boolean {
    if (tables.has(name)) return true;
    let valid = validity.get(name);
    if (valid === undefined) {
      valid = IANAZone.isValidZone(name);
      if (validity.size >= MAX_VALIDITY) validity.clear();
      validity.set(name, valid);
    }
    return valid;
  }

  /** The shared table of a zone. Throws RangeError for an unknown zone. */
  static for(name: string): ZoneTable {
    let table = tables.get(name);
    if (table === undefined) {
      if (!ZoneTable.isValidZone(name)) throw new RangeError(`unknown time zone "${name}"`);
      table = new ZoneTable(name);
      tables.set(name, table);
    }
    return table;
  }

  /** UTC offset in ms at an instant. */
  offsetAt(instant: number): number {
    const chunk = this.chunkOf(instant);
    let offset = chunk.startOffset;
    const at = chunk.at;
    for (let i = 0; i < at.length; i++) {
      if ((at[i] as number) > instant) break;
      offset = chunk.offsets[i] as number;
    }
    return offset;
  }

  /** Local milliseconds of an instant. */
  toLocal(instant: number): number {
    return instant + this.offsetAt(instant);
  }

  /** Sets segOffset / segEnd for the constant-offset stretch containing `instant`. */
  segmentAt(instant: number): void {
    const c = Math.floor(instant / CHUNK_MS);
    const chunk = this.chunkOf(instant);
    let offset = chunk.startOffset;
    let end = (c + 1) * CHUNK_MS;
    const at = chunk.at;
    for (let i = 0; i < at.length; i++) {
      const t = at[i] as number;
      if (t > instant) {
        end = t;
        break;
      }
      offset = chunk.offsets[i] as number;
    }
    this.segOffset = offset;
    this.segEnd = end;
  }

  /** The offset of a local day with no transition nearby, or its transitions. */
  dayInfo(day: number): DayInfo {
    let info = this.days.get(day);
    if (info === undefined) {
      info = this.computeDay(day);
      if (this.days.size >= DAY_CACHE_LIMIT) this.days.clear();
      this.days.set(day, info);
    }
    return info;
  }

  /** The instant of a local time (first instant when repeated; shifted by the gap when skipped). */
  toUtc(local: number): number {
    const info = this.dayInfo(Math.floor(local / DAY_MS));
    return typeof info === 'number' ? local - info : complexToUtc(local, info);
  }

  private computeDay(day: number): DayInfo {
    const from = day * DAY_MS - MARGIN_MS;
    const to = (day + 1) * DAY_MS + MARGIN_MS;
    const base = this.offsetAt(from);
    const at: number[] = [];
    const before: number[] = [];
    const after: number[] = [];
    let previous = base;
    for (let c = Math.floor(from / CHUNK_MS); c <= Math.floor(to / CHUNK_MS); c++) {
      const chunk = this.chunk(c);
      for (let i = 0; i < chunk.at.length; i++) {
        const t = chunk.at[i] as number;
        const o = chunk.offsets[i] as number;
        if (t > from && t <= to) {
          at.push(t);
          before.push(previous);
          after.push(o);
        }
        if (t <= to) previous = o;
      }
    }
    return at.length === 0 ? base : { base, at, before, after };
  }

  private chunkOf(instant: number): Chunk {
    const c = Math.floor(instant / CHUNK_MS);
    if (c === this.lastChunkIndex && this.lastChunk !== undefined) return this.lastChunk;
    const chunk = this.chunk(c);
    this.lastChunkIndex = c;
    this.lastChunk = chunk;
    return chunk;
  }

  private chunk(c: number): Chunk {
    let chunk = this.chunks.get(c);
    if (chunk === undefined) {
      chunk = this.buildChunk(c);
      this.chunks.set(c, chunk);
    }
    return chunk;
  }

  private rawOffset(instant: number): number {
    const minutes = this.zone.offset(instant);
    if (!Number.isFinite(minutes)) throw new RangeError(`no offset for ${this.name} at ${instant}`);
    return Math.round(minutes * 60_000);
  }

  private buildChunk(c: number): Chunk {
    const start = c * CHUNK_MS;
    const end = start + CHUNK_MS;
    const startOffset = this.rawOffset(start);
    const at: number[] = [];
    const offsets: number[] = [];
    let lo = start;
    let loOffset = startOffset;
    for (let t = start + SAMPLE_MS; t <= end; t += SAMPLE_MS) {
      const o = this.rawOffset(t);
      if (o !== loOffset) {
        // bisect to the second: offset(a) = loOffset, offset(b) = o
        let a = lo;
        let b = t;
        while (b - a > 1000) {
          const mid = a + Math.floor((b - a) / 2000) * 1000;
          if (this.rawOffset(mid) === loOffset) a = mid;
          else b = mid;
        }
        if (b < end) {
          at.push(b);
          offsets.push(o);
        }
      }
      lo = t;
      loOffset = o;
    }
    return { startOffset, at, offsets };
  }
}

function offsetInDay(instant: number, info: ComplexDay): number {
  let offset = info.base;
  for (let i = 0; i < info.at.length; i++) {
    if ((info.at[i] as number) > instant) break;
    offset = info.after[i] as number;
  }
  return offset;
}

function complexToUtc(local: number, info: ComplexDay): number {
  let best = Infinity;
  const candidate = (o: number): void => {
    const u = local - o;
    if (u < best && offsetInDay(u, info) === o) best = u;
  };
  candidate(info.base);
  for (const o of info.after) candidate(o);
  if (best !== Infinity) return best;
  // In a gap: use the offset before the gap.
  for (let i = 0; i < info.at.length; i++) {
    const t = info.at[i] as number;
    const ob = info.before[i] as number;
    const oa = info.after[i] as number;
    if (ob < oa && local >= t + ob && local < t + oa) return local - ob;
  }
  return local - info.base;
}
