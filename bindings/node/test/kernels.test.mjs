// Kernels: exact answers (known vectors, JS references) and fileChecksum off the event loop.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, ftruncateSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';

import {
  countPrimes, fibonacci, fileChecksum, financialMetrics, returns, sha256, sort, xxh3, xxh3_128, xxh64,
} from 'hotpath';

describe('hashing', () => {
  it('matches xxhsum on known vectors (bigint results)', () => {
    assert.equal(xxh64('abc'), 0x44bc2cf5ad770999n);
    assert.equal(xxh64(''), 0xef46db3751d8e999n);
    assert.equal(xxh3('abc'), 0x78af5f94892f3950n);
    assert.equal(xxh3(Buffer.alloc(0)), 0x2d06800538d394c2n);
    assert.equal(xxh3_128('abc'), 0x06b05ab6733a618578af5f94892f3950n);
  });

  it('hashes strings as UTF-8 and views by their bytes only', () => {
    const buf = Buffer.from('xxhéllo wörld€yy');
    const inner = buf.subarray(2, buf.length - 2);
    assert.equal(xxh3(inner), xxh3('héllo wörld€'));
    assert.equal(xxh64(new DataView(buf.buffer, buf.byteOffset + 2, inner.length)), xxh64('héllo wörld€'));
    assert.notEqual(xxh64('abc', 1), xxh64('abc'));
    assert.equal(xxh64('abc', 7), xxh64('abc', 7n));
  });

  it('computes SHA-256 like node:crypto', () => {
    assert.equal(sha256('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    assert.equal(sha256(''), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    for (const size of [1, 55, 56, 63, 64, 65, 1000, 100_000]) {
      const data = randomBytes(size);
      assert.equal(sha256(data), createHash('sha256').update(data).digest('hex'), `size ${size}`);
    }
    const digest = sha256('abc', 'buffer');
    assert.ok(Buffer.isBuffer(digest));
    assert.equal(digest.toString('hex'), sha256('abc'));
  });
});

describe('number theory', () => {
  it('countPrimes is pi(n)', () => {
    assert.equal(countPrimes(1e6), 78498);
    assert.deepEqual([0, 1, 2, 3, 10, 100, 1e7].map(countPrimes), [0, 0, 1, 2, 4, 25, 664579]);
  });

  it('fibonacci is exact: a Number up to F(78), a BigInt beyond', () => {
    assert.equal(fibonacci(100), 354224848179261915075n);
    assert.equal(fibonacci(0), 0);
    assert.equal(fibonacci(1), 1);
    assert.equal(fibonacci(78), 8944394323791464);
    assert.equal(typeof fibonacci(78), 'number');
    assert.equal(fibonacci(79), 14472334024676221n);
    let a = 0n;
    let b = 1n;
    const expected = [];
    for (let n = 0; n <= 1000; n++) {
      expected.push(a);
      [a, b] = [b, a + b];
    }
    for (const n of [2, 50, 77, 78, 79, 92, 93, 94, 95, 500, 1000]) {
      assert.equal(BigInt(fibonacci(n)), expected[n], `F(${n})`);
    }
    for (const n of [94, 128, 1000]) assert.equal(typeof fibonacci(n), 'bigint', `F(${n})`);
    // F(1e6) is built from binary words: check its size and its value modulo 2^64.
    const big = fibonacci(1e6);
    assert.equal(big.toString(2).length, 694241);
    let lo = 0n;
    let hi = 1n;
    for (let i = 0; i < 1e6; i++) [lo, hi] = [hi, BigInt.asUintN(64, lo + hi)];
    assert.equal(BigInt.asUintN(64, big), lo);
  });
});

describe('financial metrics', () => {
  const prices = Float64Array.from([100, 102, 101, 105, 98, 99, 110, 108]);
  const volumes = Float64Array.from([10, 20, 5, 40, 10, 0, 30, 25]);

  it('matches a plain JS reference', () => {
    const r = [];
    for (let i = 1; i < prices.length; i++) r.push(prices[i] / prices[i - 1] - 1);
    const mean = r.reduce((s, x) => s + x, 0) / r.length;
    const vol = Math.sqrt(r.reduce((s, x) => s + (x - mean) ** 2, 0) / (r.length - 1));
    let peak = prices[0];
    let mdd = 0;
    for (const p of prices) {
      peak = Math.max(peak, p);
      mdd = Math.max(mdd, (peak - p) / peak);
    }
    const vwap = prices.reduce((s, p, i) => s + p * volumes[i], 0) / volumes.reduce((s, v) => s + v, 0);
    const m = financialMetrics(prices, { volumes });
    const close = (a, b) => assert.ok(Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b)), `${a} vs ${b}`);
    assert.equal(m.count, 8);
    close(m.meanReturn, mean);
    close(m.volatility, vol);
    close(m.annualizedReturn, mean * 252);
    close(m.annualizedVolatility, vol * Math.sqrt(252));
    close(m.sharpe, (mean / vol) * Math.sqrt(252));
    close(m.maxDrawdown, mdd);
    assert.equal(m.maxDrawdownPeak, 3);
    assert.equal(m.maxDrawdownTrough, 4);
    close(m.vwap, vwap);
    assert.equal(m.min, 98);
    assert.equal(m.max, 110);
    assert.deepEqual(Object.keys(m), ['count', 'meanReturn', 'volatility', 'annualizedReturn', 'annualizedVolatility',
      'sharpe', 'maxDrawdown', 'maxDrawdownPeak', 'maxDrawdownTrough', 'vwap', 'min', 'max']);
    assert.ok(Number.isNaN(financialMetrics(prices).vwap));
    r.forEach((x, i) => close(returns(prices)[i], x));
    close(returns(prices, 'log')[0], Math.log(102 / 100));
  });

  it('rejects bad prices with the index', () => {
    assert.throws(() => financialMetrics(Float64Array.from([1, 2, -3])), { name: 'RangeError', code: 'HOTPATH_INVALID_PRICE', index: 2 });
    assert.throws(() => financialMetrics(new Float64Array(0)), { code: 'HOTPATH_EMPTY_INPUT' });
    assert.throws(() => financialMetrics(prices, { volumes: new Float64Array(3) }), { code: 'ERR_INVALID_ARG_VALUE' });
  });
});

