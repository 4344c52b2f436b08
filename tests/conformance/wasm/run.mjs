// The official JSON-Schema-Test-Suite against the wasm build (@hotpath/wasm), in Node. Same
// groups, order and line format as the native runner (tests/conformance/json_schema_test_suite.cpp):
//   NAME: N passed, N failed, N skipped      per draft and per optional group
//   required|optional: ... (P% passed), conformance: ...
// Remote references (http://localhost:1234/) are the suite's remotes/ files, registered with
// Compiler#addSchema under that URI (the wasm build has no file system for a ref map).
//   node tests/conformance/wasm/run.mjs SUITE_DIR [--draft NAME] [--verbose]
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import init, { Compiler } from '../../../bindings/wasm/lib/index.mjs';
import { parseWithSource, sourceOf } from './source-json.mjs';

const DRAFTS = ['draft4', 'draft6', 'draft7', 'draft2019-09', 'draft2020-12'];
const REMOTES_ORIGIN = 'http://localhost:1234/';
const OPTIONAL_GATE = 97.0;

function jsonFilesIn(dir) {
  try {
    return readdirSync(dir).filter((f) => f.endsWith('.json') && statSync(join(dir, f)).isFile()).sort()
      .map((f) => join(dir, f));
  } catch {
    return [];
  }
}

function allFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    (e.isDirectory() ? allFiles(join(dir, e.name)) : e.name.endsWith('.json') ? [join(dir, e.name)] : []));
}

const byteCompare = (a, b) => (Buffer.compare(Buffer.from(a), Buffer.from(b)));

export async function runConformance(suite, { draft, verbose = false, print = console.log } = {}) {
  await init();
  const remotes = allFiles(join(suite, 'remotes')).sort(byteCompare)
    .map((file) => [REMOTES_ORIGIN + relative(join(suite, 'remotes'), file).split('\\').join('/'), readFileSync(file, 'utf8')]);
  const lines = [];
  const out = (line) => {
    lines.push(line);
    print(line);
  };

  function runGroup(name, files, dialect, formats) {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const rel = relative(join(suite, 'tests'), file);
      let root;
      try {
        root = parseWithSource(text);
      } catch (err) {
        counts.failed++;
        out(`FAIL ${rel}: cannot parse the file: ${err.message}`);
        continue;
      }
      for (const testCase of root.items) {
        const schemaNode = testCase.members.get('schema');
        const schemaText = sourceOf(text, schemaNode);
        let v = null;
        let compileError = null;
        for (const t of testCase.members.get('tests').items) {
          if (v === null && compileError === null) {
            try {
              const compiler = new Compiler({ defaultDialect: dialect, formats });
              if (schemaText.includes(REMOTES_ORIGIN)) {
                for (const [uri, remote] of remotes) {
                  // Natively a remote is read only when referenced; some (remotes/v1/) are not
                  // schemas of a supported dialect and must not spoil the others.
                  try {
                    compiler.addSchema(remote, uri);
                  } catch {}
                }
              }
              v = compiler.compile(schemaText);
              compiler.free();
            } catch (err) {
              compileError = err;
            }
          }
          const data = sourceOf(text, t.members.get('data'));
          const expected = t.members.get('valid').value;
          let why = null;
          if (compileError) {
            why = `compile error: ${compileError.message}`;
          } else {
            const got = v(data);
            const basic = v.check(data, { output: 'basic' });
            const flag = v.check(data, { output: 'flag' });
            if (got !== expected) why = `validate() returned ${got ? 'valid' : 'invalid'}, expected ${expected ? 'valid' : 'invalid'}`;
            else if (basic.valid !== got) why = 'check(basic).valid disagrees with v()';
            else if (!basic.valid && !(basic.errors?.length > 0)) why = 'invalid, but the basic output has no errors';
            else if (flag.valid !== got || flag.errors !== undefined) why = 'check(flag) disagrees with v() or carries errors';
          }
          if (why === null) {
            counts.passed++;
          } else {
            counts.failed++;
            if (verbose) {
              out(`FAIL ${rel} | ${testCase.members.get('description').value} | ${t.members.get('description').value}\n` +
                  `  schema:   ${schemaText.slice(0, 2000)}\n  data:     ${data.slice(0, 2000)}\n  why:      ${why}`);
            }
          }
        }
        v?.free();
      }
    }
    out(`${name}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
    return counts;
  }

  const add = (a, b) => ({ passed: a.passed + b.passed, failed: a.failed + b.failed, skipped: a.skipped + b.skipped });
  let required = { passed: 0, failed: 0, skipped: 0 };
  let optional = { passed: 0, failed: 0, skipped: 0 };
  for (const d of DRAFTS) {
    if (draft && draft !== d) continue;
    const dir = join(suite, 'tests', d);
    required = add(required, runGroup(d, jsonFilesIn(dir), d, false));
    for (const f of jsonFilesIn(join(dir, 'optional'))) {
      optional = add(optional, runGroup(`${d}/optional/${f.split('/').pop().slice(0, -5)}`, [f], d, false));
    }
    for (const f of jsonFilesIn(join(dir, 'optional', 'format'))) {
      optional = add(optional, runGroup(`${d}/optional/format/${f.split('/').pop().slice(0, -5)}`, [f], d, true));
    }
  }
  const rate = (c) => {
    const total = c.passed + c.failed + c.skipped;
    return total === 0 ? 100 : (100 * c.passed) / total;
  };
  const line = (name, c, withRate) => out(`${name}: ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped` +
    (withRate ? ` (${rate(c).toFixed(2)}% passed)` : ''));
  line('required', required, true);
  line('optional', optional, true);
  line('conformance', add(required, optional), false);
  const ok = required.failed === 0 && rate(optional) >= OPTIONAL_GATE;
  return { ok, lines, required, optional };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const suite = args.find((a) => !a.startsWith('--') && args[args.indexOf(a) - 1] !== '--draft');
  const draftAt = args.indexOf('--draft');
  if (!suite) {
    console.error('usage: node tests/conformance/wasm/run.mjs SUITE_DIR [--draft NAME] [--verbose]');
    process.exit(2);
  }
  const { ok } = await runConformance(suite, { draft: draftAt >= 0 ? args[draftAt + 1] : undefined, verbose: args.includes('--verbose') });
  process.exit(ok ? 0 : 1);
}
