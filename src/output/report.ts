/**
 * kubepath HTML report
 * ====================
 *
 * One static page that works offline: viewer/report.html with the style, cytoscape, its
 * dagre layout and the viewer (viewer/report.js) inlined, and the data (report-data.ts)
 * as JSON in a `<script type="application/json">` element. The data's `<`, `>`, `&` and
 * line separators are written as JSON escapes, so nothing in it can end that element or
 * be read as markup; the viewer only ever sets text. A Content-Security-Policy allows
 * exactly the three inline scripts and two style elements (by hash) and no request of
 * any kind.
 */
import {createHash} from 'node:crypto';
import {readFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import type {ReportData} from './report-data.js';

const VIEWER = fileURLToPath(new URL('../../viewer/', import.meta.url));
const require = createRequire(import.meta.url);

function read(path: string): string {
  return readFileSync(path, 'utf8');
}

/** JSON that can sit inside a script element: no `<`, `>` or `&` as such, and no line separators JavaScript would choke on. */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Script text as it can be inlined: a closing tag inside would end the element early, and `<!--` would change how it is parsed. */
function inlineScript(name: string, text: string): string {
  if (/<!--/.test(text)) throw new Error(`kubepath report: ${name} holds "<!--", which cannot be inlined`);
  // The source map comment would point at a file the report does not carry.
  return text.replace(/<\/(script)/gi, '<\\/$1').replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n');
}

/** The style element cytoscape adds to the page the first time it draws. */
const CYTOSCAPE_STYLE = '.__________cytoscape_container { position: relative; }';

const sha256 = (text: string): string => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** The report page for the data. */
export function renderReport(data: ReportData): string {
  const scripts = {
    CYTOSCAPE: inlineScript('cytoscape', read(require.resolve('cytoscape/dist/cytoscape.min.js'))),
    DAGRE: inlineScript(
      'cytoscape-dagre',
      read(join(dirname(require.resolve('cytoscape-dagre/package.json')), 'dist', 'cytoscape-dagre.min.js')),
    ),
    VIEWER: inlineScript('viewer', read(`${VIEWER}report.js`)),
  };
  const style = read(`${VIEWER}report.css`);
  const csp = [
    "default-src 'none'",
    `script-src ${Object.values(scripts).map(sha256).join(' ')}`,
    // The page's own style element and the one cytoscape adds (fixed text); styles set from script are not limited by CSP.
    `style-src ${[style, CYTOSCAPE_STYLE].map(sha256).join(' ')}`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const parts: Record<string, string> = {CSP: csp, STYLE: style, DATA: scriptSafeJson(data), ...scripts};
  const template = read(`${VIEWER}report.html`);
  for (const name of Object.keys(parts)) {
    if (template.split(`{{${name}}}`).length !== 2) throw new Error(`kubepath report: the template must hold {{${name}}} once`);
  }
  // One pass over the template: what is put in is never searched again, and a function's result is taken as is (no `$` patterns).
  const page = template.replace(/\{\{([A-Z]+)\}\}/g, (marker, name: string) => parts[name] ?? marker);
  return page;
}
