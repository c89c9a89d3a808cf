// A horizontal bar chart as inline SVG: one bar per item, a zero line, negative values to its left.
const SVG = 'http://www.w3.org/2000/svg';

function svg(tag, attrs = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * `items`: `{ label, value }`. `title` names the chart for assistive technology (the table beside it
 * holds the same numbers).
 */
export function barChart(title, items) {
  const labelWidth = 120;
  const barArea = 420;
  const row = 30;
  const width = labelWidth + barArea + 70;
  const height = Math.max(1, items.length) * row + 30;
  const min = Math.min(0, ...items.map((i) => i.value));
  const max = Math.max(0, ...items.map((i) => i.value));
  const span = max - min || 1;
  const x = (v) => labelWidth + ((v - min) / span) * barArea;
  const chart = svg('svg', {
    class: 'bar-chart',
    viewBox: `0 0 ${width} ${height}`,
    width,
    height,
    role: 'img',
    'aria-label': title,
  });
  chart.append(svg('title', {}, title));
  items.forEach((item, i) => {
    const y = 10 + i * row;
    const from = x(Math.min(0, item.value));
    const to = x(Math.max(0, item.value));
    chart.append(
      svg('text', { x: labelWidth - 8, y: y + row / 2, 'text-anchor': 'end', class: 'label' }, item.label),
    );
    const bar = svg('rect', {
      x: from,
      y: y + 4,
      width: Math.max(1, to - from),
      height: row - 10,
      class: item.value < 0 ? 'bar negative' : 'bar',
    });
    bar.append(svg('title', {}, `${item.label}: ${item.value}`));
    chart.append(bar);
    chart.append(
      svg(
        'text',
        {
          x: item.value < 0 ? from - 6 : to + 6,
          y: y + row / 2,
          'text-anchor': item.value < 0 ? 'end' : 'start',
          class: 'value',
        },
        String(item.value),
      ),
    );
  });
  const zero = x(0);
  chart.append(svg('line', { x1: zero, x2: zero, y1: 4, y2: height - 20, class: 'axis' }));
  chart.append(svg('text', { x: zero, y: height - 6, 'text-anchor': 'middle', class: 'axis-label' }, '0'));
  return chart;
}
