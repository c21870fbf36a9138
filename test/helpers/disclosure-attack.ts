/**
 * An attacker on published figures, written apart from the code that protects them: every
 * subtraction across the sums an output's figures obey (Gaussian elimination, so any combination
 * of rows and columns), then what "<5" (1-4) and "[c]" (5 or more) say about a hidden figure,
 * followed through every sum until nothing narrows. It reports each figure shown as "<5" whose
 * value comes back.
 */
export type Shown = number | string | null | undefined;
export interface Sum {
  total: string;
  parts: string[];
}

export function recovered(sums: Sum[], shown: Record<string, Shown>): string[] {
  const isKnown = (name: string) => typeof shown[name] === 'number';
  const names = [...new Set(sums.flatMap((s) => [s.total, ...s.parts]))];
  const unknowns = names.filter((n) => !isKnown(n));
  const col = new Map(unknowns.map((n, i) => [n, i]));
  // Each sum as coefficients over the unknowns = a constant from the figures shown.
  const rows = sums.map((s) => {
    const row = new Array<number>(unknowns.length + 1).fill(0);
    const put = (name: string, coef: number) => {
      if (isKnown(name)) row[unknowns.length]! -= coef * (shown[name] as number);
      else row[col.get(name)!]! += coef;
    };
    put(s.total, 1);
    for (const p of s.parts) put(p, -1);
    return row;
  });
  const out = new Set<string>();
  let r = 0;
  for (let c = 0; c < unknowns.length && r < rows.length; c++) {
    const pivot = rows.findIndex((row, i) => i >= r && Math.abs(row[c]!) > 1e-9);
    if (pivot < 0) continue;
    [rows[r], rows[pivot]] = [rows[pivot]!, rows[r]!];
    const p = rows[r]![c]!;
    rows[r] = rows[r]!.map((v) => v / p);
    for (let i = 0; i < rows.length; i++) {
      if (i === r || Math.abs(rows[i]![c]!) < 1e-9) continue;
      const f = rows[i]![c]!;
      rows[i] = rows[i]!.map((v, k) => v - f * rows[r]![k]!);
    }
    r++;
  }
  for (const row of rows) {
    const nonZero = row.slice(0, unknowns.length).flatMap((v, i) => (Math.abs(v) > 1e-9 ? [i] : []));
    if (nonZero.length === 1 && shown[unknowns[nonZero[0]!]!] === '<5') out.add(unknowns[nonZero[0]!]!);
  }
  // Bounds: "<5" is 1 to 4, "[c]" 5 or more, a figure never shown 0 or more.
  const lo = new Map<string, number>();
  const hi = new Map<string, number>();
  for (const n of names) {
    const v = shown[n];
    lo.set(n, typeof v === 'number' ? v : v === '<5' ? 1 : v === '[c]' ? 5 : 0);
    hi.set(n, typeof v === 'number' ? v : v === '<5' ? 4 : Infinity);
  }
  for (let pass = 0, changed = true; changed && pass < 100; pass++) {
    changed = false;
    for (const s of sums) {
      const terms = [{ n: s.total, c: 1 }, ...s.parts.map((n) => ({ n, c: -1 }))];
      for (const t of terms) {
        let min = 0;
        let max = 0;
        for (const o of terms) {
          if (o === t) continue;
          const k = -o.c / t.c;
          min += k > 0 ? k * lo.get(o.n)! : k * hi.get(o.n)!;
          max += k > 0 ? k * hi.get(o.n)! : k * lo.get(o.n)!;
        }
        if (min > lo.get(t.n)!) (lo.set(t.n, min), (changed = true));
        if (max < hi.get(t.n)!) (hi.set(t.n, max), (changed = true));
      }
    }
  }
  for (const n of names) if (shown[n] === '<5' && lo.get(n) === hi.get(n)) out.add(n);
  return [...out].sort();
}
