/**
 * HTTPS between institutions: a `fetch` that trusts exactly the consortium's TLS CAs (every org's
 * `tlsca`), so a lab fetching a scan from a hospital's exchange, or a gateway fetching results from a
 * lab, authenticates the server as one of the consortium's institutions, not as anything a public CA
 * signed. Plain `http:` URLs still work (loopback demos and tests that choose them).
 */
import { Agent } from 'undici';

/** What `fetch` takes and answers; the global one, with the consortium's trust. */
export type ConsortiumFetch = (input: string | URL, init?: RequestInit) => Promise<Response>;

/** A fetch whose TLS trusts only `roots` (PEM CA certificates). */
export function consortiumFetch(roots: readonly string[]): ConsortiumFetch {
  const dispatcher = new Agent({ connect: { ca: [...roots] } });
  // Node's global fetch is undici's; an Agent of the same major version plugs in as its dispatcher.
  // (undici's and undici-types' Dispatcher are one class in two packages, hence the untyped object.)
  return (input, init) => {
    const options: Record<string, unknown> = { ...init, dispatcher };
    return fetch(input, options);
  };
}
