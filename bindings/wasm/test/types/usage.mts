// Type-checked by test/types.test.mjs (tsc --noEmit): typical ESM use of the package.
import init, { compile, Compiler, jsonata, sha256, fibonacci, type JsonataError, type ValidateFunction } from '@hotpath/wasm';

await init();
const v: ValidateFunction = compile({ type: 'object' }, { formats: true, defaultDialect: 'draft7' });
const ok: boolean = v(new TextEncoder().encode('{}'));
const firstPath: string | undefined = v.errors?.[0]?.instancePath;
const unit = v.check('{}', { output: 'basic' });
const lines: Uint8Array = v.validateMany('{}\n[]\n').valid;
const digest: Uint8Array = sha256('abc', 'buffer');
const hex: string = sha256('abc');
const f: number | bigint = fibonacci(80);
const c = new Compiler({ schemas: { 'https://x.example/a.json': { type: 'string' } } });
c.addSchema({ $id: 'https://x.example/b.json' }).compile({ $ref: 'https://x.example/a.json' }).free();
const e = jsonata('$sum(items.price)', { timeoutMs: 100, bindings: { rate: 2 } });
const text: string | undefined = e.evaluate('{"items":[]}');
const bytes: Uint8Array | undefined = e.evaluate(new TextEncoder().encode('{}'), { maxDepth: 10 });
const later: Promise<string | undefined> = e.evaluateAsync({ items: [] });
e.free();
const failure = {} as JsonataError;
const code: string = failure.code;
void [ok, firstPath, unit.valid, lines, digest, hex, f, text, bytes, later, code];

// Rule files (no init() needed).
import { rules, type RuleResult, type RuleError } from '@hotpath/wasm';
const rule = await rules('export const check = (r) => r.ok === true || "not ok";', { pipeline: 'p', log: (entry) => void entry.message });
const result: RuleResult = rule.run(new TextEncoder().encode('{"ok":true}'));
const reasons: string[] | undefined = result.valid ? undefined : result.reasons;
const asyncResult: RuleResult = await rule.runAsync({ ok: false });
const ruleError = {} as RuleError;
const kind: 'load' | 'thrown' | 'result' = ruleError.kind;
// @ts-expect-error: the source is text or bytes
void rules(42);
void [reasons, asyncResult, kind, rule.hasCheck, rule.hasTransform, rule.filename];
