// Type-checked by test/types.test.mjs (tsc --noEmit): CommonJS use of the package.
import hp = require('@hotpath/wasm');

async function main(): Promise<boolean> {
  await hp.init();
  const v = hp.compile({ type: 'string' });
  const out: string | undefined = new hp.Expression('$uppercase(name)').evaluate('{"name":"a"}');
  return v('"x"') && (await v.validateAsync('"y"')).valid && out === '"A"';
}
void main;

async function rule(): Promise<string | undefined> {
  const r: hp.Rules = await hp.rules('export const transform = (r) => r;', { filename: 'x.js' });
  const result: hp.RuleResult = await r.runAsync('{}');
  return result.valid ? result.output : result.reasons.join();
}
void rule;
