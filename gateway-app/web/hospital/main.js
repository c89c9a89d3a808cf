// The hospital's page: sign-in, upload, the live list of requests and one request's result.
import { byId } from '../common/dom.js';
import { announce } from '../common/live.js';
import { startSession } from '../common/session.js';
import { ResultView } from './result-view.js';
import { ScanList } from './scan-list.js';
import { setUpUpload } from './upload.js';

const POLL_MS = 1500;

let api = null;
let timer = null;
let polling = false;
const view = new ResultView();
const list = new ScanList({
  onOpen: (requestId) => {
    list.select(requestId);
    void view.show(api, requestId);
  },
  onChange: (scan) => {
    announce(`Request ${scan.requestId} is ${scan.status}.`);
  },
});

/** One refresh of the list and of the open request, never two at once. */
async function poll() {
  if (polling || api === null) return;
  polling = true;
  try {
    await list.refresh(api);
    if (view.open) await view.refresh();
  } finally {
    polling = false;
  }
}

setUpUpload({
  api: () => api,
  onAccepted: (accepted) => {
    announce(`Uploaded: request ${accepted.requestId} ${accepted.status}.`);
    void poll();
  },
});

startSession({
  check: (candidate) => candidate.json('/api/v1/scans?limit=1'),
  onSignedIn: (signedIn) => {
    api = signedIn;
    void poll();
    timer = setInterval(() => {
      if (!document.hidden) void poll();
    }, POLL_MS);
  },
  onSignedOut: () => {
    clearInterval(timer);
    timer = null;
    api = null;
    list.clear();
    view.clear();
    byId('upload-status').textContent = '';
  },
});
