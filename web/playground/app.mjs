// The playground page: gathers the file, the schema and the optional JSONata transform, hands
// them to worker.mjs, and shows progress, counts, throughput, the first transform results and the
// first errors. No work on the main thread.
const $ = (id) => document.getElementById(id);
const MAX_ERRORS = 100;
const MAX_OUTPUTS = 20;
// ?chunk=BYTES reads NDJSON in smaller pieces (tests use it to cross chunk boundaries).
const CHUNK_BYTES = Number(new URLSearchParams(location.search).get('chunk')) || undefined;
const worker = new Worker(new URL('./worker.mjs', import.meta.url), { type: 'module' });
let dataFile = null;
let ready = false;
let running = false;

const fmtBytes = (n) => (n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KB` : `${n} B`);
const fmtCount = (n) => n.toLocaleString('en-US');

function status(text, isError = false) {
  $('status').textContent = text;
  $('status').classList.toggle('error', isError);
}

function refresh() {
  $('run').disabled = !(ready && dataFile && $('schema').value.trim() && !running);
  $('cancel').disabled = !running;
}

function setDataFile(file) {
  dataFile = file;
  $('drop-text').textContent = `${file.name} (${fmtBytes(file.size)})`;
  refresh();
}

function show(m) {
  $('valid-count').textContent = fmtCount(m.valid);
  $('invalid-count').textContent = fmtCount(m.invalid);
  $('bytes').textContent = `${fmtBytes(m.bytes)} of ${fmtBytes(m.total)}`;
  $('progress').value = m.total > 0 ? m.bytes / m.total : 1;
  $('throughput').textContent = m.ms > 0 ? `${(m.bytes / (1 << 20) / (m.ms / 1000)).toFixed(1)} MB/s` : '–';
}

function showOutputs(m) {
  $('outputs-panel').hidden = !m.transform;
  $('transformed-count').textContent = m.transform ? fmtCount(m.transformed) : '–';
  const body = $('outputs').tBodies[0];
  body.replaceChildren(...(m.outputs || []).map((o) => {
    const tr = document.createElement('tr');
    for (const text of [o.line ?? '–', o.output.length > 2000 ? `${o.output.slice(0, 2000)}…` : o.output]) {
      const td = document.createElement('td');
      td.textContent = String(text);
      tr.append(td);
    }
    return tr;
  }));
}

function showErrors(errors) {
  const body = $('errors').tBodies[0];
  body.replaceChildren(...errors.map((e) => {
    const tr = document.createElement('tr');
    for (const text of [e.line ?? '–', e.instancePath === '' ? '(root)' : e.instancePath, e.keyword, e.message]) {
      const td = document.createElement('td');
      td.textContent = String(text);
      tr.append(td);
    }
    return tr;
  }));
}

worker.onmessage = ({ data: m }) => {
  if (m.type === 'ready') {
    ready = true;
    status('Ready. Pick a file and a schema.');
  } else if (m.type === 'progress') {
    show(m);
  } else if (m.type === 'done') {
    running = false;
    show(m);
    showOutputs(m);
    showErrors(m.errors);
    status(`${m.cancelled ? 'Cancelled' : 'Done'}: ${fmtCount(m.lines)} document(s) in ${(m.ms / 1000).toFixed(2)} s`);
  } else if (m.type === 'error') {
    running = false;
    status(m.message, true);
  }
  refresh();
};

$('data-file').addEventListener('change', (e) => e.target.files[0] && setDataFile(e.target.files[0]));
$('schema-file').addEventListener('change', async (e) => {
  const f = e.target.files[0];
  if (f) $('schema').value = await f.text();
  refresh();
});
$('schema').addEventListener('input', refresh);
const drop = $('drop');
drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (e) => {
  e.preventDefault();
  drop.classList.remove('over');
  if (e.dataTransfer.files[0]) setDataFile(e.dataTransfer.files[0]);
});
$('run').addEventListener('click', () => {
  running = true;
  showErrors([]);
  showOutputs({ transform: false });
  status(`Validating ${dataFile.name}…`);
  worker.postMessage({ type: 'run', file: dataFile, schema: $('schema').value, formats: $('formats').checked,
    defaultDialect: $('dialect').value, transform: $('transform').value, mode: $('mode').value,
    maxErrors: MAX_ERRORS, maxOutputs: MAX_OUTPUTS, chunkBytes: CHUNK_BYTES });
  refresh();
});
$('cancel').addEventListener('click', () => worker.postMessage({ type: 'cancel' }));
