// Compiles Vega-Lite specs with vega-lite and renders them headless in Node with vega.
// Reads a JSON array of specs from the file named by the first argument and prints one JSON line
// per spec: {"items": {<mark type>: <count of drawn data items>}, "svgBytes": <length>} or {"error": "..."}.
import { readFileSync } from 'node:fs';
import * as vega from 'vega';
import * as vegaLite from 'vega-lite';

/** Counts the scenegraph items of data-driven marks (role "mark"), by mark type. */
function countMarkItems(mark, counts) {
  if (mark.role === 'mark') {
    counts[mark.marktype] = (counts[mark.marktype] ?? 0) + mark.items.length;
  }
  for (const item of mark.items ?? []) {
    for (const child of item.items ?? []) {
      countMarkItems(child, counts);
    }
  }
  return counts;
}

const specs = JSON.parse(readFileSync(process.argv[2], 'utf8'));
for (const spec of specs) {
  try {
    const compiled = vegaLite.compile(spec).spec;
    const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
    const svg = await view.toSVG();
    const items = countMarkItems(view.scenegraph().root, {});
    console.log(JSON.stringify({ items, svgBytes: svg.length }));
    view.finalize();
  } catch (error) {
    console.log(JSON.stringify({ error: String(error && error.message ? error.message : error) }));
  }
}
