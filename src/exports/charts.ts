// Charts rendered on the server as SVG strings (Apache ECharts' SSR renderer): they print, need no script in
// the browser, and go into the bulletin and its PDF as they are. One module, so the library stays swappable.
import * as echarts from 'echarts';

// Single quotes: ECharts writes the family into a double-quoted attribute, which must stay well-formed XML.
const FONT = "'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', 'PingFang SC', sans-serif";
const PALETTE = ['#1f4e8c', '#3a7d44', '#c28a00', '#b8322f', '#6b4c9a', '#2c8c99', '#8c5a2b'];

export interface ChartSize {
  width?: number;
  height?: number;
}

function render(option: echarts.EChartsOption, size: ChartSize): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: size.width ?? 640, height: size.height ?? 320 });
  try {
    chart.setOption({ animation: false, color: PALETTE, textStyle: { fontFamily: FONT }, ...option });
    return withoutInlineStyles(chart.renderToSVGString());
  } finally {
    chart.dispose();
  }
}

const FONT_PROPERTIES = new Set(['font-size', 'font-family', 'font-weight', 'font-style']);
const escapeAttribute = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The pages' Content-Security-Policy forbids inline styles, so the browser would drop ECharts' `style="…"`
 * attributes and `<style>` element (and log errors). Fonts are all they carry here: they become SVG
 * presentation attributes, which CSP allows and every SVG reader understands.
 */
function withoutInlineStyles(svg: string): string {
  return svg
    .replace(/<style\b[^>]*>[\s\S]*?<\/style>/g, '')
    .replace(/\sstyle="([^"]*)"/g, (_m, declarations: string) => declarations.split(';').map((d) => {
      const colon = d.indexOf(':');
      const property = colon < 0 ? '' : d.slice(0, colon).trim();
      return FONT_PROPERTIES.has(property) ? ` ${property}="${escapeAttribute(d.slice(colon + 1).trim())}"` : '';
    }).join(''));
}

const titleOf = (text: string) => ({ text, left: 'center', top: 4, textStyle: { fontSize: 14, fontWeight: 'bold' as const, fontFamily: FONT } });

/** Vertical bars (or horizontal with `horizontal`), one value per category, labelled with the value. */
export function barChart(input: { title: string; categories: string[]; values: number[]; unit?: string; horizontal?: boolean; max?: number; integer?: boolean } & ChartSize): string {
  // Counts (files, units) never show half ticks.
  const valueAxis = { type: 'value' as const, max: input.max, minInterval: input.integer ? 1 : undefined, axisLabel: { formatter: `{value}${input.unit ?? ''}` } };
  const categoryAxis = {
    type: 'category' as const, data: input.categories, inverse: input.horizontal === true,
    axisLabel: { interval: 0, rotate: input.horizontal ? 0 : input.categories.length > 8 ? 35 : 0, width: input.horizontal ? 220 : 90, overflow: 'truncate' as const },
  };
  return render({
    title: titleOf(input.title),
    grid: { left: input.horizontal ? 230 : 48, right: 40, top: 40, bottom: input.horizontal ? 24 : input.categories.length > 8 ? 90 : 40 },
    xAxis: input.horizontal ? valueAxis : categoryAxis,
    yAxis: input.horizontal ? categoryAxis : valueAxis,
    series: [{ type: 'bar', data: input.values, barMaxWidth: 36, label: { show: true, position: input.horizontal ? 'right' : 'top', formatter: `{c}${input.unit ?? ''}` } }],
  }, { width: input.width, height: input.height ?? (input.horizontal ? Math.max(200, 40 + input.categories.length * 26) : 320) });
}

/** Parts of a whole (e.g. files per grade), each slice labelled with its name, count and share; a slice may fix its colour. */
export function pieChart(input: { title: string; slices: { name: string; value: number; color?: string }[] } & ChartSize): string {
  return render({
    title: titleOf(input.title),
    legend: { bottom: 4 },
    series: [{
      type: 'pie', radius: ['30%', '62%'], center: ['50%', '52%'],
      data: input.slices.map((x) => ({ name: x.name, value: x.value, ...(x.color ? { itemStyle: { color: x.color } } : {}) })),
      label: { formatter: '{b}：{c}（{d}%）' },
    }],
  }, input);
}

/** Lines over years (region and units), labelled with their values. */
export function lineChart(input: { title: string; categories: string[]; series: { name: string; values: (number | null)[] }[]; unit?: string; min?: number; max?: number } & ChartSize): string {
  return render({
    title: titleOf(input.title),
    legend: { bottom: 4, type: 'scroll' },
    grid: { left: 48, right: 32, top: 44, bottom: 56 },
    xAxis: { type: 'category', data: input.categories, boundaryGap: false },
    yAxis: { type: 'value', min: input.min, max: input.max, axisLabel: { formatter: `{value}${input.unit ?? ''}` } },
    series: input.series.map((s) => ({ type: 'line', name: s.name, data: s.values, connectNulls: false, label: { show: true }, symbolSize: 7 })),
  }, input);
}

/** The same colour for a grade on every chart, whatever grades a chart happens to show. */
export const GRADE_COLORS: Record<string, string> = { excellent: '#3a7d44', good: '#1f4e8c', pass: '#c28a00', fail: '#b8322f' };
