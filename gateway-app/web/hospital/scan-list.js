// The hospital's requests as a table, refreshed by polling GET /api/v1/scans. Rows are updated in place
// (new ones are inserted at the top), so keyboard focus on a row's button survives each refresh.
import { byId, el, replace } from '../common/dom.js';
import { badge, time } from '../common/format.js';
import { clearProblem, showProblem } from '../common/problem.js';

const PAGE_SIZE = 50;

export class ScanList {
  #rows = new Map();
  #statuses = new Map();
  #onOpen;
  #onChange;
  #selected = null;

  /** `onOpen(requestId)`: a row's button was pressed; `onChange(scan, before)`: a status changed. */
  constructor({ onOpen, onChange }) {
    this.#onOpen = onOpen;
    this.#onChange = onChange;
  }

  /** Fetches the newest page and updates the table. */
  async refresh(api) {
    const body = byId('scan-table').tBodies[0];
    const error = byId('list-error');
    let page;
    try {
      page = (await api.json(`/api/v1/scans?limit=${PAGE_SIZE}`)).body;
    } catch (e) {
      showProblem(error, e, 'Could not refresh the list');
      return;
    }
    clearProblem(error);
    const seen = new Set();
    let previous = null;
    for (const scan of page.scans) {
      seen.add(scan.requestId);
      let row = this.#rows.get(scan.requestId);
      if (row === undefined) {
        row = this.#newRow(scan.requestId);
        this.#rows.set(scan.requestId, row);
        body.insertBefore(row, previous === null ? body.firstChild : previous.nextSibling);
      }
      this.#fill(row, scan);
      previous = row;
      const before = this.#statuses.get(scan.requestId);
      this.#statuses.set(scan.requestId, scan.status);
      if (before !== undefined && before !== scan.status) this.#onChange(scan, before);
    }
    for (const [id, row] of this.#rows) {
      if (!seen.has(id)) {
        row.remove();
        this.#rows.delete(id);
      }
    }
    const models = new Set(page.scans.map((s) => s.modelRef));
    const options = byId('model-options');
    for (const option of options.options) models.delete(option.value);
    for (const m of models) options.append(el('option', { value: m }));
    const open = page.scans.filter((s) => !['completed', 'failed', 'expired'].includes(s.status)).length;
    byId('list-status').textContent =
      page.scans.length === 0
        ? 'No requests yet.'
        : `${page.scans.length} request${page.scans.length === 1 ? '' : 's'} shown${page.next ? ' (the newest 50)' : ''}; ${open} in progress.`;
  }

  /** Marks the row of the request shown below the table. */
  select(requestId) {
    this.#selected = requestId;
    for (const [id, row] of this.#rows) row.classList.toggle('selected', id === requestId);
  }

  clear() {
    byId('scan-table').tBodies[0].replaceChildren();
    this.#rows.clear();
    this.#statuses.clear();
    this.#selected = null;
    byId('list-status').textContent = '';
  }

  #newRow(requestId) {
    const open = el('button', {
      type: 'button',
      class: 'link',
      text: requestId,
      'aria-label': `Open request ${requestId}`,
      on: { click: () => this.#onOpen(requestId) },
    });
    const row = el('tr', { dataset: { requestId } }, el('th', { scope: 'row' }, open));
    for (let i = 0; i < 6; i += 1) row.append(el('td'));
    row.classList.toggle('selected', requestId === this.#selected);
    return row;
  }

  #fill(row, scan) {
    const [statusCell, modelCell, priorityCell, labCell, createdCell, completedCell] =
      row.querySelectorAll('td');
    const shown = `${scan.status}|${scan.error ?? ''}`;
    if (statusCell.dataset.shown !== shown) {
      statusCell.dataset.shown = shown;
      replace(statusCell, badge(scan.status));
      if (scan.error) statusCell.append(el('div', { class: 'hint', text: scan.error }));
    }
    modelCell.textContent = scan.modelRef;
    priorityCell.textContent = scan.priority;
    labCell.textContent = scan.assignedLab ?? '—';
    if (createdCell.childNodes.length === 0) replace(createdCell, time(scan.createdAt));
    if (completedCell.dataset.at !== (scan.completedAt ?? '')) {
      completedCell.dataset.at = scan.completedAt ?? '';
      replace(completedCell, time(scan.completedAt));
    }
  }
}
