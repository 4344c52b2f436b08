// The JavaScript peers of the kernels: "plain" is what a JS developer writes first (Arrays,
// BigInt, closures); "optimized" is what they write after profiling (typed arrays, simple loops,
// Math.imul). Each peer computes the same answer as the native kernel (run.mjs checks it), except
// fnv1a32, a different and weaker hash that stands for "the fastest non-crypto hash in plain JS".

// ---- xxh64 (reference algorithm, BigInt) ----------------------------------------------------
const M64 = 0xffffffffffffffffn;
const P1 = 11400714785074694791n, P2 = 14029467366897019727n, P3 = 1609587929392839161n;
const P4 = 9650029242287828579n, P5 = 2870177450012600261n;
const rotl = (x, r) => ((x << r) | (x >> (64n - r))) & M64;
const round = (acc, input) => (rotl((acc + input * P2) & M64, 31n) * P1) & M64;
const mergeRound = (acc, val) => (((acc ^ round(0n, val)) * P1) + P4) & M64;

export function xxh64Plain(bytes, seed = 0n) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const len = bytes.length;
  let p = 0;
  let h;
  if (len >= 32) {
    let v1 = (seed + P1 + P2) & M64, v2 = (seed + P2) & M64, v3 = seed, v4 = (seed - P1) & M64;
    for (; p + 32 <= len; p += 32) {
      v1 = round(v1, view.getBigUint64(p, true));
      v2 = round(v2, view.getBigUint64(p + 8, true));
      v3 = round(v3, view.getBigUint64(p + 16, true));
      v4 = round(v4, view.getBigUint64(p + 24, true));
    }
    h = (rotl(v1, 1n) + rotl(v2, 7n) + rotl(v3, 12n) + rotl(v4, 18n)) & M64;
    h = mergeRound(h, v1); h = mergeRound(h, v2); h = mergeRound(h, v3); h = mergeRound(h, v4);
  } else {
    h = (seed + P5) & M64;
  }
  h = (h + BigInt(len)) & M64;
  for (; p + 8 <= len; p += 8) {
    h ^= round(0n, view.getBigUint64(p, true));
    h = (rotl(h, 27n) * P1 + P4) & M64;
  }
  if (p + 4 <= len) {
    h ^= (BigInt(view.getUint32(p, true)) * P1) & M64;
    h = (rotl(h, 23n) * P2 + P3) & M64;
    p += 4;
  }
  for (; p < len; p++) {
    h ^= (BigInt(bytes[p]) * P5) & M64;
    h = (rotl(h, 11n) * P1) & M64;
  }
  h ^= h >> 33n; h = (h * P2) & M64;
  h ^= h >> 29n; h = (h * P3) & M64;
  h ^= h >> 32n;
  return h;
}

// ---- FNV-1a 32-bit: the fast JS non-crypto hash (a different function) -----------------------
export function fnv1a32(bytes) {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  return h >>> 0;
}

export function fnv1a32String(s) {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

// ---- primes <= n ----------------------------------------------------------------------------
export function countPrimesPlain(n) {
  if (n < 2) return 0;
  const composite = new Array(n + 1).fill(false);
  let count = 0;
  for (let i = 2; i <= n; i++) {
    if (composite[i]) continue;
    count++;
    for (let j = i * i; j <= n; j += i) composite[j] = true;
  }
  return count;
}

export function countPrimesOptimized(n) {
  if (n < 2) return 0;
  // Odd numbers only: index i stands for 2i+1.
  const size = (n - 1) >>> 1;
  const composite = new Uint8Array(size + 1);
  let count = 1; // 2
  for (let i = 1; i <= size; i++) {
    if (composite[i]) continue;
    count++;
    const p = 2 * i + 1;
    if (p * p > n) continue; // no multiples left to strike (and p * p may exceed 2^32)
    for (let j = (p * p - 1) / 2; j <= size; j += p) composite[j] = 1;
  }
  return count;
}

// ---- fibonacci ------------------------------------------------------------------------------
export function fibonacciPlain(n) {
  let a = 0n, b = 1n;
  for (let i = 0; i < n; i++) [a, b] = [b, a + b];
  return a;
}

// Fast doubling: F(2k) = F(k)(2F(k+1) - F(k)), F(2k+1) = F(k)^2 + F(k+1)^2.
export function fibonacciOptimized(n) {
  if (n < 79) { // exact in a double up to F(78)
    let a = 0, b = 1;
    for (let i = 0; i < n; i++) { const t = a + b; a = b; b = t; }
    return BigInt(a);
  }
  let a = 0n, b = 1n;
  for (let bit = 31 - Math.clz32(n); bit >= 0; bit--) {
    const c = a * ((b << 1n) - a);
    const d = a * a + b * b;
    if ((n >>> bit) & 1) { a = d; b = c + d; } else { a = c; b = d; }
  }
  return a;
}

// ---- financial metrics over prices (and volumes) ---------------------------------------------
// returns r_i = p_i / p_{i-1} - 1; mean and sample volatility of r; Sharpe = mean / volatility
// (per period, risk-free 0); max drawdown = max over i of 1 - p_i / max_{j<=i} p_j; VWAP.
export function financePlain(prices, volumes) {
  const p = Array.from(prices);
  const v = Array.from(volumes);
  const returns = p.slice(1).map((x, i) => x / p[i] - 1);
  const mean = returns.reduce((s, r) => s + r, 0) / returns.length;
  const variance = returns.reduce((s, r) => s + (r - mean) ** 2, 0) / (returns.length - 1);
  const volatility = Math.sqrt(variance);
  let peak = -Infinity;
  const maxDrawdown = p.reduce((dd, x) => { peak = Math.max(peak, x); return Math.max(dd, 1 - x / peak); }, 0);
  const vwap = p.reduce((s, x, i) => s + x * v[i], 0) / v.reduce((s, x) => s + x, 0);
  return { mean, volatility, sharpe: mean / volatility, maxDrawdown, vwap };
}

export function financeOptimized(prices, volumes) {
  const n = prices.length;
  // Welford's online mean/variance over the returns, drawdown and VWAP in the same pass.
  let mean = 0, m2 = 0, k = 0;
  let peak = prices[0], maxDrawdown = 0;
  let pv = prices[0] * volumes[0], vol = volumes[0];
  for (let i = 1; i < n; i++) {
    const p = prices[i];
    const r = p / prices[i - 1] - 1;
    k++;
    const d = r - mean;
    mean += d / k;
    m2 += d * (r - mean);
    if (p > peak) peak = p;
    const dd = 1 - p / peak;
    if (dd > maxDrawdown) maxDrawdown = dd;
    pv += p * volumes[i];
    vol += volumes[i];
  }
  const volatility = Math.sqrt(m2 / (k - 1));
  return { mean, volatility, sharpe: mean / volatility, maxDrawdown, vwap: pv / vol };
}

// ---- deterministic inputs -------------------------------------------------------------------
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomWalk(n, seed = 7) {
  const rnd = prng(seed);
  const prices = new Float64Array(n);
  const volumes = new Float64Array(n);
  let p = 100;
  for (let i = 0; i < n; i++) {
    p *= 1 + (rnd() - 0.5) * 0.02;
    prices[i] = p;
    volumes[i] = 100 + Math.floor(rnd() * 10000);
  }
  return { prices, volumes };
}

export function randomBytes(n, seed = 11) {
  const rnd = prng(seed);
  const b = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) b[i] = (rnd() * 256) | 0;
  return b;
}

export function randomDoubles(n, seed = 13) {
  const rnd = prng(seed);
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = (rnd() - 0.5) * 1e6;
  return a;
}
