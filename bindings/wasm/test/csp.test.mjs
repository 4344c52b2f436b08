// CSP safety: the glue and the package contain no eval / new Function, and a page served with
// `Content-Security-Policy: script-src 'self' 'wasm-unsafe-eval'` loads and uses the package in
// Chromium (a control page with a violating inline script proves the policy is enforced).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { startServer, launchChromium } from './helpers/browser.mjs';

const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'";
const DYNAMIC_CODE = /\beval\s*\(|\bnew\s+Function\b|\bFunction\s*\(|setTimeout\s*\(\s*["'`]/;

test('no eval or new Function in the glue and lib/', () => {
  const files = [new URL('../dist/hotpath_wasm.js', import.meta.url), new URL('../dist/hotpath_wasm.mjs', import.meta.url),
    ...readdirSync(new URL('../lib/', import.meta.url)).map((f) => new URL(`../lib/${f}`, import.meta.url))];
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    assert.equal(DYNAMIC_CODE.exec(text)?.[0], undefined, `${f.pathname} uses dynamic code`);
  }
});

test('a page under a strict Content-Security-Policy validates with the package', { timeout: 120_000 }, async () => {
  const page = `<!doctype html><meta charset="utf-8"><title>csp</title>
<script type="module" src="/bindings/wasm/test/fixtures/csp-page.mjs"></script>
<output id="out">pending</output>`;
  const control = `<!doctype html><title>control</title><script>document.title = 'inline ran'</script>`;
  const server = await startServer({ headers: { 'content-security-policy': CSP },
    pages: { '/csp.html': { body: page }, '/control.html': { body: control } } });
  const browser = await launchChromium();
  try {
    const tab = await browser.newPage();
    const violations = [];
    tab.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) violations.push(m.text()); });
    await tab.goto(`${server.url}/control.html`);
    assert.equal(await tab.title(), 'control', 'the policy blocks inline scripts');
    assert.ok(violations.length > 0, 'the control page reports a violation');
    violations.length = 0;
    await tab.goto(`${server.url}/csp.html`);
    await tab.waitForFunction(() => document.getElementById('out').textContent !== 'pending', null, { timeout: 60_000 });
    const result = JSON.parse(await tab.textContent('#out'));
    assert.deepEqual(result, {
      valid: true,
      invalid: { valid: false, errors: [{ keywordLocation: '/properties/n/minimum', absoluteKeywordLocation: '#/properties/n/minimum', instanceLocation: '/n', error: 'must be >= 1, got 0' }] },
      sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    });
    assert.deepEqual(violations, []);
  } finally {
    await browser.close();
    await server.close();
  }
});
