// One request in detail: its summary, the segmentation over the de-identified scan, class areas and
// scores, the receipt and its proof, the checks this gateway made, and who fetched the scan.
import { byId, definitions, el, jsonDetails, replace, table } from '../common/dom.js';
import { badge, code, decimal, integer, okBadge, percent, time } from '../common/format.js';
import { announce } from '../common/live.js';
import { clearProblem, describe, showProblem } from '../common/problem.js';
import { colourOf, decode, drawOverlay } from './overlay.js';

const TERMINAL = new Set(['completed', 'failed', 'expired']);
const PREVIEWABLE = new Set(['image/png', 'image/jpeg']);

export class ResultView {
  #api = null;
  #id = null;
  #detail = null;
  /** Decoded images and download links of the open request, made once it completed. */
  #images = null;
  #urls = [];
  #canvas = null;

  get requestId() {
    return this.#id;
  }

  /** True while the open request can still change (the page polls it). */
  get open() {
    return this.#id !== null && (this.#detail === null || !TERMINAL.has(this.#detail.status));
  }

  async show(api, requestId) {
    this.clear();
    this.#api = api;
    this.#id = requestId;
    const section = byId('result');
    section.hidden = false;
    replace(byId('result-heading'), `Request ${requestId}`);
    replace(byId('result-body'), el('p', { class: 'status-line', text: 'Loading…' }));
    byId('result-heading').focus();
    await this.refresh();
  }

