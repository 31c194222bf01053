import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import { formatMoney } from '../../lib/labels';
import type { FundStatus } from './funds-api';

// Only what this chart draws (echarts/core): bars on a grid, a legend and a tooltip, painted on a canvas.
echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

const SERIES: [keyof FundStatus, string][] = [
  ['appropriationCny', '拨款'],
  ['committedCny', '已承诺'],
  ['disbursedCny', '已拨付'],
  ['availableCny', '可用'],
];

/** The fund of each year as grouped bars (yuan); the figures themselves are in the table beside it. */
export default function FundChart({ funds }: { funds: FundStatus[] }) {
  const element = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const chart = echarts.init(element.current!);
    chart.setOption({
      tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => formatMoney(Number(v).toFixed(2)) },
      legend: { top: 0, data: SERIES.map(([, name]) => name) },
      grid: { top: 40, left: 100, right: 24, bottom: 32 },
      xAxis: { type: 'category', data: funds.map((f) => `${f.year}年`) },
      yAxis: { type: 'value', axisLabel: { formatter: (v: number) => `${v / 10_000}万` } },
      series: SERIES.map(([key, name]) => ({ name, type: 'bar', data: funds.map((f) => Number(f[key])) })),
    });
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [funds]);
  return <div ref={element} role="img" aria-label="专项资金图表" style={{ width: '100%', height: 320 }} />;
}
