// The channel's blocks, newest first, with their transactions; "Older blocks" pages back by number.
import { withQuery } from '../common/api.js';
import { byId, el, replace, table } from '../common/dom.js';
import { badge, hash, integer } from '../common/format.js';
import { clearProblem, showProblem } from '../common/problem.js';

const PAGE = 10;

export class BlocksView {
  #api = null;
  /** The `before` of the page shown (null: the newest). */
  #before = null;
  #oldest = null;
  /** Numbers each load: only the newest one's answer is shown. */
  #loads = 0;

  constructor() {
    byId('newest-blocks').addEventListener('click', () => {
      this.#before = null;
      void this.load(this.#api);
    });
    byId('older-blocks').addEventListener('click', () => {
      if (this.#oldest === null) return;
      this.#before = this.#oldest;
      void this.load(this.#api);
    });
  }

  async load(api) {
    this.#api = api;
    const error = byId('blocks-error');
    const load = ++this.#loads;
    try {
      const { body } = await api.json(
        withQuery('/api/v1/audit/blocks', { limit: PAGE, before: this.#before }),
      );
      if (load !== this.#loads) return;
      clearProblem(error);
      const numbers = body.blocks.map((b) => b.number);
      this.#oldest = numbers.length === 0 ? null : numbers[numbers.length - 1];
      byId('older-blocks').disabled = this.#oldest === null || this.#oldest === '0';
      byId('newest-blocks').disabled = this.#before === null;
      replace(
        byId('blocks-body'),
        el('p', {
          class: 'status-line',
          text: `Chain height ${body.height}; showing ${numbers.length === 0 ? 'no blocks' : `blocks ${numbers[0]} to ${numbers[numbers.length - 1]}`}.`,
        }),
        table(
          'Blocks, newest first',
          [
            { label: 'Block', value: (b) => b.number },
            { label: 'Data hash', value: (b) => hash(b.dataHash) },
            { label: 'Previous hash', value: (b) => hash(b.previousHash) },
            { label: 'Transactions', value: (b) => transactions(b.transactions) },
          ],
          body.blocks,
          'No blocks.',
        ),
      );
    } catch (e) {
      if (load === this.#loads) showProblem(error, e, 'Could not read the blocks');
    }
  }
}

/** "3 transactions, all VALID" or "3 transactions, 1 not VALID". */
function summaryOf(txs) {
  const invalid = txs.filter((t) => t.validation !== 'VALID').length;
  const count = `${integer(txs.length)} transaction${txs.length === 1 ? '' : 's'}`;
  return invalid === 0 ? `${count}, all VALID` : `${count}, ${integer(invalid)} not VALID`;
}

function transactions(txs) {
  if (txs.length === 0) return '—';
  return el(
    'details',
    {},
    el('summary', { text: summaryOf(txs) }),
    el(
      'ul',
      { class: 'txs' },
      txs.map((t) =>
        el(
          'li',
          {},
          badge(t.validation),
          ' ',
          t.type,
          ' ',
          el('code', { class: 'wrap', text: t.txId || '—' }),
        ),
      ),
    ),
  );
}
