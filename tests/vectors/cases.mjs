// The one vector suite, independent of any host: given a Hotpath API (the Node addon or
// @hotpath/wasm) and the vector files' texts, computes every output as the text that must equal
// tests/vectors/expected/<file> byte for byte. Runs in Node and in the browser unchanged.
//
//   const outputs = await runVectors(api, files)   // files: {path: text}, outputs: {file: text}
const encoder = new TextEncoder();

function compileOptions(options, files) {
  const o = { ...options };
  if (o.schemas) o.schemas = o.schemas.map((path) => files[path]);
  return o;
}

const show = (value) => `${JSON.stringify(value)}\n`;

function errorFields(err) {
  return { code: err.code, message: err.message, schemaUri: err.schemaUri, location: err.location };
}

async function runCase(api, c, files, outputs) {
  let v;
  try {
    v = api.compile(encoder.encode(files[c.schema]), compileOptions(c.options, files));
  } catch (err) {
    outputs[`${c.name}.compile.json`] = show(errorFields(err));
    return;
  }
  const text = files[c.input];
  const bytes = encoder.encode(text);
  if (c.ndjson) {
    const many = v.validateMany(bytes);
    outputs[`${c.name}.many.json`] = show({ valid: Array.from(many.valid), errors: many.errors });
    return;
  }
  const valid = v(bytes);
  outputs[`${c.name}.validate.json`] = show({ valid, errors: v.errors });
  // Strings are JSON text, the same document: the same answers.
  outputs[`${c.name}.validate-string.json`] = show({ valid: v(text), errors: v.errors });
  outputs[`${c.name}.check-basic.json`] = show(v.check(text, { output: 'basic' }));
  outputs[`${c.name}.check-flag.json`] = show(v.check(bytes, { output: 'flag' }));
  outputs[`${c.name}.async.json`] = show(await v.validateAsync(bytes));
}

function runKernels(api, k) {
  const hashes = [];
  for (const t of k.texts) {
    for (const s of k.seeds) {
      const seed = typeof s === 'string' ? BigInt(s) : s;
      hashes.push({
        text: t, seed: String(s),
        xxh64: api.xxh64(encoder.encode(t), seed).toString(16),
        xxh3: api.xxh3(t, seed).toString(16),
        xxh3_128: api.xxh3_128(t, seed).toString(16),
      });
    }
    hashes.push({ text: t, sha256: api.sha256(t) });
  }
  const prices = Float64Array.from(k.prices);
  const volumes = Float64Array.from(k.volumes);
  const sorted = api.sort(Float64Array.from(k.sort));
  return {
    hashes,
    fibonacci: k.fibonacci.map((n) => String(api.fibonacci(n))),
    countPrimes: k.countPrimes.map((n) => api.countPrimes(n)),
    metrics: api.financialMetrics(prices, { volumes }),
    logMetrics: api.financialMetrics(prices, { returns: 'log', periodsPerYear: 12, riskFreeRate: 0.001 }),
    returns: Array.from(api.returns(prices, 'log')),
    sort: Array.from(sorted, (x) => (Object.is(x, -0) ? '-0' : x)),
    sortInt: Array.from(api.sort(Int32Array.from([5, -3, 2147483647, -2147483648, 0]))),
  };
}

// JSONata: each case's result as JSON text (from bytes in, and from text in: the same), or
// undefined, or the error's code, position and token. evaluateAsync must agree.
async function runJsonata(api, cases, files) {
  const results = {};
  for (const c of cases) {
    const expr = c.expr ?? files[c.exprFile];
    const options = c.bindings ? { bindings: c.bindings } : undefined;
    let r;
    try {
      const e = api.jsonata(expr);
      const text = c.input ? files[c.input] : undefined;
      const fromText = e.evaluate(text, options);
      const fromBytes = c.input ? e.evaluate(encoder.encode(text), options) : fromText;
      const bytesAsText = fromBytes === undefined || typeof fromBytes === 'string' ? fromBytes : new TextDecoder().decode(fromBytes);
      const later = await e.evaluateAsync(text, options);
      if (bytesAsText !== fromText || later !== fromText) throw new Error(`${c.name}: bytes, text and async results differ`);
      r = fromText === undefined ? { undefined: true } : { result: fromText };
    } catch (err) {
      if (typeof err.position !== 'number') throw err;
      r = { error: { code: err.code, position: err.position, token: err.token ?? null } };
    }
    results[c.name] = r;
  }
  return results;
}

