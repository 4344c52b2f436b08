// Flags risky payments. It assumes every payment has a risk section: for one that has none,
// reading p.risk.score throws a TypeError, which is the record's error (with its position).
export function check(p) {
  if (p.risk.score > 90) return `risk score ${p.risk.score} is over 90`;
}

export function transform(p) {
  const signals = p.risk.signals ?? [];
  return { id: p.id, score: p.risk.score, signals: signals.map((s) => s.toUpperCase()).sort() };
}
