/**
 * /docs: the API reference, Swagger UI (swagger-ui-dist, shipped in the package: nothing is
 * loaded from elsewhere) rendering /openapi.json, with its examples and "Try it out" (Authorize
 * takes a bearer token, which it then sends with every request it makes). The page and its
 * files: /docs, /docs/swagger-ui.css, /docs/swagger-ui-bundle.js, /docs/init.js.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const SWAGGER_UI_DIR = dirname(require.resolve('swagger-ui-dist/package.json'));

/** Ours: starts Swagger UI on the OpenAPI document beside the page. */
const INIT_JS = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: new URL('openapi.json', document.baseURI).href,
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
    displayRequestDuration: true,
    defaultModelsExpandDepth: 0,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
  });
});
`;

export const DOCS_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>rmf-task-scheduler — REST API reference</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="docs/swagger-ui.css">
<link rel="icon" type="image/png" href="docs/favicon-32x32.png">
</head><body>
<div id="swagger-ui"><noscript>This reference needs JavaScript; the document itself is
<a href="openapi.json">openapi.json</a>.</noscript></div>
<script src="docs/swagger-ui-bundle.js"></script>
<script src="docs/init.js"></script>
</body></html>
`;

/** Scripts and styles from this service only; "Try it out" calls this service (or `publicUrl`). */
export function docsCsp(publicUrl: string | null): string {
  let api = "'self'";
  if (publicUrl) {
    try {
      api += ` ${new URL(publicUrl).origin}`;
    } catch {
      // not a URL: the page's own origin only
    }
  }
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src ${api}`,
    "base-uri 'self'",
    "form-action 'none'",
    "frame-ancestors 'self'",
  ].join('; ');
}

const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
  'init.js': 'text/javascript; charset=utf-8',
};
const loaded = new Map<string, Buffer>();

/** A file of the page (read once), or null for any other name. */
export function docsAsset(name: string): { type: string; body: Buffer } | null {
  const type = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
  if (type === undefined) return null;
  let body = loaded.get(name);
  if (body === undefined) {
    body = name === 'init.js' ? Buffer.from(INIT_JS) : readFileSync(join(SWAGGER_UI_DIR, name));
    loaded.set(name, body);
  }
  return { type, body };
}
