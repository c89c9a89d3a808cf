// One polite live region per page (#announcer): short status updates read out by screen readers.
import { byId } from './dom.js';

let last = '';

/** Announces `text` (repeating the same text is announced again). */
export function announce(text) {
  const region = byId('announcer');
  region.textContent = text === last ? `${text}\u00a0` : text;
  last = region.textContent;
}
