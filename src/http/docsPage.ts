/**
 * /docs: the OpenAPI document rendered as a plain, readable HTML page on the server (no scripts,
 * nothing loaded from elsewhere). Every value taken from the document is HTML-escaped.
 */
const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ENTITIES[c] as string);

type Json = Record<string, unknown>;
const asObj = (v: unknown): Json => (typeof v === 'object' && v !== null ? (v as Json) : {});
const text = (v: unknown): string =>
  escapeHtml(typeof v === 'string' ? v : v === undefined ? '' : JSON.stringify(v));
const pre = (v: unknown): string => `<pre>${escapeHtml(JSON.stringify(v, null, 2))}</pre>`;

function schemaName(schema: unknown): string {
  const s = asObj(schema);
  if (typeof s.$ref === 'string') return s.$ref.replace('#/components/schemas/', '');
  if (typeof s.type === 'string') return s.type;
  return 'object';
}

function parameters(params: unknown[]): string {
  if (params.length === 0) return '';
  const rows = params.map((p) => {
    const o = asObj(p);
    const schema = asObj(o.schema);
    const about =
      o.description ??
      schema.description ??
      schema.pattern ??
      (schema.enum ? (schema.enum as unknown[]).join(' | ') : '');
    return `<tr><td><code>${text(o.name)}</code></td><td>${text(o.in)}</td><td>${o.required ? 'yes' : ''}</td><td>${text(schemaName(o.schema))}</td><td>${text(about)}</td></tr>`;
  });
  return `<table><tr><th>parameter</th><th>in</th><th>required</th><th>type</th><th>about</th></tr>${rows.join('')}</table>`;
}

function operation(method: string, path: string, op: Json): string {
  const body = asObj(asObj(asObj(op.requestBody).content)['application/json']).schema;
  const responses = Object.entries(asObj(op.responses)).map(([status, r]) => {
    const schema = asObj(asObj(asObj(r).content)['application/json']).schema;
    return `<li><b>${text(status)}</b> ${text(asObj(r).description)}${schema ? ` — <code>${text(schemaName(schema))}</code>` : ''}</li>`;
  });
  return [
    `<section id="${text(`${method}-${path}`)}"><h3><span class="m ${text(method)}">${text(method.toUpperCase())}</span> <code>${text(path)}</code></h3>`,
    `<p>${text(op.summary)}</p>`,
    parameters(Array.isArray(op.parameters) ? op.parameters : []),
    body ? `<details><summary>request body</summary>${pre(body)}</details>` : '',
    `<ul>${responses.join('')}</ul></section>`,
  ].join('\n');
}

export function renderDocsPage(doc: unknown): string {
  const d = asObj(doc);
  const info = asObj(d.info);
  const ops: string[] = [];
  for (const [path, item] of Object.entries(asObj(d.paths))) {
    for (const [method, op] of Object.entries(asObj(item))) ops.push(operation(method, path, asObj(op)));
  }
  const schemas = Object.entries(asObj(asObj(d.components).schemas)).map(
    ([name, s]) =>
      `<details id="schema-${text(name)}"><summary><code>${text(name)}</code></summary>${pre(s)}</details>`,
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${text(info.title)} ${text(info.version)} — REST API</title>
<style>
body{font-family:system-ui,sans-serif;max-width:960px;margin:2em auto;padding:0 1em;color:#222}
code,pre{font-family:ui-monospace,monospace}pre{background:#f5f5f5;padding:.6em;overflow:auto}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ddd;padding:.2em .5em;text-align:left;font-size:.9em}
.m{display:inline-block;min-width:4.5em;color:#fff;border-radius:3px;padding:0 .3em;font-size:.8em;text-align:center}
.get{background:#2a7}.post{background:#27c}.put{background:#c82}.patch{background:#a5c}.delete{background:#c33}
section{border-top:1px solid #eee;padding:.3em 0}
</style></head><body>
<h1>${text(info.title)} <small>${text(info.version)}</small></h1>
<p>${text(info.description)}</p>
<p>Machine-readable: <a href="openapi.json">openapi.json</a></p>
<h2>Operations</h2>
${ops.join('\n')}
<h2>Schemas</h2>
${schemas.join('\n')}
</body></html>
`;
}
