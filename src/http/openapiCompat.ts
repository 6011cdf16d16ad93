/**
 * zod-to-openapi has no mapping for z.never() (used for fields the client must leave out). Before
 * generating, every never schema reachable from the given ones gets metadata that describes it as
 * "no value is valid" ({ not: {} }), which is what never means.
 */
import { z } from 'zod';

type Def = Record<string, unknown> & { type?: string };

function children(def: Def): unknown[] {
  const out: unknown[] = [];
  const push = (v: unknown) => {
    if (Array.isArray(v)) out.push(...v);
    else if (v) out.push(v);
  };
  if (def.shape && typeof def.shape === 'object') out.push(...Object.values(def.shape as object));
  for (const key of [
    'innerType',
    'in',
    'out',
    'element',
    'valueType',
    'keyType',
    'left',
    'right',
    'catchall',
    'rest',
  ])
    push(def[key]);
  push(def.options);
  push(def.items);
  return out;
}

export function describeNeverSchemas(roots: readonly z.ZodType[]): void {
  const seen = new Set<unknown>();
  const walk = (schema: unknown): void => {
    if (!(schema instanceof z.ZodType) || seen.has(schema)) return;
    seen.add(schema);
    const def = schema.def as unknown as Def;
    if (def.type === 'never' && schema.meta() === undefined) {
      z.globalRegistry.add(schema, { type: 'string', not: {}, description: 'must be left out' } as never);
      return;
    }
    for (const child of children(def)) walk(child);
  };
  roots.forEach(walk);
}
