// The playground's Web Worker: all reading and validation happens here, so the page stays
// responsive. NDJSON is read in chunks (File.slice), validated a batch of whole lines at a time,
// so a file of hundreds of MB never sits in memory at once; a JSON document is read whole
// (the engine needs all of it) and validated once.
//   in:  {file, schema, formats, defaultDialect, mode: 'auto'|'json'|'ndjson', maxErrors, chunkBytes?}
//   out: {type: 'ready'} | {type: 'progress', ...counts} | {type: 'done', ...counts, errors}
//        | {type: 'error', message}
import init, { compile } from '/wasm/lib/index.mjs';

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

function flatten(lineErrors, into, max) {
  for (const { line, errors } of lineErrors) {
    for (const e of errors) {
      if (into.length >= max) return;
      into.push({ line, instancePath: e.instancePath, keyword: e.keyword, message: e.message });
    }
  }
}

async function validateNdjson(v, file, maxErrors, CHUNK_BYTES) {
  const started = performance.now();
  const counts = { valid: 0, invalid: 0, lines: 0, bytes: 0, total: file.size };
  const errors = [];
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
      const r = v.validateMany(buf.subarray(0, cut));
      let ok = 0;
      for (const f of r.valid) ok += f;
      if (errors.length < maxErrors) flatten(shiftErrors(r.errors, counts.lines), errors, maxErrors);
      counts.valid += ok;
      counts.invalid += r.valid.length - ok;
      counts.lines += r.valid.length;
    }
    carry = buf.slice(cut);
    counts.bytes = Math.min(at + CHUNK_BYTES, file.size);
    postMessage({ type: 'progress', ...counts, ms: performance.now() - started });
  }
  return { ...counts, ms: performance.now() - started, errors };
}

async function validateDocument(v, file, maxErrors) {
  const started = performance.now();
  postMessage({ type: 'progress', valid: 0, invalid: 0, lines: 0, bytes: 0, total: file.size, ms: 0 });
  const bytes = new Uint8Array(await file.arrayBuffer());
  const valid = v(bytes);
  const errors = [];
  if (!valid) flatten([{ line: null, errors: v.errors }], errors, maxErrors);
  return { valid: valid ? 1 : 0, invalid: valid ? 0 : 1, lines: 1, bytes: file.size, total: file.size,
    ms: performance.now() - started, errors };
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
    const result = isNdjson(data.file, data.mode)
      ? await validateNdjson(v, data.file, data.maxErrors, data.chunkBytes || DEFAULT_CHUNK_BYTES)
      : await validateDocument(v, data.file, data.maxErrors);
    v.free();
    postMessage({ type: 'done', cancelled, ...result });
  } catch (err) {
    postMessage({ type: 'error', message: String(err && err.message || err) });
  }
};

init().then(() => postMessage({ type: 'ready' }), (err) => postMessage({ type: 'error', message: err.message }));
