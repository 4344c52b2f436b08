// A simple payment check: the rule behind the "payments per second" figure.
const CURRENCIES = new Set(['EUR', 'USD', 'GBP', 'JPY', 'CHF']);

export function check(p) {
  if (!(p.amount > 0)) return 'amount must be positive';
  if (!CURRENCIES.has(p.currency)) return `unknown currency ${p.currency}`;
}
