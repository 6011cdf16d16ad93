/**
 * Validation at the edge: a zod schema turns an untrusted value into a typed one, or the request
 * fails with INVALID_INPUT naming every offending field (the domain's own converter).
 */
import { parseWire } from '../rules/ruleSchemas.js';
import { DomainError } from '../rules/errors.js';

export { parseWire as parse };

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
