import assert from 'node:assert/strict';
import type { ErrorResponse } from '../server/errors.ts';

export type JsonObject = Record<string, unknown>;

/** The response body as a JSON object (fails the test when it is anything else). */
export async function readJson(response: Response): Promise<JsonObject> {
  const body: unknown = await response.json();
  assert.ok(typeof body === 'object' && body !== null && !Array.isArray(body), `expected a JSON object, got ${JSON.stringify(body)}`);
  return { ...body };
}

/** The response body as the API's error shape. */
export async function readError(response: Response): Promise<ErrorResponse> {
  const { statusCode, error, message, ...rest } = await readJson(response);
  assert.equal(typeof statusCode, 'number');
  assert.equal(typeof error, 'string');
  assert.equal(typeof message, 'string');
  assert.deepEqual(rest, {}, 'no other fields');
  return { statusCode: Number(statusCode), error: String(error), message: String(message) };
}
