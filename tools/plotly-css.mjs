// Writes the stylesheet plotly.js would otherwise inject as a <style> element at load time.
//
// Sapling's Content Security Policy has style-src 'self', so an injected <style> is refused
// (a console error, and the charts lose their layout rules). plotly.js skips the injection
// when the page already has an element with id "plotly.js-style-global" and the class
// "no-inline-styles" (plotly.js PR #7109), but its npm package ships no stylesheet
// (plotly.js issues #7332 and #7543). So we make one from the rules in the bundle itself:
// the same selectors with the same substitutions, in the order insertRule(..., 0) leaves
// them. Usage: node tools/plotly-css.mjs node_modules/plotly.js-dist-min/plotly.min.js > out.css
import { readFileSync } from "node:fs";

const source = readFileSync(process.argv[2], "utf8");
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
process.stdout.write(`/* Generated from plotly.js-dist-min by tools/plotly-css.mjs */\n${lines.reverse().join("\n")}\n`);
