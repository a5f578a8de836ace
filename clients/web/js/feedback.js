// What a panel tells a person when the room refuses or cannot take a request, said the same
// way in every panel. Pure: no DOM; tested in tests/web/feedback.test.mjs.

import { RequestError } from './connection.js';

/** Request errors that mean "not connected just now", after which the page tries again. */
const TRANSIENT = new Set(['DISCONNECTED', 'NOT_CONNECTED', 'TIMEOUT']);

/** True when `error` only says the connection is away (the request can be made again later). */
export function isTransient(error) {
  return error instanceof RequestError && TRANSIENT.has(error.code);
}

/** The sentence for a failed request: the server's own words, or a plain "try again". */
export function errorText(error) {
  if (error instanceof RequestError) return error.message;
  return 'Something went wrong. Try again.';
}

/**
 * The sentence for a failed change to a document: being offline is said plainly (the text
 * is kept), anything else in the server's words.
 */
export function documentErrorText(error) {
  if (isTransient(error)) {
    return 'Not connected to the room just now. Try again once it says Connected.';
  }
  return error?.message || 'That did not work. Try again.';
}

/**
 * A function that makes a request of `kind` and resolves to its answer, or to null after
 * handing the error's sentence to say(text). Before each request say('') clears the last one.
 */
export function requester(connection, kind, say) {
  return async (body) => {
    say('');
    try {
      return await connection.request(kind, body);
    } catch (error) {
      say(errorText(error));
      return null;
    }
  };
}
