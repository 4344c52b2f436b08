// TypeScript: the ESM and CJS declarations say the same thing, and typical use type-checks
// (tsc from the root workspace, --noEmit on test/types).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const declarations = (f) => readFileSync(new URL(`../lib/${f}`, import.meta.url), 'utf8');

test('index.d.mts re-exports index.d.cts (one set of declarations), with init as default', () => {
  const esm = declarations('index.d.mts');
  assert.match(esm, /^export \* from '\.\/index\.cjs';$/m);
  assert.match(esm, /^export default init;$/m);
  assert.match(declarations('index.d.cts'), /^export \{ init as default \};$/m);
});

test('ESM and CJS usage type-check with tsc --noEmit', () => {
  const tsc = fileURLToPath(new URL('../../../node_modules/.bin/tsc', import.meta.url));
  assert.ok(existsSync(tsc), 'typescript is a devDependency of the root workspace (make setup)');
  execFileSync(tsc, ['-p', fileURLToPath(new URL('./types/tsconfig.json', import.meta.url))], { encoding: 'utf8' });
});
