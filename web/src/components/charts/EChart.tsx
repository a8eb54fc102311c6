/**
 * One ECharts chart in a div, with ECharts' core build and only the parts Handoff draws (bars,
 * lines, the grid, the axis tooltip): this module is the only one that imports
 * `echarts`, and it is itself loaded only when a chart is shown (Chart.tsx, React.lazy), so pages
 * without a chart never download it (docs/adr/0011-charts.md).
 *
 * Drawn on a canvas: the app's CSP allows no inline style attribute, which ECharts' SVG renderer
 * and its HTML tooltips write; canvas and rich-text tooltips set styles through the CSSOM only.
 * The canvas is hidden from assistive technology — every chart comes with its text alternative
 * (Chart.tsx's `summary` and table), which is what a screen reader reads.
 */
import { BarChart, LineChart } from "echarts/charts";
import { GridComponent, TooltipComponent } from "echarts/components";
import * as echarts from "echarts/core";
import { CanvasRenderer } from "echarts/renderers";
import { useEffect, useRef } from "react";
import type { ChartOption } from "./chart-option";

echarts.use([BarChart, LineChart, GridComponent, TooltipComponent, CanvasRenderer]);

export default function EChart({ option, className }: { option: ChartOption; className: string | undefined }) {
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const c = echarts.init(el, null, { renderer: "canvas" });
    chart.current = c;
    // The page's layout decides the width; the chart follows it.
    const resize = new ResizeObserver(() => c.resize());
    resize.observe(el);
    return () => {
      resize.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option as echarts.EChartsCoreOption, { notMerge: true });
  }, [option]);

  return <div ref={host} className={className} aria-hidden="true" data-testid="chart-canvas" />;
}
