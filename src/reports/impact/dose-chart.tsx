import type { Shown } from '../disclosure/disclosure-table.js';
import type { ShownImpactReport } from './protected-impact.js';

type Band = ShownImpactReport['byDose'][number];
const asNumber = (n: Shown | null) => (typeof n === 'number' ? n : null);

/** Change by dose band with its 95% interval, as an SVG any browser or printer draws without JavaScript. */
export function DoseChart(p: { bands: Band[]; pick: (b: Band) => { change: Shown | null; ci95: [Shown, Shown] | null }; title: string }) {
  const shown = p.bands.map((b) => {
    const x = p.pick(b);
    const ci = x.ci95 && typeof x.ci95[0] === 'number' && typeof x.ci95[1] === 'number' ? ([x.ci95[0], x.ci95[1]] as [number, number]) : null;
    return { band: b.band, change: asNumber(x.change), ci95: ci };
  });
  const values = shown.flatMap((b) => (b.ci95 ? b.ci95 : b.change !== null ? [b.change] : []));
  const top = Math.max(1, ...values.map((v) => Math.abs(v)));
  const w = 64;
  const h = 110;
  const mid = h / 2 + 6;
  const y = (v: number) => mid - (v / top) * (h / 2 - 8);
  const label = shown
    .map((b) => `${b.band}: ${b.change === null ? 'too few to show' : `${b.change}${b.ci95 ? ` (${b.ci95[0]} to ${b.ci95[1]})` : ''}`}`)
    .join('; ');
  // An empty frame says nothing, on screen or on paper: with no band to draw, a sentence instead.
  if (shown.every((b) => b.change === null)) return <p class="muted chart-empty">{p.title}: no band has enough pairs of measures to draw yet.</p>;
  const description = `Each point is a band's mean change and its line the 95% interval; bands with too few people show a dash. ${label}.`;
  const svg = (
    <svg role="img" aria-labelledby="dose-chart-title dose-chart-desc" viewBox={`0 0 ${shown.length * w + 40} ${h + 34}`} width="100%" class="chart">
      <title id="dose-chart-title">{`${p.title}, by sessions attended`}</title>
      <desc id="dose-chart-desc">{description}</desc>
      <line x1="36" x2={shown.length * w + 36} y1={mid} y2={mid} stroke="#444" stroke-width="1" />
      <text x="2" y={y(top) + 4}>
        +{Number(top.toFixed(1))}
      </text>
      <text x="2" y={mid + 4}>
        0
      </text>
      {shown.map((b, i) => {
        const x = 36 + i * w + w / 2;
        return (
          <g>
            {b.ci95 && <line x1={x} x2={x} y1={y(b.ci95[1])} y2={y(b.ci95[0])} stroke="#0b3d91" stroke-width="2" />}
            {b.ci95 && <line x1={x - 8} x2={x + 8} y1={y(b.ci95[1])} y2={y(b.ci95[1])} stroke="#0b3d91" stroke-width="2" />}
            {b.ci95 && <line x1={x - 8} x2={x + 8} y1={y(b.ci95[0])} y2={y(b.ci95[0])} stroke="#0b3d91" stroke-width="2" />}
            {b.change !== null ? (
              <circle cx={x} cy={y(b.change)} r="5" fill="#0b3d91" />
            ) : (
              <text x={x - 10} y={mid - 6}>
                –
              </text>
            )}
            <text x={x - 12} y={h + 28}>
              {b.band}
            </text>
          </g>
        );
      })}
    </svg>
  );
  return (
    <figure class="chart-figure">
      <figcaption>
        <strong>{p.title}, by sessions attended</strong>
        <span class="muted"> — each point is a band's mean change, its line the 95% interval; a dash where too few people to show.</span>
      </figcaption>
      {svg}
    </figure>
  );
}
