// The regulator's explorer: sign-in, then four views (requests, models, labs, blocks) chosen in the nav.
import { byId, el } from '../common/dom.js';
import { startSession } from '../common/session.js';
import { BlocksView } from './blocks.js';
import { labIds, loadLabs } from './labs.js';
import { loadModels } from './models.js';
import { RequestDetail } from './request-view.js';
import { RequestsView } from './requests.js';

let api = null;
const detail = new RequestDetail();
const requests = new RequestsView({ onOpen: (id) => void detail.show(api, id) });
const blocks = new BlocksView();

const VIEWS = {
  requests: () => requests.load(api),
  models: () => loadModels(api),
  labs: () => loadLabs(api),
  blocks: () => blocks.load(api),
};

/** Shows view `name` and (re)loads it. */
function open(name) {
  for (const button of document.querySelectorAll('nav.views button')) {
    if (button.dataset.view === name) button.setAttribute('aria-current', 'page');
    else button.removeAttribute('aria-current');
  }
  for (const view of Object.keys(VIEWS)) byId(`view-${view}`).hidden = view !== name;
  if (api !== null) void VIEWS[name]();
}

for (const button of document.querySelectorAll('nav.views button')) {
  button.addEventListener('click', () => open(button.dataset.view));
}

startSession({
  check: (candidate) => candidate.json('/api/v1/audit/requests?limit=1'),
  onSignedIn: (signedIn) => {
    api = signedIn;
    open('requests');
    labIds(api)
      .then((ids) => byId('lab-options').replaceChildren(...ids.map((id) => el('option', { value: id }))))
      .catch(() => {
        // Suggestions only: the filter works without them.
      });
  },
  onSignedOut: () => {
    api = null;
    requests.reset();
    detail.clear();
    for (const body of ['models-body', 'labs-body', 'blocks-body']) byId(body).replaceChildren();
  },
});