  /** Re-reads the request; re-renders when something visible changed. */
  async refresh() {
    const id = this.#id;
    if (id === null) return;
    let detail;
    try {
      detail = (await this.#api.json(`/api/v1/scans/${encodeURIComponent(id)}`)).body;
    } catch (e) {
      if (id === this.#id) showProblem(byId('result-error'), e, 'Could not load the request');
      return;
    }
    if (id !== this.#id) return;
    clearProblem(byId('result-error'));
    const before = this.#detail;
    this.#detail = detail;
    if (
      before === null ||
      before.status !== detail.status ||
      before.accessLog.length !== detail.accessLog.length ||
      before.request.assignedLab !== detail.request.assignedLab
    ) {
      this.#render(detail);
      if (detail.status === 'completed') await this.#loadImages(detail);
    }
  }

  clear() {
    this.#id = null;
    this.#detail = null;
    this.#images = null;
    for (const url of this.#urls) URL.revokeObjectURL(url);
    this.#urls = [];
    this.#canvas = null;
    byId('result').hidden = true;
    byId('result-body').replaceChildren();
    clearProblem(byId('result-error'));
  }

  #render(detail) {
    const r = detail.request;
    replace(byId('result-heading'), `Request ${r.requestId} `, badge(detail.status));
    const body = byId('result-body');
    const parts = [
      definitions([
        ['Status', badge(detail.status)],
        ['Model', r.modelRef],
        ['Priority', r.priority],
        ['Scan', `${r.mediaType}, ${r.width} × ${r.height}, ${r.bitDepth}-bit`],
        ['Patient reference', r.patientRef ?? '—'],
        ['Lab', r.assignedLab ?? '—'],
        ['Uploaded', time(r.createdAt)],
        ['Completed', time(r.completedAt)],
        ['Scan commitment', code(r.scanCommitment)],
        ['Tile root commitment', code(r.tileRootCommitment)],
        ...(r.error ? [['Error', r.error]] : []),
      ]),
    ];
    if (r.ledger) parts.push(jsonDetails('The request as the ledger holds it', r.ledger));
    if (detail.result) parts.push(...this.#resultParts(detail.result, r));
    else if (!TERMINAL.has(detail.status))
      parts.push(
        el('p', {
          class: 'notice',
          text: 'The result appears here once the lab has answered and this gateway has checked it against the ledger.',
        }),
      );
    if (detail.receipt) parts.push(receiptPart(detail.receipt));
    parts.push(accessLogPart(detail.accessLog));
    replace(body, parts);
  }

  #resultParts(result, request) {
    const canvas = el('canvas', {
      id: 'overlay',
      class: 'overlay',
      width: 512,
      height: 512,
      role: 'img',
      'aria-label': `Segmentation of ${request.requestId}: ${result.classes
        .filter((_, i) => i > 0)
        .map((c) => `${c.name} ${percent(c.fraction)}`)
        .join(', ')}`,
    });
    this.#canvas = canvas;
    const showMask = el('input', { id: 'show-mask', type: 'checkbox', checked: true });
    const opacity = el('input', { id: 'mask-opacity', type: 'range', min: 0, max: 100, value: 55, step: 5 });
    const redraw = () => this.#draw();
    showMask.addEventListener('change', redraw);
    opacity.addEventListener('input', redraw);
    const legend = el(
      'ul',
      { class: 'legend', 'aria-label': 'Colours of the classes' },
      result.classes.map((c, i) => (i === 0 ? null : el('li', {}, swatch(i), c.name))),
    );
    const preview = PREVIEWABLE.has(request.mediaType)
      ? null
      : el('p', {
          class: 'notice',
          text: `This scan (${request.mediaType}) cannot be shown here: the preview needs PNG or JPEG. The class map is drawn on black, in the model's frame.`,
        });
    return [
      el('h3', { text: 'Segmentation' }),
      el(
        'div',
        { class: 'overlay-layout' },
        el(
          'figure',
          {},
          canvas,
          el('figcaption', { id: 'overlay-caption', text: 'Loading the scan and the class map…' }),
        ),
        el(
          'div',
          { class: 'overlay-controls' },
          preview,
          legend,
          el(
            'div',
            { class: 'field checkbox' },
            showMask,
            el('label', { for: 'show-mask', text: 'Show segmentation' }),
          ),
          el(
            'div',
            { class: 'field' },
            el('label', { for: 'mask-opacity', text: 'Segmentation opacity' }),
            opacity,
          ),
          el('p', { id: 'downloads', class: 'downloads' }),
        ),
      ),
      el('h3', { text: 'Class areas' }),
      table(
        "Pixels of each class in the model's output frame",
        [
          { label: 'Class', value: (c) => el('span', {}, swatch(result.classes.indexOf(c)), c.name) },
          { label: 'Pixels', value: (c) => integer(c.pixels) },
          { label: 'Fraction', value: (c) => percent(c.fraction) },
        ],
        result.classes,
      ),
      el('h3', { text: 'Scores' }),
      table(
        `Scores of ${result.model.id}@${result.model.version}, computed by ${result.labId}`,
        [
          { label: 'Score', value: (s) => s.name },
          { label: 'Value', value: (s) => decimal(s.value) },
          { label: 'Quantised (×10⁴)', value: (s) => integer(s.e4) },
        ],
        result.scores,
      ),
      checksPart(result.checks, () => this.#verify()),
    ];
  }

  async #loadImages(detail) {
    const id = detail.request.requestId;
    const previewable = PREVIEWABLE.has(detail.request.mediaType);
    try {
      const [maskBlob, scanBlob] = await Promise.all([
        this.#api.blob(`/api/v1/scans/${encodeURIComponent(id)}/result/mask.png`),
        this.#api.blob(`/api/v1/scans/${encodeURIComponent(id)}/scan`),
      ]);
      if (id !== this.#id) return;
      const [mask, scan] = await Promise.all([decode(maskBlob), previewable ? decode(scanBlob) : null]);
      if (id !== this.#id) return;
      this.#images = { mask, scan, width: detail.request.width, height: detail.request.height };
      const maskUrl = URL.createObjectURL(maskBlob);
      const scanUrl = URL.createObjectURL(scanBlob);
      this.#urls.push(maskUrl, scanUrl);
      const extension =
        { 'image/png': 'png', 'image/jpeg': 'jpg', 'application/dicom': 'dcm' }[detail.request.mediaType] ??
        'bin';
      const downloads = document.getElementById('downloads');
      if (downloads)
        replace(
          downloads,
          el('a', { href: maskUrl, download: `${id}-mask.png`, text: 'Download the class map (PNG)' }),
          ' · ',
          el('a', {
            href: scanUrl,
            download: `${id}-scan.${extension}`,
            text: 'Download the de-identified scan',
          }),
        );
      this.#draw();
      const caption = document.getElementById('overlay-caption');
      if (caption)
        caption.textContent = `The ${mask.width} × ${mask.height} class map over the ${previewable ? 'de-identified scan, letterboxed into the model frame' : 'black model frame'}.`;
    } catch (e) {
      if (id === this.#id) showProblem(byId('result-error'), e, 'Could not load the images');
    }
  }

  #draw() {
    if (this.#images === null || this.#canvas === null) return;
    drawOverlay(this.#canvas, {
      ...this.#images,
      showMask: document.getElementById('show-mask')?.checked ?? true,
      opacity: Number(document.getElementById('mask-opacity')?.value ?? 55) / 100,
    });
    this.#canvas.dataset.drawn = 'true';
  }

  /** Re-reads the request and shows the checks the gateway made on its result, in place. */
  async #verify() {
    const id = this.#id;
    const out = document.getElementById('verify-status');
    const button = document.getElementById('verify');
    if (id === null || out === null || button === null) return;
    button.disabled = true;
    out.textContent = 'Re-reading the result and its checks…';
    try {
      const detail = (await this.#api.json(`/api/v1/scans/${encodeURIComponent(id)}`)).body;
      if (id !== this.#id) return;
      this.#detail = detail;
      const checks = detail.result?.checks ?? [];
      const failed = checks.filter((c) => !c.ok).length;
      const tableHolder = document.getElementById('checks-table');
      if (tableHolder) replace(tableHolder, checksTable(checks));
      const log = document.getElementById('access-log');
      if (log) replace(log, accessLogTable(detail.accessLog));
      const verdict =
        checks.length === 0
          ? 'No checks recorded yet.'
          : failed === 0
            ? `All ${checks.length} checks ok.`
            : `${failed} of ${checks.length} checks failed.`;
      replace(
        out,
        el('span', { class: `verdict ${failed === 0 && checks.length > 0 ? 'good' : 'bad'}`, text: verdict }),
        ' Re-read at ',
        time(new Date().toISOString()),
        '.',
      );
      announce(verdict);
    } catch (e) {
      const { title, detail } = describe(e);
      out.textContent = `Could not re-read the request: ${title}${detail ? ` — ${detail}` : ''}`;
    } finally {
      button.disabled = false;
    }
  }
}

/** The colour of class `index` (the background is not drawn: an empty box). */
function swatch(index) {
  const [r, g, b, a] = colourOf(index);
  const box = el('span', { class: a === 0 ? 'swatch swatch-none' : 'swatch', 'aria-hidden': 'true' });
  if (a !== 0) box.style.backgroundColor = `rgb(${r} ${g} ${b})`;
  return box;
}

function checksTable(checks) {
  return table(
    'Checks this gateway made before showing the result',
    [
      { label: 'Check', value: (c) => el('code', { text: c.name }) },
      { label: 'Outcome', value: (c) => okBadge(c.ok) },
      { label: 'Detail', value: (c) => c.detail },
    ],
    checks,
    'No checks recorded.',
  );
}

function checksPart(checks, verify) {
  return el(
    'section',
    { class: 'checks', 'aria-labelledby': 'checks-heading' },
    el('h3', { id: 'checks-heading', text: 'Checks' }),
    el(
      'p',
      { class: 'hint' },
      'The gateway checked the result against the ledger before showing it. "Verify" re-reads them; the ' +
        "regulator's explorer re-runs the inference independently.",
    ),
    el('div', { id: 'checks-table' }, checksTable(checks)),
    el('button', { id: 'verify', type: 'button', text: 'Verify', on: { click: verify } }),
    el('p', { id: 'verify-status', class: 'status-line', role: 'status' }),
  );
}

function receiptPart(view) {
  const proof = view.proof;
  return el(
    'section',
    { 'aria-labelledby': 'receipt-heading' },
    el('h3', { id: 'receipt-heading', text: 'Receipt' }),
    definitions([
      ['Lab', view.labId],
      ['Receipt hash', code(view.receiptHash)],
      ['Trace hash', code(view.traceHash)],
      ['Transaction', code(view.txId)],
      [
        'Proof',
        proof.kind === 'batch'
          ? 'batch: an inclusion proof into a batch root anchored on the ledger'
          : 'transaction: the receipt is in its own ledger transaction',
      ],
    ]),
    proof.kind === 'batch' && proof.batch ? jsonDetails('Batch inclusion proof', proof.batch) : null,
    jsonDetails('The receipt', view.receipt),
  );
}

function accessLogTable(entries) {
  return table(
    'Every attempt to fetch this scan',
    [
      { label: 'When', value: (a) => time(a.at) },
      { label: 'Member', value: (a) => a.memberId },
      { label: 'MSP', value: (a) => a.mspId },
      { label: 'Job', value: (a) => a.job },
      { label: 'Purpose', value: (a) => a.purpose },
      { label: 'Outcome', value: (a) => badge(a.outcome) },
    ],
    entries,
    'Nobody has fetched the scan yet.',
  );
}

function accessLogPart(entries) {
  return el(
    'section',
    { 'aria-labelledby': 'access-heading' },
    el('h3', { id: 'access-heading', text: 'Access log' }),
    el('div', { id: 'access-log' }, accessLogTable(entries)),
  );
}
