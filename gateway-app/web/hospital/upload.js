// The upload form: file input or drag and drop, model, priority, optional patient reference. Each
// upload carries an Idempotency-Key: a retried click (after a lost answer) reuses the key, so the gateway
// answers with the first request instead of making a second one; changing the form starts a new key.
import { byId } from '../common/dom.js';
import { announce } from '../common/live.js';
import { clearProblem, showProblem } from '../common/problem.js';

/** A random UUID; crypto.randomUUID needs a secure context, getRandomValues does not. */
function newKey() {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function sizeOf(bytes) {
  return bytes < 1024
    ? `${bytes} B`
    : bytes < 1048576
      ? `${(bytes / 1024).toFixed(1)} KiB`
      : `${(bytes / 1048576).toFixed(1)} MiB`;
}

/** Wires the form; `api()` is the signed-in client, `onAccepted(body)` runs after a 202. */
export function setUpUpload({ api, onAccepted }) {
  const form = byId('upload-form');
  const file = byId('scan-file');
  const zone = byId('drop-zone');
  const selected = byId('selected-file');
  const model = byId('model');
  const status = byId('upload-status');
  const error = byId('upload-error');
  const button = byId('upload-button');
  /** The key of the upload being attempted; null until the next submit. */
  let key = null;

  const showSelected = () => {
    const chosen = file.files?.[0];
    selected.textContent = chosen === undefined ? '' : `Selected: ${chosen.name} (${sizeOf(chosen.size)})`;
  };

  form.addEventListener('input', () => {
    key = null;
  });
  form.addEventListener('change', () => {
    key = null;
    showSelected();
  });

  zone.addEventListener('dragover', (event) => {
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    zone.classList.add('dragging');
  });
  zone.addEventListener('dragleave', () => {
    zone.classList.remove('dragging');
  });
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('dragging');
    const files = event.dataTransfer?.files;
    if (!files || files.length === 0) return;
    if (files.length > 1) {
      showProblem(error, new Error('Drop one scan at a time.'), 'Upload');
      return;
    }
    file.files = files;
    key = null;
    showSelected();
    announce(`Selected ${files[0].name}.`);
  });

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const chosen = file.files?.[0];
    if (chosen === undefined) {
      showProblem(error, new Error('Choose a scan file or drop one on the box.'), 'Upload');
      file.focus();
      return;
    }
    if (model.value.trim() === '') {
      showProblem(error, new Error('Enter a model reference, e.g. brain-tissue@approved.'), 'Upload');
      model.focus();
      return;
    }
    key ??= newKey();
    const body = new FormData();
    body.set('file', chosen, chosen.name);
    body.set('model', model.value.trim());
    body.set('priority', byId('priority').value);
    const patientRef = byId('patient-ref').value.trim();
    if (patientRef !== '') body.set('patientRef', patientRef);

    button.disabled = true;
    clearProblem(error);
    status.textContent = `Uploading ${chosen.name}…`;
    api()
      .postForm('/api/v1/scans', body, { 'Idempotency-Key': key })
      .then(({ body: accepted }) => {
        key = null;
        status.textContent = accepted.replayed
          ? `Already accepted as ${accepted.requestId} (the same upload was sent before).`
          : `Accepted as ${accepted.requestId}: ${accepted.status}.`;
        file.value = '';
        byId('patient-ref').value = '';
        showSelected();
        onAccepted(accepted);
      })
      .catch((e) => {
        // The key stays: clicking Upload again retries the same upload.
        status.textContent = '';
        showProblem(error, e, 'Upload failed');
      })
      .finally(() => {
        button.disabled = false;
      });
  });
}
