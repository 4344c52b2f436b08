// Writes the ES-module form of Emscripten's MODULARIZE glue: the same text plus
// `export default createHotpathModule;`. Run by CMake after each link.
//   node esm-glue.mjs dist/hotpath_wasm.js dist/hotpath_wasm.mjs
import { readFileSync, writeFileSync } from 'node:fs';

const [input, output] = process.argv.slice(2);
const glue = readFileSync(input, 'utf8');
if (!/\bvar createHotpathModule\b/.test(glue)) {
  console.error(`${input}: no createHotpathModule factory (was it linked with -sMODULARIZE?)`);
  process.exit(1);
}
writeFileSync(output, `${glue}\nexport default createHotpathModule;\n`);
