/**
 * A time series drawn with uPlot (loaded on first use, so the rest of the admin page does not
 * carry it): lines for the measures, light bars for the response counts on their own axis, and a
 * click on a bucket calls `onPick` with its index (the page then opens its transcripts).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type uPlotType from 'uplot';

export interface ChartSeries {
  label: string;
  values: (number | null)[];
  color: string;
  /** 'line' on the left axis, 'bars' (counts) on the right */
  kind?: 'line' | 'bars';
  dash?: number[];
}

interface Props {
  /** accessible name of the chart picture */
  label: string;
  /** bucket labels along the x axis */
  labels: string[];
  series: ChartSeries[];
  /** fixed range of the left axis, e.g. [-100, 100] for NPS */
  range?: [number, number];
  height?: number;
  onPick?: (index: number) => void;
}

type UPlotModule = typeof uPlotType;
let loading: Promise<UPlotModule> | null = null;
/** uPlot and its stylesheet, fetched once */
export function loadUPlot(): Promise<UPlotModule> {
  loading ??= Promise.all([import('uplot'), import('uplot/dist/uPlot.min.css')]).then(([m]) => m.default);
  return loading;
}

export function TimeChart({ label, labels, series, range, height = 200, onPick }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const pick = useRef(onPick);
  pick.current = onPick;
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    let chart: uPlotType | null = null;
    let observer: ResizeObserver | null = null;
    let cancelled = false;
    loadUPlot()
      .then((UPlot) => {
        if (cancelled) return;
        const width = Math.max(280, el.clientWidth || 600);
        const bars = UPlot.paths.bars?.({ size: [0.55, 28] });
        const hasBars = series.some((s) => s.kind === 'bars');
        const opts: uPlotType.Options = {
          width,
          height,
          legend: { show: true, live: true },
          cursor: { points: { size: 7 }, drag: { x: false, y: false } },
          scales: {
            x: { time: false, range: [-0.5, Math.max(0.5, labels.length - 0.5)] },
            y: range ? { range } : {},
            n: { range: (_u, _min, max) => [0, Math.max(5, max * 1.15)] },
          },
          axes: [
            {
              values: (_u, splits) => splits.map((v) => (Number.isInteger(v) ? (labels[v] ?? '').slice(5) : '')),
              space: 44,
              grid: { show: false },
            },
            { scale: 'y', grid: { stroke: '#eef0f3' } },
            ...(hasBars ? [{ scale: 'n', side: 1 as const, grid: { show: false }, stroke: '#8a93a3' }] : []),
          ],
          series: [
            { label: 'Period', value: (_u, v) => (v === null || v === undefined ? '' : (labels[v] ?? '')) },
            ...series.map((s) =>
              s.kind === 'bars'
                ? { label: s.label, scale: 'n', stroke: s.color, fill: `${s.color}40`, width: 0, paths: bars, points: { show: false } }
                : { label: s.label, scale: 'y', stroke: s.color, width: 2, spanGaps: true, ...(s.dash ? { dash: s.dash } : {}), points: { show: true, size: 5 } },
            ),
          ],
        };
        const data: uPlotType.AlignedData = [labels.map((_, i) => i), ...series.map((s) => s.values.map((v) => (v === null ? null : v)))];
        chart = new UPlot(opts, data, el);
        const c = chart;
        c.over.addEventListener('click', () => {
          const i = c.cursor.idx;
          if (i !== null && i !== undefined) pick.current?.(i);
        });
        c.over.style.cursor = onPick ? 'pointer' : 'default';
        observer = new ResizeObserver(() => {
          const w = el.clientWidth;
          if (w > 0 && Math.abs(w - c.width) > 4) c.setSize({ width: Math.max(280, w), height });
        });
        observer.observe(el);
      })
      .catch(() => setFailed(true));
    return () => {
      cancelled = true;
      observer?.disconnect();
      chart?.destroy();
    };
    // the chart is rebuilt when its data changes
  }, [labels, series, range?.[0], range?.[1], height]);

  return (
    <div class="time-chart" role="img" aria-label={label} ref={box}>
      {failed && <p class="muted small">The chart could not be drawn; the table below has its numbers.</p>}
    </div>
  );
}
