// Writes the stylesheet plotly.js would otherwise inject as a <style> element at load time.
//
// Sapling's Content Security Policy has style-src 'self', so an injected <style> is refused
// (a console error, and the charts lose their layout rules). plotly.js skips the injection
// when the page already has an element with id "plotly.js-style-global" and the class
// "no-inline-styles" (plotly.js PR #7109), but its npm package ships no stylesheet
// (plotly.js issues #7332 and #7543). So we make one from the rules in the bundle itself:
// the same selectors with the same substitutions, in the order insertRule(..., 0) leaves
// them.
//
// The bundle also carries MapLibre (for map traces), whose stylesheet it injects the same
// way unless an element with its id is on the page. Sapling draws no maps, but the bundle
// injects it at load all the same; so its rules go to maplibre.css, and the id the page's
// <link> must carry to stop the injection is printed. The planning page links both files.
//
// Usage: node tools/plotly-css.mjs node_modules/plotly.js-dist-min/plotly.min.js OUTDIR
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const [bundle, outdir] = process.argv.slice(2);
const source = readFileSync(bundle, "utf8");
const start = source.indexOf('{"X,X div":');
if (start < 0) throw new Error("plotly.js style rules not found: check the bundle's version");
let depth = 0;
let end = start;
for (; end < source.length; end += 1) {
  if (source[end] === "{") depth += 1;
  if (source[end] === "}" && --depth === 0) break;
}
// A plain object literal of strings (unquoted keys, single quotes), from the pinned bundle.
const rules = new Function(`return ${source.slice(start, end + 1)};`)();
const lines = Object.entries(rules).map(([selector, body]) => {
  const full = selector
    .replace(/^,/, " ,")
    .replace(/X/g, ".js-plotly-plot .plotly")
    .replace(/Y/g, ".plotly-notifier");
  return `${full}{${body}}`;
});
const banner = "/* Generated from plotly.js-dist-min by tools/plotly-css.mjs */";
writeFileSync(join(outdir, "plotly.css"), `${banner}\n${lines.reverse().join("\n")}\n`);

const maplibre = source.match(
  /if\(!document\.getElementById\("([0-9a-f]{64})"\)\)\{var (\w+)=document\.createElement\("style"\);\2\.id="\1",\2\.textContent='((?:[^'\\]|\\.)*)'/,
);
if (!maplibre) throw new Error("MapLibre's stylesheet not found: check the bundle's version");
const css = new Function(`return '${maplibre[3]}';`)();
writeFileSync(join(outdir, "maplibre.css"), `${banner}\n${css}\n`);
process.stdout.write(`maplibre.css must be linked with id="${maplibre[1]}"\n`);
