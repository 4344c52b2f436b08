// Type-checked (not run) by test/module.test.mjs: the CommonJS view of the package.
import hotpath = require('hotpath');
import { compile, Compiler, type ValidateFunction, type ValidationError } from 'hotpath';

const v: ValidateFunction = compile({ type: 'object' }, { formats: true, defaultDialect: 'draft7', refMap: { 'https://x/': '.' } });
const ok: boolean = v(Buffer.from('{}'));
const errors: ValidationError[] | null = v.errors;
if (errors) {
  const e = errors[0];
  const parts: string[] = [e.instancePath, e.schemaPath, e.keyword, e.message];
  void parts;
  void e.params;
}
const unit = v.check('{}', { output: 'basic' });
const flag: boolean = unit.valid;
const many = v.validateMany(Buffer.from('{}\n'));
const first: number = many.valid[0];
const line: number | undefined = many.errors[0]?.line;
const pending: Promise<{ valid: boolean }> = v.validateAsync({ a: 1 });
const c = new Compiler({ schemas: [{ $id: 'urn:a' }] }).addSchema({ type: 'string' }, 'urn:s');
const v2: ValidateFunction = c.compile({ $ref: 'urn:s' });
const h: bigint = hotpath.xxh3('abc');
const hex: string = hotpath.sha256('abc');
const buf: Buffer = hotpath.sha256('abc', 'buffer');
const f: number | bigint = hotpath.fibonacci(100);
const sorted: Float64Array = hotpath.sort(new Float64Array(3));
const m: number = hotpath.financialMetrics(new Float64Array(3), { volumes: new Float64Array(3) }).sharpe;
const sum: Promise<string> = hotpath.fileChecksum('/etc/hostname', 'xxh3');
const expr = hotpath.jsonata('$sum(items.price) * $rate', { bindings: { rate: 2 }, timeoutMs: 100 });
const asText: string | undefined = expr.evaluate('{"items":[{"price":1}]}');
const asBytes: Buffer | undefined = expr.evaluate(Buffer.from('{}'), { maxDepth: 50 });
const later: Promise<string | undefined> = expr.evaluateAsync({ items: [] });
void [asText, asBytes, later];
// @ts-expect-error: options.formats is a boolean
compile({}, { formats: 'yes' });
// @ts-expect-error: sort takes typed arrays only
hotpath.sort([3, 1, 2]);
void [ok, flag, first, line, pending, v2, h, hex, buf, f, sorted, m, sum];

// JavaScript rule files.
async function useRules(): Promise<void> {
  const r: hotpath.Rules = await hotpath.rules('export function check() {}', {
    filename: 'fees.js', pipeline: 'payments', log: (e: hotpath.RuleLogEntry) => void [e.file, e.pipeline, e.message],
  });
  const flags: boolean[] = [r.hasCheck, r.hasTransform];
  const name: string = r.filename;
  const result: hotpath.RuleResult = r.run(Buffer.from('{}'));
  if (result.valid) {
    const output: string | undefined = result.output;
    void output;
  } else {
    const reasons: string[] = result.reasons;
    void reasons;
  }
  const later: hotpath.RuleResult = await r.runAsync({ amount: 1 });
  try {
    r.run('{}');
  } catch (err) {
    const e = err as hotpath.RuleError;
    const where: [string, number, number, 'load' | 'thrown' | 'result' | 'timeout' | 'heap'] = [e.file, e.line, e.column, e.kind];
    void where;
  }
  // @ts-expect-error: the log sink takes one entry
  void hotpath.rules('', { log: 'console' });
  const limited: hotpath.Rules = await hotpath.rules('export function check() {}', { worker: true, timeoutMs: 50, heapMb: 64 });
  const closed: Promise<void> = limited.close();
  // @ts-expect-error: worker is a boolean
  void hotpath.rules('', { worker: 'yes' });
  void closed;
  void [flags, name, later];
}
void useRules;
