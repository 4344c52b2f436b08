// rules(): JavaScript rule files with hotpathd's contract (core/rules/README.md), without wasm and
// without init(): the same scenario (fixtures/rules-scenario.mjs) in Node (ESM and CJS entries), in
// a Chromium page (Blob URL modules), in a module Web Worker, and under Content-Security-Policies.
// The exhaustive cases are in bindings/node/test/rules.test.mjs: dist/rules.mjs is that package's
// lib/rules.mjs, copied by the build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { rules } from '../lib/index.mjs';
import { rulesScenario, RULES_EXPECTED, SYNTAX_IN_NODE, SYNTAX_IN_BROWSERS } from './fixtures/rules-scenario.mjs';

const inNode = { ...RULES_EXPECTED, syntaxErrors: SYNTAX_IN_NODE };
const inBrowsers = { ...RULES_EXPECTED, syntaxErrors: SYNTAX_IN_BROWSERS };
import { startServer, launchChromium } from './helpers/browser.mjs';

const require = createRequire(import.meta.url);

test('in Node, before and without init()', async () => {
  assert.deepEqual(await rulesScenario(rules), inNode);
  const index = await import('../lib/index.mjs');
  assert.throws(() => index.compile({}), { code: 'HOTPATH_WASM_NOT_INITIALIZED' });
});

test('the CommonJS entry', async () => {
  const cjs = require('../lib/index.cjs');
  const rule = await cjs.rules('export const transform = (r, ctx) => ({ ...r, pipeline: ctx.pipeline });', { pipeline: 'cjs' });
  assert.deepEqual(rule.run('{"a":1}'), { valid: true, output: '{"a":1,"pipeline":"cjs"}' });
});

async function inChromium(headers, run) {
  const body = '<!doctype html><meta charset="utf-8"><title>rules</title>';
  const server = await startServer({ headers, pages: { '/rules.html': { body } } });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(`${server.url}/rules.html`);
    return await run(page);
  } finally {
    await browser.close();
    await server.close();
  }
}

const scenarioInPage = (page) => page.evaluate(async () => {
  const { rules: load } = await import('/bindings/wasm/lib/index.mjs');
  const { rulesScenario: scenario } = await import('/bindings/wasm/test/fixtures/rules-scenario.mjs');
  return scenario(load);
});

test('in a Chromium page and a module Web Worker', { timeout: 120_000 }, async () => {
  await inChromium({}, async (page) => {
    assert.deepEqual(await scenarioInPage(page), inBrowsers);
    const inWorker = await page.evaluate(() => new Promise((ok, fail) => {
      const w = new Worker('/bindings/wasm/test/fixtures/rules-worker.mjs', { type: 'module' });
      w.onmessage = (e) => ok(e.data);
      w.onerror = (e) => fail(new Error(e.message));
    }));
    assert.deepEqual(inWorker, inBrowsers);
  });
});

test('a Content-Security-Policy must allow blob: scripts; without it the load error says so', { timeout: 120_000 }, async () => {
  const allowed = { 'content-security-policy': "default-src 'self'; script-src 'self' blob:" };
  await inChromium(allowed, async (page) => assert.deepEqual(await scenarioInPage(page), inBrowsers));
  const strict = { 'content-security-policy': "default-src 'self'; script-src 'self'" };
  await inChromium(strict, async (page) => {
    const err = await page.evaluate(async () => {
      const { rules: load } = await import('/bindings/wasm/lib/index.mjs');
      return load('export const check = () => true;', { filename: 'csp.js' }).then(() => null,
        (e) => ({ code: e.code, kind: e.kind, message: e.message }));
    });
    assert.equal(err?.code, 'HOTPATH_RULE_ERROR');
    assert.equal(err.kind, 'load');
    assert.match(err.message, /^csp\.js: cannot load the rule as a module from a blob: URL \(TypeError: .*\); a Content-Security-Policy must allow script-src blob:$/);
  });
});
