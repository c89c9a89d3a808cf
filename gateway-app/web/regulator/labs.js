// Lab members and their reputation: a bar chart of each lab's balance and the numbers behind it.
import { byId, el, replace, table } from '../common/dom.js';
import { badge, integer, time } from '../common/format.js';
import { clearProblem, showProblem } from '../common/problem.js';
import { barChart } from './chart.js';

/** The lab ids, for the request filter's suggestions. */
export async function labIds(api) {
  const { body } = await api.json('/api/v1/audit/labs');
  return body.items.map((i) => i.member.memberId);
}

export async function loadLabs(api) {
  const error = byId('labs-error');
  try {
    const { body } = await api.json('/api/v1/audit/labs');
    clearProblem(error);
    const labs = body.items;
    replace(
      byId('labs-body'),
      el(
        'figure',
        { class: 'chart' },
        barChart(
          'Reputation balance of each lab',
          labs.map((l) => ({ label: l.member.memberId, value: l.reputation?.balance ?? 0 })),
        ),
        el('figcaption', {
          text: 'Reputation balance: the signed sum of each lab’s unspent reputation entries (minted for on-time results, burned for late or disputed ones).',
        }),
      ),
      table(
        'Lab members',
        [
          { label: 'Lab', value: (l) => l.member.memberId },
          { label: 'Status', value: (l) => badge(l.member.status) },
          { label: 'MSP', value: (l) => l.member.mspId },
          { label: 'Endpoint', value: (l) => l.member.endpoint || '—' },
          {
            label: 'Balance',
            value: (l) => (l.reputation === null ? 'none yet' : integer(l.reputation.balance)),
          },
          { label: 'Unspent entries', value: (l) => integer(l.reputation?.entries?.length ?? 0) },
          { label: 'Priority credit', value: (l) => integer(l.reputation?.priority?.active ?? 0) },
          {
            label: 'Latest entry',
            value: (l) => {
              const e = l.reputation?.recent?.[0];
              return e === undefined
                ? '—'
                : el('span', {}, `${e.kind} ${e.amount} (${e.reason}) `, time(e.at));
            },
          },
        ],
        labs,
        'No lab members.',
      ),
    );
  } catch (e) {
    showProblem(error, e, 'Could not list the labs');
  }
}
