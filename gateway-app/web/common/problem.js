// Errors from the gateway: RFC 9457 problem details (title, detail, code) and failures to reach it.
import { el, replace } from './dom.js';

export class ApiError extends Error {
  /** `problem`: the parsed application/problem+json body, or a stand-in built from the status. */
  constructor(status, problem) {
    super(problem.detail ? `${problem.title}: ${problem.detail}` : problem.title);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
  }
}

/** The problem of a failed answer (its problem+json body when it has one). */
export async function problemOf(response) {
  const type = response.headers.get('content-type') ?? '';
  if (/^application\/(problem\+)?json/.test(type)) {
    try {
      const body = await response.json();
      if (body !== null && typeof body === 'object' && typeof body.title === 'string') return body;
    } catch {
      // fall through to the status line
    }
  }
  return {
    type: 'about:blank',
    title: response.statusText || `HTTP ${response.status}`,
    status: response.status,
  };
}

/** `{ title, detail, code }` for any error a page catches. */
export function describe(error) {
  if (error instanceof ApiError) {
    const { title, detail, code, status } = error.problem;
    return { title: `${title} (${status ?? error.status})`, detail: detail ?? '', code: code ?? '' };
  }
  if (error instanceof TypeError) {
    return { title: 'The gateway could not be reached', detail: error.message, code: '' };
  }
  return {
    title: 'Something went wrong',
    detail: error instanceof Error ? error.message : String(error),
    code: '',
  };
}

/**
 * Shows `error` in `box` (an element with role="alert", so it is announced) and unhides it; `context`
 * says what was being done ("Upload failed").
 */
export function showProblem(box, error, context = '') {
  const { title, detail, code } = describe(error);
  replace(
    box,
    el('p', { class: 'problem-title' }, context === '' ? '' : `${context}: `, el('strong', { text: title })),
    detail === '' ? null : el('p', { class: 'problem-detail', text: detail }),
    code === '' ? null : el('p', { class: 'problem-code' }, 'Code: ', el('code', { text: code })),
  );
  box.hidden = false;
}

export function clearProblem(box) {
  box.replaceChildren();
  box.hidden = true;
}
