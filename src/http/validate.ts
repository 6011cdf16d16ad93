/**
 * Validation at the edge: a zod schema turns an untrusted value into a typed one, or the request
 * fails with INVALID_INPUT naming every offending field (the domain's own converter).
 */
import { parseWire } from '../rules/ruleSchemas.js';
import { DomainError } from '../rules/errors.js';

export { parseWire as parse };

/**
 * The query string with one value per parameter: a parameter given more than once
 * (`?limit=1&limit=2`) is INVALID_INPUT naming it, rather than a confusing "must be a string".
 */
export function singleQuery(query: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  const repeated: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (Array.isArray(value)) repeated.push(key);
    else if (value !== undefined) out[key] = value;
  }
  if (repeated.length > 0) {
    throw DomainError.invalid(
      repeated.map((key) => ({ field: key, message: 'given more than once; give it once' })),
    );
  }
  return out;
}

/**
 * The expected version of a conditional command: If-Match ("3", W/"3", 3 or *) and/or a body
 * `version`. Neither (or If-Match: *) = unconditional (null). Both, disagreeing = INVALID_INPUT.
 */
export function expectedVersion(ifMatch: string, bodyVersion: number | undefined): number | null {
  let header: number | null = null;
  const raw = ifMatch.trim();
  if (raw !== '' && raw !== '*') {
    const m = /^(?:W\/)?"?(\d{1,15})"?$/.exec(raw);
    if (!m)
      throw DomainError.invalid({
        field: 'If-Match',
        message: 'must be an entity tag holding the rule version, e.g. "3"',
      });
    header = Number(m[1]);
  }
  if (header !== null && bodyVersion !== undefined && header !== bodyVersion) {
    throw DomainError.invalid({ field: 'version', message: `disagrees with If-Match (${header})` });
  }
  return header ?? bodyVersion ?? null;
}