describe('sort', () => {
  const specials = [NaN, -0, 0, Infinity, -Infinity, -1.5, 1.5, Number.MIN_VALUE, -Number.MAX_VALUE];
  const random = (n, f) => Array.from({ length: n }, f);

  for (const [Type, gen] of [
    [Int8Array, () => (Math.random() * 256) | 0],
    [Uint8Array, () => (Math.random() * 256) | 0],
    [Uint8ClampedArray, () => (Math.random() * 256) | 0],
    [Int16Array, () => (Math.random() * 65536) | 0],
    [Uint16Array, () => (Math.random() * 65536) | 0],
    [Int32Array, () => (Math.random() * 2 ** 32) | 0],
    [Uint32Array, () => Math.random() * 2 ** 32],
    [Float32Array, () => (Math.random() - 0.5) * 1e6],
    [Float64Array, () => (Math.random() - 0.5) * 1e300],
    [BigInt64Array, () => BigInt.asIntN(64, BigInt(Math.floor(Math.random() * 2 ** 53)) << 11n)],
    [BigUint64Array, () => BigInt.asUintN(64, BigInt(Math.floor(Math.random() * 2 ** 53)) << 11n)],
  ]) {
    it(`sorts ${Type.name} in place like TypedArray.prototype.sort`, () => {
      const isFloat = Type === Float32Array || Type === Float64Array;
      for (const n of [0, 1, 2, 10, 255, 256, 257, 5000, 100_000]) {
        const values = random(n, gen);
        if (isFloat && n >= 10) specials.forEach((s, i) => { values[(i * 7919) % n] = s; });
        const a = Type.from(values);
        const expected = Type.from(values).sort();
        assert.equal(sort(a), a);
        for (let i = 0; i < n; i++) {
          if (!Object.is(a[i], expected[i])) assert.fail(`${Type.name} n=${n} index ${i}: ${a[i]} vs ${expected[i]}`);
        }
      }
    });
  }

  it('sorts only the view, not the rest of its buffer', () => {
    const all = Float64Array.from([9, 3, 2, 1, 0]);
    sort(all.subarray(1, 4));
    assert.deepEqual([...all], [9, 1, 2, 3, 0]);
  });
});

describe('fileChecksum', () => {
  it('hashes a file like node:crypto, and accepts URLs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotpath-sum-'));
    try {
      const file = join(dir, 'data.bin');
      const data = randomBytes(3 * 1024 * 1024 + 17);
      writeFileSync(file, data);
      assert.equal(await fileChecksum(file), createHash('sha256').update(data).digest('hex'));
      assert.equal(await fileChecksum(pathToFileURL(file), 'xxh3'), xxh3(data).toString(16).padStart(16, '0'));
      await assert.rejects(fileChecksum(join(dir, 'missing')), { code: 'HOTPATH_FILE_ERROR', message: /No such file/ });
      await assert.rejects(fileChecksum(dir), { code: 'HOTPATH_FILE_ERROR' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('hashes a 1 GB file on the thread pool while the event loop keeps ticking', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotpath-1g-'));
    const file = join(dir, 'zeros-1g.bin');
    try {
      const fd = openSync(file, 'w');
      ftruncateSync(fd, 1024 ** 3);  // sparse: no disk space, reads as zeros
      closeSync(fd);
      let ticks = 0;
      const timer = setInterval(() => { ticks++; }, 5);
      const started = ticks;
      const hex = await fileChecksum(file, 'xxh3');
      clearInterval(timer);
      assert.equal(hex, 'efd1151033ad2e9f');  // xxhsum -H3 of 2^30 zero bytes
      // A blocked loop could run the interval at most once before the promise settled.
      assert.ok(ticks - started >= 3, `the interval ran ${ticks - started} times during the checksum`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('boundary probes', () => {
  const native = createRequire(import.meta.url)('../lib/native.js');

  it('_noop returns undefined and _viewLength reads views in place', () => {
    assert.equal(native._noop(), undefined);
    assert.equal(native._noop(1, 'x', {}), undefined);
    assert.equal(native._viewLength(Buffer.alloc(0)), 0);
    assert.equal(native._viewLength(Buffer.from('abc')), 3);
    assert.equal(native._viewLength(new Uint8Array(new ArrayBuffer(16), 4, 8)), 8);
    assert.equal(native._viewLength('abc'), -1);
    assert.equal(native._viewLength(), -1);
  });
});