// The NDJSON line hotpathd writes for one record of a pipeline whose only step is a rule file:
// {"valid":true,"output":<the output JSON text>} (the record itself without a transform),
// {"valid":true} for an undefined output, {"valid":false,"errors":[...]} with one standard-output
// error per check reason, or for a rule error one error "rules failed: <file:line:column: message>".
function ruleLine(outcome) {
  const failure = (messages) => JSON.stringify({
    valid: false,
    errors: messages.map((error) => ({ keywordLocation: '', absoluteKeywordLocation: '', instanceLocation: '', error })),
  });
  if (outcome.error) return failure([`rules failed: ${outcome.error}`]);
  if (!outcome.valid) return failure(outcome.reasons);
  return outcome.output === undefined ? '{"valid":true}' : `{"valid":true,"output":${outcome.output}}`;
}

// Rule files: each NDJSON record through rules().runAsync(); run() (for what it can run: not a
// promise) and bytes in must give the same answers.
async function runRules(api, cases, files) {
  const results = {};
  for (const c of cases) {
    const filename = c.file.slice(c.file.lastIndexOf('/') + 1);
    const rule = await api.rules(files[c.file], { filename, pipeline: c.pipeline });
    const outcome = async (record) => {
      try {
        return await rule.runAsync(record);
      } catch (err) {
        if (err.code !== 'HOTPATH_RULE_ERROR') throw err;
        return { error: err.message };
      }
    };
    const lines = [];
    for (const record of files[c.input].split('\n').filter((l) => l !== '')) {
      const line = ruleLine(await outcome(record));
      if (ruleLine(await outcome(encoder.encode(record))) !== line) throw new Error(`${c.name}: bytes and text answers differ`);
      let sync;
      try {
        sync = rule.run(record);
      } catch (err) {
        if (err.code === 'HOTPATH_RULE_ERROR') sync = { error: err.message };
        else if (err.code !== 'HOTPATH_RULE_ASYNC') throw err;
      }
      if (sync !== undefined && ruleLine(sync) !== line) throw new Error(`${c.name}: run() and runAsync() answers differ`);
      lines.push(line);
    }
    results[c.name] = lines;
  }
  return results;
}

export async function runVectors(api, files) {
  const manifest = JSON.parse(files['tests/vectors/vectors.json']);
  const outputs = {};
  for (const c of manifest.cases) await runCase(api, c, files, outputs);
  outputs['jsonata.json'] = `${JSON.stringify(await runJsonata(api, manifest.jsonata, files), null, 1)}\n`;
  outputs['kernels.json'] = `${JSON.stringify(runKernels(api, manifest.kernels), null, 1)}\n`;
  outputs['rules.json'] = `${JSON.stringify(await runRules(api, manifest.rules, files), null, 1)}\n`;
  return outputs;
}

// Every file the vectors read, by repository-relative path.
export function vectorFiles(manifest) {
  const paths = new Set(['tests/vectors/vectors.json']);
  for (const c of manifest.cases) {
    paths.add(c.schema);
    if (c.input) paths.add(c.input);
    for (const s of c.options.schemas || []) paths.add(s);
  }
  for (const c of manifest.jsonata) {
    if (c.exprFile) paths.add(c.exprFile);
    if (c.input) paths.add(c.input);
  }
  for (const c of manifest.rules) {
    paths.add(c.file);
    paths.add(c.input);
  }
  return [...paths];
}
