/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * Serializes a value as JSON that can sit inside a <script> element: every '<' becomes \u003c, so
 * no "</script" or "<!--" can appear. U+2028 and U+2029 are escaped as well.
 */
export function jsonForScriptElement(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * Makes JavaScript source safe to inline in a <script> element: "</script" becomes "<\/script" and
 * "<!--" becomes "<\!--". Both rewrites keep the meaning inside string literals and template
 * literals. "<\!--" would be invalid in a regular expression with the u flag, but the vega bundles
 * contain no "<!--" (vega 6.4, vega-lite 6.4, vega-embed 7.3).
 */
export function scriptForScriptElement(source: string): string {
  return source.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

/** A cell of a figure: digits with separators, an optional sign, exponent or percent unit, '-' or 'unbounded'. */
const NUMERIC_CELL = /^([-+]?[\d,.]+(e[-+]?\d+)?( %)?|-|unbounded)$/;

/**
 * Renders a table; cells are escaped text. Numeric cells get the class "number", which the page
 * aligns right, and line breaks in a cell are kept.
 */
export function renderTable(headers: string[], rows: string[][], className = 'figures'): string {
  const head = headers.map((header) => `<th>${escapeHtml(header)}</th>`).join('');
  const body = rows.map((row) => `<tr>${row.map(renderCell).join('')}</tr>`).join('\n');
  return `<table class="${className}"><thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody></table>`;
}

function renderCell(cell: string): string {
  return NUMERIC_CELL.test(cell) ? `<td class="number">${escapeHtml(cell)}</td>` : `<td>${escapeHtml(cell)}</td>`;
}
