// Signing in with an API token: the token is checked against the gateway, kept in sessionStorage for
// this tab only, and dropped on sign-out or when the gateway refuses it (401).
import { Api } from './api.js';
import { byId } from './dom.js';
import { announce } from './live.js';
import { ApiError, clearProblem, showProblem } from './problem.js';

const KEY = 'veriscan.token';

function readStored() {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

function store(token) {
  try {
    if (token === null) sessionStorage.removeItem(KEY);
    else sessionStorage.setItem(KEY, token);
  } catch {
    // Storage disabled: the session lasts until the page is reloaded.
  }
}

/**
 * Wires the sign-in form (#sign-in-form, #token, #sign-in-error), the sign-out button (#sign-out) and
 * the page body (#app). `check(api)` makes one cheap authenticated call; `onSignedIn(api)` starts the
 * page, `onSignedOut()` stops its timers and clears what it showed.
 */
export function startSession({ check, onSignedIn, onSignedOut }) {
  const section = byId('sign-in');
  const form = byId('sign-in-form');
  const input = byId('token');
  const error = byId('sign-in-error');
  const app = byId('app');
  const bar = byId('session-bar');
  const signOutButton = byId('sign-out');
  const submit = form.querySelector('button[type="submit"]');
  let signedIn = false;

  const showSignIn = () => {
    signedIn = false;
    app.hidden = true;
    bar.hidden = true;
    section.hidden = false;
  };

  const signOut = (reason) => {
    const was = signedIn;
    store(null);
    showSignIn();
    if (was) onSignedOut();
    if (reason instanceof ApiError) {
      showProblem(error, reason, 'Signed out: the gateway refused the token');
    } else {
      clearProblem(error);
      announce('Signed out.');
    }
    input.value = '';
    input.focus();
  };

  const tryToken = async (token) => {
    const api = new Api(token, (refusal) => {
      if (signedIn) signOut(refusal);
    });
    await check(api);
    store(token);
    clearProblem(error);
    section.hidden = true;
    app.hidden = false;
    bar.hidden = false;
    signedIn = true;
    announce('Signed in.');
    onSignedIn(api);
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const token = input.value.trim();
    if (token === '') {
      input.focus();
      return;
    }
    submit.disabled = true;
    form.setAttribute('aria-busy', 'true');
    tryToken(token)
      .then(() => {
        input.value = '';
      })
      .catch((e) => {
        showProblem(error, e, 'Sign-in failed');
        input.focus();
        input.select();
      })
      .finally(() => {
        submit.disabled = false;
        form.removeAttribute('aria-busy');
      });
  });
  signOutButton.addEventListener('click', () => {
    signOut();
  });

  const stored = readStored();
  showSignIn();
  if (stored !== null && stored !== '') {
    tryToken(stored).catch((e) => {
      store(null);
      showProblem(error, e, 'The saved sign-in no longer works');
    });
  }
}
