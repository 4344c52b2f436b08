// Type-checked (not run) by test/module.test.mjs: the ES module view of the package.
import hotpath, { compile, countPrimes, returns, rules, type ManyResult, type OutputUnit, type RuleResult } from 'hotpath';

const v = compile('{"type":"array"}', { asyncThreshold: 0, schemas: { 'urn:x': { type: 'integer' } } });
const ok: boolean = v(new Uint8Array(2));
const out: OutputUnit = v.check(Buffer.from('[]'), { output: 'flag' });
const many: ManyResult = v.validateMany('[]\n{}');
const result = await v.validateAsync('[]');
const valid: boolean = result.valid;
const n: number = countPrimes(100);
const r: Float64Array = returns(new Float64Array([1, 2]), 'log');
const version: string = hotpath.version;
// @ts-expect-error: output must be 'flag' or 'basic'
v.check('[]', { output: 'verbose' });
const rule = await rules(Buffer.from('export const transform = (r) => r;'), { pipeline: 'p' });
const ruled: RuleResult = rule.run('{}');
const ruledLater: RuleResult = await rule.runAsync(new Uint8Array(2));
const inWorker = await rules('export const check = () => true;', { worker: true, timeoutMs: 100 });
await inWorker.runAsync('{}');
await inWorker.close();
const outputText: string | undefined = ruled.valid ? ruled.output : ruled.reasons[0];
// @ts-expect-error: there is no output on a rejected record
if (!ruledLater.valid) void ruledLater.output;
void [ok, out, many, valid, n, r, version, outputText];
