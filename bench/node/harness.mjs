// Timing for the Node benchmarks: CPU-time batches (process.cpuUsage, like bench/schema/ajv.mjs),
// an iteration count calibrated per side, and the sides of one comparison interleaved batch by
// batch so a burst of load from other processes lands on all of them; ratios are taken round by
// round (ratio()).
import os from 'node:os';

const cpuNs = (u) => (u.user + u.system) * 1000;
export let sink = 0; // every result feeds this so no call can be optimised away

export function consume(x) {
  sink = (sink + (typeof x === 'boolean' ? (x ? 1 : 2) : typeof x === 'number' ? x | 0 : 3)) | 0;
}

function runBatch(fn, iterations) {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) consume(fn());
  const real = Number(process.hrtime.bigint() - t0);
  return { cpu: cpuNs(process.cpuUsage(c0)), real };
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos), hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

// Grows the batch until it lasts >= target/4 of wall time, then scales it to the target.
// The calibration batches double as warm-up (V8 tiers the closure up during them).
function calibrate(fn, target) {
  let n = 1;
  let warm = 0;
  for (;;) {
    const { real } = runBatch(fn, n);
    warm += real;
    if (real >= target / 4 && warm >= target) return Math.max(1, Math.round((n * target) / Math.max(real, 1)));
    n = real < target / 100 ? n * 10 : n * 2;
  }
}

// sides: { name: () => result }. Returns { name: { ns, iqrPct, iterations, batches } } with ns the
// median CPU ns per call over `repetitions` interleaved batches.
export function compare(sides, { minTime, repetitions }) {
  const target = minTime * 1e9;
  const names = Object.keys(sides);
  const n = {};
  for (const name of names) n[name] = calibrate(sides[name], target);
  const cpu = Object.fromEntries(names.map((k) => [k, []]));
  const real = Object.fromEntries(names.map((k) => [k, []]));
  for (let r = 0; r < repetitions; r++) {
    for (const name of names) {
      const b = runBatch(sides[name], n[name]);
      cpu[name].push(b.cpu / n[name]);
      real[name].push(b.real / n[name]);
    }
  }
  const out = {};
  for (const name of names) {
    const m = median(cpu[name]);
    out[name] = {
      ns: m,
      realNs: median(real[name]),
      iqrPct: m > 0 ? (100 * (quantile(cpu[name], 0.75) - quantile(cpu[name], 0.25))) / m : 0,
      iterations: n[name],
      batches: repetitions,
      cpuBatches: cpu[name],  // CPU ns per call of each batch, in round order
    };
  }
  return out;
}

// How many times faster side `fast` is than side `slow` in a compare() result: the median of
// the round-by-round ratios slow / fast. The batches of one round ran one after the other, so
// on a VM whose CPUs change speed from one second to the next they compare better than the
// medians of all batches do.
export function ratio(r, slow, fast) {
  const a = r[slow]?.cpuBatches, b = r[fast]?.cpuBatches;
  if (!a || !b || a.length !== b.length || a.length === 0) return r[slow].ns / r[fast].ns;
  return median(a.map((x, i) => x / b[i]));
}

export function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model?.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: (os.totalmem() / 2 ** 30).toFixed(1),
    node: process.version,
    v8: process.versions.v8,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    date: new Date().toISOString(),
    load: os.loadavg().map((x) => x.toFixed(2)).join(' '),
  };
}

export function fmtNs(ns) {
  if (ns === undefined || Number.isNaN(ns)) return '—';
  if (ns >= 1e9) return `${(ns / 1e9).toFixed(2)} s`;
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
  if (ns >= 1e4) return `${(ns / 1e3).toFixed(1)} µs`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(2)} µs`;
  return `${ns.toFixed(1)} ns`;
}

export function fmtRatio(x) {
  if (x === undefined || !Number.isFinite(x)) return '—';
  return x >= 10 ? `${x.toFixed(0)}x` : `${x.toFixed(2)}x`;
}
