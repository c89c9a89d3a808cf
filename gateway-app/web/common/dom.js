// Small DOM helpers: every page builds its elements with these (text only, never HTML strings).

/**
 * Creates an element. `props`: `class`, `text`, `hidden`, `dataset` (object), `on` (event → handler),
 * any other key as an attribute (`false`/`null`/`undefined` leave it out). Children: nodes or strings.
 */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key === 'on')
      for (const [event, handler] of Object.entries(value)) node.addEventListener(event, handler);
    else if (key === 'hidden') node.hidden = Boolean(value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(typeof child === 'string' || typeof child === 'number' ? String(child) : child);
  }
}

/** Replaces the children of `node`. */
export function replace(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

/** The element with id `id`, or an error naming it (the HTML and the script disagree). */
export function byId(id) {
  const node = document.getElementById(id);
  if (node === null) throw new Error(`the page has no #${id}`);
  return node;
}

/**
 * A table: `columns` are `{ label, value(row) }` (value returns a node or text); `caption` names it for
 * screen readers. An empty `rows` shows `empty` in one cell.
 */
export function table(caption, columns, rows, empty = 'None.') {
  const head = el(
    'thead',
    {},
    el(
      'tr',
      {},
      columns.map((c) => el('th', { scope: 'col', text: c.label })),
    ),
  );
  const body = el('tbody');
  if (rows.length === 0) body.append(el('tr', {}, el('td', { colspan: columns.length, text: empty })));
  for (const row of rows)
    body.append(
      el(
        'tr',
        {},
        columns.map((c) => el('td', {}, c.value(row))),
      ),
    );
  return el('table', {}, el('caption', { text: caption }), head, body);
}

/** A description list from `[term, value]` pairs (value: a node or text; null/undefined shows "—"). */
export function definitions(pairs) {
  const list = el('dl', { class: 'facts' });
  for (const [term, value] of pairs) list.append(el('dt', { text: term }), el('dd', {}, value ?? '—'));
  return list;
}

/** A collapsed block showing `value` as indented JSON. */
export function jsonDetails(summary, value) {
  return el(
    'details',
    {},
    el('summary', { text: summary }),
    el('pre', { text: JSON.stringify(value, null, 2) }),
  );
}
