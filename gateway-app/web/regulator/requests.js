// The ledger's requests: filters (status, hospital, lab), pages by the gateway's `next` bookmark, and a
// button per row to open one.
import { withQuery } from '../common/api.js';
import { byId, el, replace, table } from '../common/dom.js';
import { badge, time } from '../common/format.js';
import { clearProblem, showProblem } from '../common/problem.js';

export class RequestsView {
  #onOpen;
  /** Bookmarks of the pages before the current one ('' is the first page). */
  #trail = [];
  #current = '';
  #next = null;
  #hospitals = new Set();
  /** Numbers each load: only the newest one's answer is shown. */
  #loads = 0;

  constructor({ onOpen }) {
    this.#onOpen = onOpen;
    byId('filters').addEventListener('submit', (event) => {
      event.preventDefault();
      this.#trail = [];
      this.#current = '';
      void this.load(this.api);
    });
    // A request known by its id (from a hospital, a receipt or a dispute) opens directly.
    byId('find-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const id = byId('find-id').value.trim();
      if (id !== '') this.#onOpen(id);
    });
    byId('first-page').addEventListener('click', () => {
      this.#trail = [];
      this.#current = '';
      void this.load(this.api);
    });
    byId('previous-page').addEventListener('click', () => {
      this.#current = this.#trail.pop() ?? '';
      void this.load(this.api);
    });
    byId('next-page').addEventListener('click', () => {
      if (this.#next === null) return;
      this.#trail.push(this.#current);
      this.#current = this.#next;
      void this.load(this.api);
    });
  }

  api = null;

  reset() {
    this.#trail = [];
    this.#current = '';
    this.#next = null;
    byId('requests-table').replaceChildren();
    byId('page-label').textContent = '';
  }

  /** Loads the current page with the form's filters; only the newest load's answer is shown. */
  async load(api) {
    this.api = api;
    const error = byId('requests-error');
    const holder = byId('requests-table');
    const load = ++this.#loads;
    const filters = {
      status: byId('filter-status').value,
      hospital: byId('filter-hospital').value.trim(),
      lab: byId('filter-lab').value.trim(),
    };
    holder.setAttribute('aria-busy', 'true');
    try {
      const { body } = await api.json(
        withQuery('/api/v1/audit/requests', {
          ...filters,
          limit: byId('page-size').value,
          bookmark: this.#current,
        }),
      );
      if (load !== this.#loads) return;
      clearProblem(error);
      this.#next = body.next;
      replace(holder, this.#table(body.requests));
      const page = this.#trail.length + 1;
      const shown = [
        filters.status,
        filters.hospital === '' ? '' : `hospital ${filters.hospital}`,
        filters.lab === '' ? '' : `lab ${filters.lab}`,
      ].filter((f) => f !== '');
      const count = `${body.requests.length} request${body.requests.length === 1 ? '' : 's'}`;
      byId('page-label').textContent =
        `Page ${page}${shown.length === 0 ? '' : ` (${shown.join(', ')})`}: ${count}`;
      byId('previous-page').disabled = this.#trail.length === 0;
      byId('first-page').disabled = this.#trail.length === 0;
      byId('next-page').disabled = body.next === null;
      const options = byId('hospital-options');
      for (const r of body.requests) {
        if (typeof r.hospitalId === 'string' && !this.#hospitals.has(r.hospitalId)) {
          this.#hospitals.add(r.hospitalId);
          options.append(el('option', { value: r.hospitalId }));
        }
      }
    } catch (e) {
      if (load === this.#loads) showProblem(error, e, 'Could not list the requests');
    } finally {
      if (load === this.#loads) holder.removeAttribute('aria-busy');
    }
  }

  #table(requests) {
    return table(
      'Requests, one page',
      [
        {
          label: 'Request',
          value: (r) =>
            el('button', {
              type: 'button',
              class: 'link',
              text: r.requestId,
              'aria-label': `Open request ${r.requestId}`,
              on: { click: () => this.#onOpen(r.requestId) },
            }),
        },
        { label: 'Hospital', value: (r) => r.hospitalId },
        { label: 'Lab', value: (r) => r.assignedLab ?? '—' },
        { label: 'Model', value: (r) => r.modelRef },
        { label: 'Priority', value: (r) => r.priority },
        { label: 'Status', value: (r) => badge(r.status) },
        { label: 'Created', value: (r) => time(r.createdAt) },
        { label: 'Completed', value: (r) => time(r.completedAt) },
      ],
      requests,
      'No requests match these filters.',
    );
  }
}
