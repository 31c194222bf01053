import { BarChart as Bars } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import { formatMoney } from '../../lib/labels';

// Only what the workbench draws (echarts/core): bars on a grid, a legend and a tooltip, painted on a canvas.
echarts.use([Bars, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export interface BarSeries {
  name: string;
  values: number[];
}

/**
 * Grouped bars of yuan amounts, one group per category: the figures themselves are always in a table beside
 * it. Loaded lazily by the screens that draw it, so ECharts stays out of the first page's JavaScript.
 */
export default function BarChart({ label, categories, series }: { label: string; categories: string[]; series: BarSeries[] }) {
  const element = useRef<HTMLDivElement>(null);
  // Redrawn when the figures change, not on every render of the page (whose arrays are new each time).
  const figures = JSON.stringify({ categories, series });
  useEffect(() => {
    const { categories, series } = JSON.parse(figures) as { categories: string[]; series: BarSeries[] };
    const chart = echarts.init(element.current!);
    chart.setOption({
      tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => formatMoney(Number(v).toFixed(2)) },
      legend: { top: 0, data: series.map((s) => s.name) },
      grid: { top: 40, left: 100, right: 24, bottom: 32 },
      xAxis: { type: 'category', data: categories },
      yAxis: { type: 'value', axisLabel: { formatter: (v: number) => `${v / 10_000}万` } },
      series: series.map((s) => ({ name: s.name, type: 'bar', data: s.values })),
    });
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [figures]);
  return <div ref={element} role="img" aria-label={label} style={{ width: '100%', height: 320 }} />;
}
