// Node helpers for the vector suite: read the vector files and the expected outputs.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { vectorFiles } from './cases.mjs';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const EXPECTED_DIR = join(ROOT, 'tests/vectors/expected');

export function readVectorFiles() {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'tests/vectors/vectors.json'), 'utf8'));
  const files = {};
  for (const p of vectorFiles(manifest)) files[p] = readFileSync(join(ROOT, p), 'utf8');
  return files;
}

export function readExpected() {
  const expected = {};
  for (const f of readdirSync(EXPECTED_DIR).sort()) expected[f] = readFileSync(join(EXPECTED_DIR, f), 'utf8');
  return expected;
}
