// Writes tests/vectors/expected/ from the native addon (the reference backend). Run after a
// deliberate change of behaviour, then review the diff: the files are the contract.
//   node tests/vectors/generate.mjs
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { runVectors } from './cases.mjs';
import { EXPECTED_DIR, ROOT, readVectorFiles } from './load.mjs';

const require = createRequire(import.meta.url);
const hotpath = require(join(ROOT, 'bindings/node'));
const outputs = await runVectors(hotpath, readVectorFiles());
mkdirSync(EXPECTED_DIR, { recursive: true });
for (const f of readdirSync(EXPECTED_DIR)) rmSync(join(EXPECTED_DIR, f));
for (const [name, text] of Object.entries(outputs)) writeFileSync(join(EXPECTED_DIR, name), text);
console.log(`wrote ${Object.keys(outputs).length} files to ${EXPECTED_DIR}`);
