// Every model version on the ledger with its status and approvals.
import { byId, el, replace, table } from '../common/dom.js';
import { badge, hash, list, time } from '../common/format.js';
import { clearProblem, showProblem } from '../common/problem.js';

export async function loadModels(api) {
  const error = byId('models-error');
  try {
    const { body } = await api.json('/api/v1/audit/models');
    clearProblem(error);
    replace(
      byId('models-body'),
      table(
        'Model versions registered on the ledger',
        [
          { label: 'Model', value: (m) => el('code', { text: `${m.modelId}@${m.version}` }) },
          { label: 'Status', value: (m) => badge(m.status) },
          {
            label: 'Approvals',
            value: (m) => `${Array.isArray(m.approvals) ? m.approvals.length : 0}: ${list(m.approvals)}`,
          },
          { label: 'Proposed by', value: (m) => m.proposedBy },
          { label: 'Proposed', value: (m) => time(m.proposedAt) },
          { label: 'Classes', value: (m) => list(m.output?.classes) },
          { label: 'ONNX SHA-256', value: (m) => hash(m.onnxSha256) },
        ],
        body.items,
        'No models registered.',
      ),
    );
  } catch (e) {
    showProblem(error, e, 'Could not list the models');
  }
}
