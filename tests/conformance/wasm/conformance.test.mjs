// The wasm build must reach exactly the native runner's counts on the official suite: the same
// lines, group by group (hotpath-conformance from `make build`, HOTPATH_CONFORMANCE to override).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runConformance } from './run.mjs';

const ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const SUITE = process.env.HOTPATH_SUITE || join(ROOT, '../shared/conformance/json-schema-test-suite');
const NATIVE = process.env.HOTPATH_CONFORMANCE || join(ROOT, 'build/bin/hotpath-conformance');

test('wasm conformance counts equal the native runner\'s, group by group', { timeout: 600_000 }, async () => {
  assert.ok(existsSync(join(SUITE, 'tests')), `the JSON Schema Test Suite is not at ${SUITE}`);
  assert.ok(existsSync(NATIVE), `${NATIVE} is missing: run make build`);
  const native = execFileSync(NATIVE, [SUITE], { encoding: 'utf8', maxBuffer: 64 << 20 })
    .split('\n').filter((l) => /^\S+: \d+ passed/.test(l));
  const wasm = await runConformance(SUITE, { print: () => {} });
  assert.ok(native.length > 100, `native printed ${native.length} count lines`);
  assert.deepEqual(wasm.lines, native);
  assert.equal(wasm.required.failed, 0);
  assert.ok(wasm.ok);
});
