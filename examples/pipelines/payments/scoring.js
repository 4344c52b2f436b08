// Payment rules, owned by the payments team and changed often: hotpathd runs this file in its
// embedded V8 (and reloads it when it changes); the same file runs in Node and in the browser.
const FX = { EUR: 1, USD: 0.92, GBP: 1.17, JPY: 0.0061, CHF: 1.04 };
const HIGH_RISK = new Set(['KP', 'IR', 'SY', 'CU']);
const round2 = (x) => Math.round(x * 100) / 100;

// The verdict: nothing (or true) passes; a reason, or a list of reasons, rejects.
export function check(p, ctx) {
  const reasons = [];
  if (!(p.amount > 0)) reasons.push('amount must be positive');
  if (!(p.currency in FX)) reasons.push(`unsupported currency ${p.currency}`);
  if (p.method === 'card' && !p.card_country) reasons.push('card payments need card_country');
  return reasons;
}

// The new record: amounts in EUR, the fee, risk flags and a score.
export function transform(p, ctx) {
  const eur = round2(p.amount * FX[p.currency]);
  const fee = round2(0.25 + eur * (p.method === 'card' ? 0.029 : 0.008));
  const flags = [];
  if (eur >= 10000) flags.push('large');
  if (HIGH_RISK.has(p.country)) flags.push('high-risk-country');
  if (p.method === 'card' && p.card_country !== p.country) flags.push('cross-border');
  if (p.attempts > 3) flags.push('velocity');
  const score = Math.min(100, flags.length * 25 + (eur > 5000 ? 10 : 0));
  if (score >= 50) ctx.log('payment held for review', p.id, flags);
  return { id: p.id, merchant: p.merchant, eur, fee, net: round2(eur - fee), score, flags, review: score >= 50 };
}
