// Scores a payment: the fee in its currency (by customer tier, plus a cross-border surcharge),
// the amount in EUR, risk flags and a score. A transform only: every record gets an output.
const FX_TO_EUR = { EUR: 1, USD: 0.92, GBP: 1.17, CHF: 1.04, JPY: 0.0062 };
const FEE_RATE = { gold: 0.012, silver: 0.019, standard: 0.029 };
const FIXED_FEE = 0.25;

const cents = (x) => Math.round(x * 100) / 100;

export function transform(p, ctx) {
  const rate = FX_TO_EUR[p.currency];
  const crossBorder = p.card.country !== p.merchant.country;
  const feeRate = (FEE_RATE[p.customer.tier] ?? FEE_RATE.standard) + (crossBorder ? 0.01 : 0);
  const risk = p.risk?.score ?? 50;
  const flags = [];
  if (crossBorder) flags.push('cross-border');
  if (rate === undefined) flags.push('no-fx-rate');
  if (risk >= 70) flags.push('high-risk');
  else if (risk >= 40) flags.push('review');
  if (p.amount >= 10000) flags.push('large');
  ctx.log('scored', p.id, flags);
  return {
    id: p.id,
    pipeline: ctx.pipeline,
    amount: p.amount,
    currency: p.currency,
    fee: cents(p.amount * feeRate + FIXED_FEE),
    amountEur: rate === undefined ? null : cents(p.amount * rate),
    flags,
    score: Math.min(100, risk + (crossBorder ? 15 : 0) + (p.amount >= 10000 ? 20 : 0)),
  };
}
