// Payment scoring: FX conversion to EUR, fees by method, risk flags and a score.
// The same file runs in hotpathd (embedded V8), in Node and in the browser; bench/rules compares
// it with the same logic written as a native step (rules_bench.cpp).
const FX = { EUR: 1, USD: 0.92, GBP: 1.17, JPY: 0.0061, CHF: 1.04 };
const HIGH_RISK = new Set(['KP', 'IR', 'SY', 'CU']);
const round2 = (x) => Math.round(x * 100) / 100;

export function transform(p, ctx) {
  const rate = FX[p.currency];
  if (rate === undefined) throw new Error(`unknown currency ${p.currency}`);
  const eur = round2(p.amount * rate);
  const fee = round2(0.25 + eur * (p.method === 'card' ? 0.029 : 0.008));
  const flags = [];
  if (eur >= 10000) flags.push('large');
  if (HIGH_RISK.has(p.country)) flags.push('high-risk-country');
  if (p.method === 'card' && p.card_country !== p.country) flags.push('cross-border');
  if (p.attempts > 3) flags.push('velocity');
  const score = Math.min(100, flags.length * 25 + (eur > 5000 ? 10 : 0));
  return { id: p.id, merchant: p.merchant, eur, fee, net: round2(eur - fee), score, flags, review: score >= 50 };
}
