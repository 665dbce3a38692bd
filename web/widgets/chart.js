// Chart widgets as inline SVG: bar (grouped or stacked), line and area series over a
// category x axis, optional y axis, legend and native tooltips.

import { h } from '../dom.js';
import { color, dim } from './style.js';

const SVG = 'http://www.w3.org/2000/svg';
const CYCLE = ['blue', 'purple', 'orange', 'green', 'red', 'yellow', 'pink'];

function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) el.setAttribute(k, String(v));
  for (const c of children) if (c) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

export function renderChart(node, ctx) {
  const data = Array.isArray(node.data) ? node.data : [];
  const series = (Array.isArray(node.series) ? node.series : []).filter((x) => x && typeof x.dataKey === 'string');
  const xAxis = typeof node.xAxis === 'string' ? { dataKey: node.xAxis } : node.xAxis || {};
  const width = 480;
  const height = typeof node.height === 'number' ? node.height : 200;
  const left = node.showYAxis ? 40 : 8;
  const bottom = xAxis.hide ? 8 : 24;
  const top = 8;
  const plotW = width - left - 8;
  const plotH = height - top - bottom;
  const colorOf = (serie, i) => color(serie.color || CYCLE[i % CYCLE.length], ctx.scheme, 'chart') || 'currentColor';

  // Value range (stacked bars/areas add up per stack id).
  let max = 0;
  let min = 0;
  data.forEach((row) => {
    const stacks = new Map();
    for (const serie of series) {
      const v = Number(row[serie.dataKey]) || 0;
      if (serie.stack !== undefined && serie.stack !== null && serie.type !== 'line') {
        const key = `${serie.type}:${serie.stack}`;
        stacks.set(key, (stacks.get(key) || 0) + v);
        max = Math.max(max, stacks.get(key));
      } else {
        max = Math.max(max, v);
        min = Math.min(min, v);
      }
    }
  });
  if (max === min) max = min + 1;
  const y = (v) => top + plotH - ((v - min) / (max - min)) * plotH;
  const band = data.length ? plotW / data.length : plotW;
  const xCenter = (i) => left + band * i + band / 2;

  const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': series.map((x) => x.label || x.dataKey).join(', ') || ctx.view.panel.t('chart'), class: 'ck-chart-svg', preserveAspectRatio: 'none' });
  svg.append(s('line', { x1: left, x2: left + plotW, y1: y(0), y2: y(0), class: 'ck-chart-axis' }));
  if (node.showYAxis) {
    for (const v of [min, (min + max) / 2, max]) {
      svg.append(s('text', { x: left - 4, y: y(v) + 4, 'text-anchor': 'end', class: 'ck-chart-label' }, formatNumber(v)));
    }
  }
  if (!xAxis.hide && xAxis.dataKey) {
    data.forEach((row, i) => {
      const raw = row[xAxis.dataKey];
      const label = xAxis.labels && Object.hasOwn(xAxis.labels, String(raw)) ? xAxis.labels[String(raw)] : raw;
      svg.append(s('text', { x: xCenter(i), y: height - 6, 'text-anchor': 'middle', class: 'ck-chart-label' }, label ?? ''));
    });
  }

  const bars = series.filter((x) => x.type === 'bar');
  const groups = [];
  for (const bar of bars) {
    const key = bar.stack !== undefined && bar.stack !== null ? `s:${bar.stack}` : `b:${bar.dataKey}`;
    if (!groups.includes(key)) groups.push(key);
  }
  const gap = typeof node.barCategoryGap === 'number' ? node.barCategoryGap : Math.min(16, band * 0.2);
  const barGap = typeof node.barGap === 'number' ? node.barGap : 2;
  const groupW = Math.max(1, (band - gap - barGap * (groups.length - 1)) / Math.max(1, groups.length));
  data.forEach((row, i) => {
    const stackTop = new Map();
    series.forEach((serie, si) => {
      if (serie.type !== 'bar') return;
      const v = Number(row[serie.dataKey]) || 0;
      const key = serie.stack !== undefined && serie.stack !== null ? `s:${serie.stack}` : `b:${serie.dataKey}`;
      const base = stackTop.get(key) || 0;
      stackTop.set(key, base + v);
      const g = groups.indexOf(key);
      const x = left + band * i + gap / 2 + g * (groupW + barGap);
      const y1 = y(base + v);
      const y0 = y(base);
      const rect = s('rect', { x, y: Math.min(y0, y1), width: groupW, height: Math.abs(y0 - y1), fill: colorOf(serie, si), class: 'ck-chart-bar' });
      if (node.showTooltip !== false) rect.append(s('title', {}, `${serie.label || serie.dataKey}: ${v}`));
      svg.append(rect);
    });
  });

  const stackBase = data.map(() => new Map());
  series.forEach((serie, si) => {
    if (serie.type !== 'line' && serie.type !== 'area') return;
    const points = data.map((row, i) => {
      const v = Number(row[serie.dataKey]) || 0;
      let base = 0;
      if (serie.type === 'area' && serie.stack !== undefined && serie.stack !== null) {
        base = stackBase[i].get(serie.stack) || 0;
        stackBase[i].set(serie.stack, base + v);
      }
      return [xCenter(i), y(base + v), y(base), v];
    });
    if (!points.length) return;
    const d = pathFor(points, serie.curveType);
    const c = colorOf(serie, si);
    if (serie.type === 'area') {
      const back = points.slice().reverse().map(([x, , y0]) => `L${x},${y0}`).join('');
      svg.append(s('path', { d: `${d}${back}Z`, fill: c, 'fill-opacity': '0.25', stroke: 'none', class: 'ck-chart-area' }));
    }
    svg.append(s('path', { d, fill: 'none', stroke: c, 'stroke-width': '2', class: `ck-chart-${serie.type}` }));
    if (node.showTooltip !== false) {
      for (const [x, yy, , v] of points) {
        svg.append(s('circle', { cx: x, cy: yy, r: 3, fill: c }, s('title', {}, `${serie.label || serie.dataKey}: ${v}`)));
      }
    }
  });

  const el = h('figure', { class: 'ck-chart' }, svg);
  const w = dim(node.width);
  if (w) el.style.width = w;
  svg.style.height = `${height}px`;
  if (node.showLegend) {
    el.append(
      h('figcaption', { class: 'ck-chart-legend' },
        series.map((serie, si) => {
          const swatch = h('span', { class: 'ck-chart-swatch' });
          swatch.style.background = colorOf(serie, si);
          return h('span', { class: 'ck-chart-legend-item' }, swatch, serie.label || serie.dataKey);
        })),
    );
  }
  return el;
}

function pathFor(points, curve) {
  if (curve === 'step' || curve === 'stepAfter') {
    return points.map(([x, y], i) => (i === 0 ? `M${x},${y}` : `H${x}V${y}`)).join('');
  }
  if (curve === 'monotone' || curve === 'natural' || curve === 'basis') {
    return points
      .map(([x, y], i) => {
        if (i === 0) return `M${x},${y}`;
        const [px, py] = points[i - 1];
        const mx = (px + x) / 2;
        return `C${mx},${py} ${mx},${y} ${x},${y}`;
      })
      .join('');
  }
  return points.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${x},${y}`).join('');
}

function formatNumber(v) {
  return Math.abs(v) >= 1000 ? `${Math.round(v / 100) / 10}k` : String(Math.round(v * 100) / 100);
}
