// The gateway's API from the page: same origin, bearer token on every call, problem details on failure.
import { ApiError, problemOf } from './problem.js';

export class Api {
  #token;
  #onUnauthorized;

  /** `onUnauthorized` runs when the gateway refuses the token (401), e.g. to show the sign-in again. */
  constructor(token, onUnauthorized = () => {}) {
    this.#token = token;
    this.#onUnauthorized = onUnauthorized;
  }

  async #fetch(path, init = {}) {
    const headers = new Headers(init.headers);
    headers.set('Authorization', `Bearer ${this.#token}`);
    const response = await fetch(path, { ...init, headers, credentials: 'omit', cache: 'no-store' });
    if (!response.ok) {
      const error = new ApiError(response.status, await problemOf(response));
      if (response.status === 401) this.#onUnauthorized(error);
      throw error;
    }
    return response;
  }

  /** GET (or `init.method`) `path` and its JSON body. */
  async json(path, init = {}) {
    const headers = new Headers(init.headers);
    headers.set('Accept', 'application/json');
    const response = await this.#fetch(path, { ...init, headers });
    return { body: await response.json(), status: response.status, headers: response.headers };
  }

  /** GET `path` as a Blob (images, downloads). */
  async blob(path) {
    const response = await this.#fetch(path);
    return response.blob();
  }

  /** POST a multipart form. */
  async postForm(path, form, headers = {}) {
    return this.json(path, { method: 'POST', body: form, headers });
  }
}

/** Appends the defined entries of `params` to `path` as a query string. */
export function withQuery(path, params) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') query.set(key, String(value));
  }
  const text = query.toString();
  return text === '' ? path : `${path}?${text}`;
}
