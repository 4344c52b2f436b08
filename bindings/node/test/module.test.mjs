// Packaging: the CJS and ESM entries are the same module, and the TypeScript types check for
// both (tsc --noEmit on test/types).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';

import hotpath, * as named from 'hotpath';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));

describe('module entries', () => {
  it('require() and import give the same functions', () => {
    const cjs = require('hotpath');
    assert.equal(hotpath, cjs);
    for (const name of Object.keys(cjs)) assert.equal(named[name], cjs[name], name);
    assert.deepEqual(Object.keys(named).filter((k) => k !== 'default').sort(), Object.keys(cjs).sort());
    assert.equal(cjs.version, require('hotpath/package.json').version);
    assert.equal(typeof cjs.compile({})('{}'), 'boolean');
  });

  it('the package resolves to lib/ by its exports', () => {
    assert.equal(require.resolve('hotpath'), join(here, '..', 'lib', 'index.js'));
    assert.equal(fileURLToPath(import.meta.resolve('hotpath')), join(here, '..', 'lib', 'index.mjs'));
  });
});

describe('TypeScript types', () => {
  it('type-check the CJS and ESM usage with tsc --noEmit', () => {
    let dir = here;
    let tsc;
    while (!tsc) {
      const candidate = join(dir, 'node_modules', '.bin', 'tsc');
      if (existsSync(candidate)) tsc = candidate;
      else if (dirname(dir) === dir) assert.fail('typescript is not installed (npm install at the repository root)');
      else dir = dirname(dir);
    }
    const r = spawnSync(tsc, ['--noEmit', '-p', join(here, 'types', 'tsconfig.json')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });
});
