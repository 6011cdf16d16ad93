import test from 'ava';
import { escapeHtml, renderDocsPage } from '../../src/http/docsPage.js';

const hostile = '<script>alert("x")</script>';

test('escapeHtml escapes the five HTML specials', (t) => {
  t.is(
    escapeHtml(`<a href="x" title='y'>&</a>`),
    '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
  );
});

test('every value taken from the document is escaped on /docs', (t) => {
  const html = renderDocsPage({
    info: { title: hostile, version: '"><img src=x onerror=alert(1)>', description: hostile },
    paths: {
      [`/rules/${hostile}`]: {
        get: {
          summary: hostile,
          parameters: [{ name: hostile, in: 'query', schema: { type: 'string', description: hostile } }],
          requestBody: {
            content: { 'application/json': { schema: { type: 'object', description: hostile } } },
          },
          responses: { 200: { description: hostile } },
        },
      },
    },
    components: { schemas: { [hostile]: { type: 'string', example: hostile } } },
  });
  t.false(html.includes('<script>'));
  t.false(html.includes('<img'));
  t.true(html.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'));
});
