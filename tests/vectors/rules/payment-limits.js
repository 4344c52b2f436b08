// Refuses payments outside the limits, with one reason per broken limit. A check only: a
// payment that passes is written unchanged.
const CURRENCIES = ['EUR', 'USD', 'GBP', 'CHF', 'JPY'];
const LIMIT = { gold: 50000, silver: 20000, standard: 5000 };

export function check(p) {
  const reasons = [];
  if (!(p.amount > 0)) reasons.push(`amount must be positive, got ${p.amount}`);
  if (!CURRENCIES.includes(p.currency)) reasons.push(`unsupported currency ${p.currency}`);
  const limit = LIMIT[p.customer.tier] ?? LIMIT.standard;
  if (p.amount > limit) reasons.push(`amount ${p.amount} is over the ${p.customer.tier} limit of ${limit}`);
  if (p.merchant.mcc === '7995') reasons.push('gambling merchants are not accepted');
  return reasons;
}
