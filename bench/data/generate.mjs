// Generates the benchmark inputs shared by the C++ (hotpath) and Node (ajv) benchmarks, so that
// both sides read byte-identical files. Deterministic: a fixed seed and a small PRNG, no clock.
//   node bench/data/generate.mjs OUT_DIR
// Writes OUT_DIR/order.json (one valid ~700 B trade order), OUT_DIR/order-invalid.json (the same
// order with five independent schema violations), OUT_DIR/orders-2mb.json (a compact JSON array
// of valid orders, >= 2 MiB) and OUT_DIR/manifest.json (sizes and SHA-256 of each file).
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const SEED = 0x484f5450; // "HOTP"
const ARRAY_BYTES = 2 * 1024 * 1024;

// mulberry32: tiny, well-distributed, and identical on every platform.
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const INSTRUMENTS = [
  ['AAPL', 'US0378331005', 'USD', 'equity', 'XNAS'],
  ['MSFT', 'US5949181045', 'USD', 'equity', 'XNAS'],
  ['BRK.B', 'US0846707026', 'USD', 'equity', 'XNYS'],
  ['SPY', 'US78462F1030', 'USD', 'etf', 'XNYS'],
  ['VOD', 'GB00BH4HKS39', 'GBP', 'equity', 'XLON'],
  ['SAP', 'DE0007164600', 'EUR', 'equity', 'XETR'],
  ['MC', 'FR0000121014', 'EUR', 'equity', 'XPAR'],
  ['T', 'JP3633400001', 'JPY', 'equity', 'XTKS'],
  ['UST10Y', 'US91282CJZ59', 'USD', 'bond', 'XNYS'],
];
const FIRST = ['ada', 'grace', 'alan', 'edsger', 'barbara', 'donald', 'margaret', 'ken'];
const LAST = ['lovelace', 'hopper', 'turing', 'dijkstra', 'liskov', 'knuth', 'hamilton', 'thompson'];
const DESKS = ['equities', 'etf', 'fixed-income', 'derivatives'];
const TAGS = ['algo', 'vwap', 'twap', 'dark', 'retail', 'hedge', 'rebalance', 'eod', 'block', 'care'];
const FEE_KINDS = ['commission', 'exchange', 'clearing', 'tax'];

function makeGenerator(seed) {
  const rnd = prng(seed);
  const int = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));
  const pick = (xs) => xs[int(0, xs.length - 1)];
  const hex = (n) => Array.from({ length: n }, () => '0123456789abcdef'[int(0, 15)]).join('');
  const digits = (n) => Array.from({ length: n }, () => String(int(0, 9))).join('');
  const pad = (n, w) => String(n).padStart(w, '0');
  // Prices are whole cents, written with at most two decimals (e.g. 187.35, 19.99, 42.1).
  const price = (lo, hi) => Number((int(lo * 100, hi * 100) / 100).toFixed(2));
  const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[int(0, 3)]}${hex(3)}-${hex(12)}`;
  const date = (y, m, d) => `${y}-${pad(m, 2)}-${pad(d, 2)}`;
  const timestamp = () =>
    `${date(2024, int(1, 12), int(1, 28))}T${pad(int(0, 23), 2)}:${pad(int(0, 59), 2)}:` +
    `${pad(int(0, 59), 2)}.${pad(int(0, 999), 3)}Z`;

  return function order(overrides = {}) {
    const [symbol, isin, currency, assetClass, venue] = pick(INSTRUMENTS);
    const orderType = overrides.orderType ?? pick(['market', 'limit', 'limit', 'stop', 'stop_limit']);
    const timeInForce = overrides.timeInForce ?? pick(['day', 'day', 'gtc', 'ioc', 'fok', 'gtd']);
    const base = price(5, 900);
    const o = {
      orderId: uuid(),
      clientOrderId: `${pick(['OMS', 'FIX', 'WEB', 'API'])}-${digits(8)}`,
      account: { id: `ACC-${digits(6)}`, venue, subAccount: `SUB-${digits(3)}` },
      instrument: { symbol, isin, currency, assetClass },
      side: pick(['buy', 'sell', 'sell_short']),
      orderType,
      quantity: int(1, 5000) * 10,
    };
    if (orderType === 'limit' || orderType === 'stop_limit') o.limitPrice = base;
    if (orderType === 'stop' || orderType === 'stop_limit') o.stopPrice = Number((base * 0.98).toFixed(2));
    o.timeInForce = timeInForce;
    if (timeInForce === 'gtd') o.expiresAt = timestamp();
    o.createdAt = timestamp();
    const first = pick(FIRST), last = pick(LAST);
    o.trader = { id: int(1000, 99999), email: `${first}.${last}@desk${int(1, 9)}.example.com`, desk: pick(DESKS) };
    const nLegs = overrides.legs ?? int(1, 3);
    o.legs = Array.from({ length: nLegs }, (_, i) => ({
      legId: i + 1,
      quantity: int(1, 500) * 10,
      price: price(Math.max(1, base - 5), base + 5),
      settlementDate: date(2024, int(1, 12), int(1, 28)),
    }));
    const nFees = overrides.fees ?? int(1, 3);
    o.fees = Array.from({ length: nFees }, (_, i) => ({
      kind: FEE_KINDS[i % FEE_KINDS.length],
      amount: { amount: price(0, 50), currency },
    }));
    const tags = new Set();
    const nTags = overrides.tags ?? int(1, 4);
    while (tags.size < nTags) tags.add(pick(TAGS));
    o.tags = [...tags];
    o.notes = overrides.notes ?? `Routed by ${pick(['smart-router', 'desk', 'client'])}; ref ${digits(6)}.`;
    return o;
  };
}

// One valid order that exercises every conditional path of the schema (stop_limit + gtd).
function singleOrder() {
  return makeGenerator(SEED)({ orderType: 'stop_limit', timeInForce: 'gtd', legs: 1, fees: 1, tags: 2,
                               notes: 'Routed by client.' });
}

// The same order with five independent violations (so "basic" output has several errors).
function invalidOrder() {
  const o = structuredClone(singleOrder());
  o.quantity = -10;                    // minimum
  o.trader.email = 'not-an-email';     // format (only with formats asserted)
  o.side = 'hold';                     // enum
  o.legs[0].price = 19.999;            // multipleOf 0.01
  o.unexpected = true;                 // additionalProperties: false
  return o;
}

function ordersArray() {
  const next = makeGenerator(SEED + 1);
  const parts = [];
  let bytes = 2; // [ ]
  while (bytes < ARRAY_BYTES) {
    const s = JSON.stringify(next());
    parts.push(s);
    bytes += s.length + 1;
  }
  return `[${parts.join(',')}]`;
}

const out = process.argv[2];
if (!out) {
  console.error('usage: node bench/data/generate.mjs OUT_DIR');
  process.exit(2);
}
mkdirSync(out, { recursive: true });
const files = {
  'order.json': JSON.stringify(singleOrder()),
  'order-invalid.json': JSON.stringify(invalidOrder()),
  'orders-2mb.json': ordersArray(),
};
const manifest = { seed: SEED, files: {} };
for (const [name, text] of Object.entries(files)) {
  writeFileSync(join(out, name), text);
  manifest.files[name] = {
    bytes: Buffer.byteLength(text),
    sha256: createHash('sha256').update(text).digest('hex'),
    ...(name === 'orders-2mb.json' ? { records: JSON.parse(text).length } : {}),
  };
}
writeFileSync(join(out, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
console.log(`bench data in ${out}: ` +
  Object.entries(manifest.files).map(([n, f]) => `${n} ${f.bytes} B`).join(', '));
