// One request as the ledger holds it: the record, the receipt, the spot check; "Verify" asks the
// gateway to re-run and check it, "Download bundle" fetches the offline audit bundle.
import { byId, definitions, el, jsonDetails, replace, table } from '../common/dom.js';
import { badge, code, integer, list, okBadge, time } from '../common/format.js';
import { announce } from '../common/live.js';
import { clearProblem, showProblem } from '../common/problem.js';

export class RequestDetail {
  #api = null;
  #id = null;

  constructor() {
    byId('verify').addEventListener('click', () => void this.#verify());
    byId('bundle').addEventListener('click', () => void this.#bundle());
  }

  async show(api, requestId) {
    this.#api = api;
    this.#id = requestId;
    byId('request-detail').hidden = false;
    replace(byId('request-heading'), `Request ${requestId}`);
    replace(byId('request-body'), el('p', { class: 'status-line', text: 'Loading…' }));
    byId('verify-result').replaceChildren();
    byId('verify-status').textContent = '';
    clearProblem(byId('bundle-error'));
    byId('request-heading').focus();
    try {
      const { body } = await api.json(`/api/v1/audit/requests/${encodeURIComponent(requestId)}`);
      if (requestId !== this.#id) return;
      clearProblem(byId('request-error'));
      replace(byId('request-heading'), `Request ${requestId} `, badge(body.request.status));
      replace(
        byId('request-body'),
        recordPart(body.request),
        receiptPart(body.receipt),
        spotCheckPart(body.spotCheck),
      );
    } catch (e) {
      if (requestId === this.#id) {
        byId('request-body').replaceChildren();
        showProblem(byId('request-error'), e, 'Could not load the request');
      }
    }
  }

  clear() {
    this.#id = null;
    byId('request-detail').hidden = true;
    byId('request-body').replaceChildren();
    byId('verify-result').replaceChildren();
  }

  async #verify() {
    const id = this.#id;
    if (id === null) return;
    const button = byId('verify');
    const status = byId('verify-status');
    button.disabled = true;
    byId('verify-result').replaceChildren();
    status.textContent = 'Verifying: fetching the scan and the trace, re-running the model…';
    try {
      const { body } = await this.#api.json(`/api/v1/audit/requests/${encodeURIComponent(id)}/verify`, {
        method: 'POST',
      });
      if (id !== this.#id) return;
      const failed = body.checks.filter((c) => !c.ok).length;
      const verdict = body.verified
        ? `Verified: all ${body.checks.length} checks ok.`
        : `Not verified: ${failed} of ${body.checks.length} checks failed.`;
      replace(
        status,
        el('span', {
          id: 'verdict',
          class: `verdict ${body.verified ? 'good' : 'bad'}`,
          dataset: { verified: String(body.verified) },
          text: verdict,
        }),
      );
      replace(
        byId('verify-result'),
        table(
          `Checks of ${body.requestId}`,
          [
            { label: 'Check', value: (c) => el('code', { text: c.name }) },
            { label: 'Outcome', value: (c) => okBadge(c.ok) },
            { label: 'Detail', value: (c) => c.detail },
          ],
          body.checks,
          'The gateway made no checks.',
        ),
      );
      announce(verdict);
    } catch (e) {
      status.textContent = '';
      showProblem(byId('request-error'), e, 'Verification failed');
    } finally {
      button.disabled = false;
    }
  }

  async #bundle() {
    const id = this.#id;
    if (id === null) return;
    const error = byId('bundle-error');
    clearProblem(error);
    try {
      const blob = await this.#api.blob(`/api/v1/audit/requests/${encodeURIComponent(id)}/bundle`);
      const url = URL.createObjectURL(blob);
      const link = el('a', { href: url, download: `${id}-bundle` });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      announce('Bundle downloaded.');
    } catch (e) {
      showProblem(error, e, 'Download bundle');
    }
  }
}

function recordPart(r) {
  return el(
    'section',
    { 'aria-labelledby': 'record-heading' },
    el('h3', { id: 'record-heading', text: 'Record' }),
    definitions([
      ['Status', badge(r.status)],
      ['Hospital', r.hospitalId],
      ['Model', `${r.modelRef} (${r.modelId}@${r.modelVersion})`],
      ['Model ONNX SHA-256', code(r.onnxSha256)],
      ['Priority', r.priority],
      ['Assigned lab', r.assignedLab ?? '—'],
      ['Assigned', time(r.assignedAt)],
      ['Deadline', time(r.deadline)],
      ['Attempt', integer(r.attempt)],
      ['Previous labs', list(r.previousLabs)],
      ['Created', time(r.createdAt)],
      ['Completed', time(r.completedAt)],
      ['Scan commitment', code(r.scanCommitment)],
      ['Tile root commitment', code(r.tileRootCommitment)],
    ]),
    jsonDetails('The whole record', r),
  );
}

function receiptPart(receipt) {
  const heading = el('h3', { id: 'receipt-heading', text: 'Receipt' });
  if (receipt === null)
    return el(
      'section',
      { 'aria-labelledby': 'receipt-heading' },
      heading,
      el('p', { text: 'No receipt yet.' }),
    );
  return el(
    'section',
    { 'aria-labelledby': 'receipt-heading' },
    heading,
    definitions([
      ['Lab', receipt.labId],
      ['Receipt hash', code(receipt.receiptHash)],
      ['Trace hash', code(receipt.traceHash)],
      ['Output commitment', code(receipt.outputCommitment)],
      ['Latency', typeof receipt.latencyMs === 'number' ? `${integer(receipt.latencyMs)} ms` : '—'],
      ['Completed', time(receipt.completedAt)],
      ['Transaction', code(receipt.txId)],
      [
        'Proof',
        receipt.batch
          ? `batch ${receipt.batch.sequence}, leaf ${receipt.batch.index} of the anchored root`
          : 'transaction: the receipt is in its own ledger transaction',
      ],
    ]),
    jsonDetails('The whole receipt', receipt),
  );
}

function spotCheckPart(spot) {
  const heading = el('h3', { id: 'spot-heading', text: 'Spot check' });
  if (spot === null)
    return el(
      'section',
      { 'aria-labelledby': 'spot-heading' },
      heading,
      el('p', { text: 'No spot check was drawn for this request.' }),
    );
  return el(
    'section',
    { 'aria-labelledby': 'spot-heading' },
    heading,
    definitions([
      ['Status', badge(spot.status)],
      ['Checked lab', spot.labId],
      ['Checker lab', spot.checkerLab],
      ['Output commitment', code(spot.outputCommitment)],
      ["Checker's output commitment", code(spot.checkerOutputCommitment)],
      ['Requested', time(spot.requestedAt)],
      ['Deadline', time(spot.deadline)],
      ['Completed', time(spot.completedAt)],
      ['Faulty lab', spot.faultyLab ?? '—'],
    ]),
  );
}
