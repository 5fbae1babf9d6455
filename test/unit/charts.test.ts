// Server-side SVG charts: well-formed SVG with the Chinese labels and values in it, no script.
import { describe, expect, it } from 'vitest';
import { barChart, lineChart, pieChart } from '../../src/exports/charts.ts';

describe('charts', () => {
  it('renders a bar chart with its labels and values', () => {
    const svg = barChart({ title: '各单位平均分', categories: ['东安区司法局', '阳明区生态环境局'], values: [92.5, 88] });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('各单位平均分');
    expect(svg).toContain('东安区司法局');
    expect(svg).toContain('92.5');
    expect(svg).not.toMatch(/<script/i);
  });

  it('renders horizontal bars, a pie and lines', () => {
    expect(barChart({ title: '最常见问题', categories: ['执法人员未出示执法证件'], values: [12], horizontal: true })).toContain('执法人员未出示执法证件');
    const pie = pieChart({ title: '等次分布', slices: [{ name: '优秀', value: 3 }, { name: '合格', value: 1 }] });
    expect(pie).toContain('优秀');
    expect(pie).toContain('75%');
    const line = lineChart({ title: '历年平均分', categories: ['2025', '2026'], series: [{ name: '全市', values: [88.1, 90.2] }] });
    expect(line).toContain('2026');
    expect(line).toContain('90.2');
  });

  it('escapes text that looks like markup', () => {
    const svg = barChart({ title: '<script>alert(1)</script>', categories: ['<b>x</b>'], values: [1] });
    expect(svg).not.toContain('<script>');
    expect(svg).not.toContain('<b>');
  });
});

describe('charts on a page with a strict Content-Security-Policy', () => {
  it('carry no inline style and stay well-formed XML', async () => {
    const svg = barChart({ title: '平均分', categories: ['甲'], values: [1], integer: true });
    expect(svg).not.toMatch(/\sstyle="/);
    expect(svg).not.toMatch(/<style/);
    expect(svg).toMatch(/font-family="'Noto Sans CJK SC'/);
    // Every attribute value is quoted and no stray quote breaks it.
    expect(/="[^"]*"[^\s/>]/.test(svg)).toBe(false);
  });
  it('lets a slice keep its colour', () => {
    expect(pieChart({ title: 'x', slices: [{ name: '不合格', value: 1, color: '#b8322f' }] })).toContain('#b8322f');
  });
});
