// Routes a payment to the cheapest acquirer. The check refuses what no acquirer takes (false:
// "rejected by payment-routing.js"); the transform is async (its promise is settled by the
// engine) and drops test payments (undefined: no output).
const ACQUIRERS = [
  { name: 'acq-eu', currencies: ['EUR', 'CHF'], max: 100000, bps: 21 },
  { name: 'acq-us', currencies: ['USD'], max: 50000, bps: 24 },
  { name: 'acq-uk', currencies: ['GBP', 'EUR'], max: 20000, bps: 18 },
];

export function check(p) {
  if (p.test) return true;
  if (!ACQUIRERS.some((a) => a.currencies.includes(p.currency))) return `no acquirer takes ${p.currency}`;
  return p.amount > 0;
}

async function quote(acquirer, p) {
  await null;
  return { acquirer: acquirer.name, cost: Math.round(p.amount * acquirer.bps) / 10000 };
}

export async function transform(p) {
  if (p.test) return undefined;
  const candidates = ACQUIRERS.filter((a) => a.currencies.includes(p.currency) && p.amount <= a.max);
  const quotes = await Promise.all(candidates.map((a) => quote(a, p)));
  quotes.sort((x, y) => x.cost - y.cost || (x.acquirer < y.acquirer ? -1 : 1));
  return { id: p.id, route: quotes.length ? quotes[0].acquirer : null, quotes };
}
