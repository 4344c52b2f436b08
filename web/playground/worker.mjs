// The playground's Web Worker: all reading, validation and transformation happens here, so the
// page stays responsive. NDJSON is read in chunks (File.slice), validated a batch of whole lines
// at a time, so a file of hundreds of MB never sits in memory at once; a JSON document is read
// whole (the engine needs all of it) and validated once. With a JSONata transform, every valid
// document is evaluated (bytes in, JSON bytes out); the first results are kept for display and
// a failing evaluation is listed with the errors (keyword "transform").
//   in:  {file, schema, formats, defaultDialect, transform, mode: 'auto'|'json'|'ndjson', maxErrors,
//         maxOutputs, chunkBytes?}
//   out: {type: 'ready'} | {type: 'progress', ...counts} | {type: 'done', ...counts, errors, outputs}
//        | {type: 'error', message}
import init, { compile, jsonata } from '/wasm/lib/index.mjs';

const DEFAULT_CHUNK_BYTES = 8 << 20;
let cancelled = false;

function isNdjson(file, mode) {
  if (mode !== 'auto') return mode === 'ndjson';
  return /\.(ndjson|jsonl)$/i.test(file.name);
}

// validateMany numbers lines within its batch: make them file lines (the parse message too).
function shiftErrors(batchErrors, lineBase) {
  return batchErrors.map(({ line, errors }) => ({
    line: line + lineBase,
    errors: errors.map((e) => (e.keyword === 'parse'
      ? { ...e, message: e.message.replace(/^invalid JSON at line \d+/, `invalid JSON at line ${line + lineBase}`) }
      : e)),
  }));
}

const decoder = new TextDecoder();

// Evaluates the transform over one valid document; counts it and keeps the first results and
// errors.
function transformOne(e, bytes, line, counts, outputs, errors, max) {
  try {
    const r = e.evaluate(bytes);
    counts.transformed++;
    if (outputs.length < max.outputs) outputs.push({ line, output: r === undefined ? '(undefined)' : decoder.decode(r) });
  } catch (err) {
    counts.transformFailed++;
    if (errors.length < max.errors) {
      errors.push({ line, instancePath: '', keyword: 'transform', message: `${err.code} at position ${err.position}: ${err.message}` });
    }
  }
}

function flatten(lineErrors, into, max) {
  for (const { line, errors } of lineErrors) {
    for (const e of errors) {
      if (into.length >= max) return;
      into.push({ line, instancePath: e.instancePath, keyword: e.keyword, message: e.message });
    }
  }
}

async function validateNdjson(v, e, file, max, CHUNK_BYTES) {
  const started = performance.now();
  const counts = { valid: 0, invalid: 0, lines: 0, bytes: 0, total: file.size, transformed: 0, transformFailed: 0 };
  const errors = [];
  const outputs = [];
  let carry = new Uint8Array(0);
  for (let at = 0; at < file.size && !cancelled; at += CHUNK_BYTES) {
    const chunk = new Uint8Array(await file.slice(at, at + CHUNK_BYTES).arrayBuffer());
    const last = at + CHUNK_BYTES >= file.size;
    let buf = chunk;
    if (carry.length > 0) {
      buf = new Uint8Array(carry.length + chunk.length);
      buf.set(carry);
      buf.set(chunk, carry.length);
    }
    const cut = last ? buf.length : buf.lastIndexOf(10) + 1; // through the last '\n'
    if (cut > 0) {
      const batch = buf.subarray(0, cut);
      const r = v.validateMany(batch);
      let ok = 0;
      for (const f of r.valid) ok += f;
      if (errors.length < max.errors) flatten(shiftErrors(r.errors, counts.lines), errors, max.errors);
      if (e) {
        // The valid lines, as the engine cut them: '\n'-terminated, a final line without one.
        for (let i = 0, start = 0; i < r.valid.length; i++) {
          let end = batch.indexOf(10, start);
          if (end < 0) end = batch.length;
          if (r.valid[i]) transformOne(e, batch.subarray(start, end), counts.lines + i + 1, counts, outputs, errors, max);
          start = end + 1;
        }
      }
      counts.valid += ok;
      counts.invalid += r.valid.length - ok;
      counts.lines += r.valid.length;
    }
    carry = buf.slice(cut);
    counts.bytes = Math.min(at + CHUNK_BYTES, file.size);
    postMessage({ type: 'progress', ...counts, ms: performance.now() - started });
  }
  return { ...counts, ms: performance.now() - started, errors, outputs };
}

async function validateDocument(v, e, file, max) {
  const started = performance.now();
  postMessage({ type: 'progress', valid: 0, invalid: 0, lines: 0, bytes: 0, total: file.size, ms: 0 });
  const bytes = new Uint8Array(await file.arrayBuffer());
  const valid = v(bytes);
  const counts = { transformed: 0, transformFailed: 0 };
  const errors = [];
  const outputs = [];
  if (!valid) flatten([{ line: null, errors: v.errors }], errors, max.errors);
  else if (e) transformOne(e, bytes, null, counts, outputs, errors, max);
  return { valid: valid ? 1 : 0, invalid: valid ? 0 : 1, lines: 1, bytes: file.size, total: file.size,
    ms: performance.now() - started, errors, outputs, ...counts };
}

onmessage = async ({ data }) => {
  if (data.type === 'cancel') {
    cancelled = true;
    return;
  }
  cancelled = false;
  try {
    let v;
    try {
      v = compile(data.schema, { formats: data.formats, defaultDialect: data.defaultDialect });
    } catch (err) {
      postMessage({ type: 'error', message: `schema: ${err.message}` });
      return;
    }
    let e = null;
    if (data.transform && data.transform.trim()) {
      try {
        e = jsonata(data.transform);
      } catch (err) {
        v.free();
        postMessage({ type: 'error', message: `transform: ${err.code} at position ${err.position}: ${err.message}` });
        return;
      }
    }
    const max = { errors: data.maxErrors, outputs: data.maxOutputs ?? 20 };
    const result = isNdjson(data.file, data.mode)
      ? await validateNdjson(v, e, data.file, max, data.chunkBytes || DEFAULT_CHUNK_BYTES)
      : await validateDocument(v, e, data.file, max);
    v.free();
    if (e) e.free();
    result.transform = e !== null;
    postMessage({ type: 'done', cancelled, ...result });
  } catch (err) {
    postMessage({ type: 'error', message: String(err && err.message || err) });
  }
};

init().then(() => postMessage({ type: 'ready' }), (err) => postMessage({ type: 'error', message: err.message }));
