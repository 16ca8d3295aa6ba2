import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { actionInputErrors, checkActionInput } from './actionInput.ts';
import { TEST_ACTIONS } from './testActions.ts';

const inspection = TEST_ACTIONS.get('inspection');

describe('action inputs', () => {
  it('leave templated fields to run time when a workflow is loaded', () => {
    assert.ok(inspection !== undefined);
    assert.deepEqual(actionInputErrors(inspection, { query: 'up', threshold: '{{ inputs.threshold }}' }), []);
    assert.deepEqual(
      actionInputErrors(inspection, { query: 'up', threshold: 'high' }).map((error) => [error.instancePath, error.message]),
      [['/threshold', 'must be number']]
    );
  });

  it('are checked again once rendered, text turned into the types the schema wants and defaults filled', () => {
    assert.ok(inspection !== undefined);
    assert.deepEqual(checkActionInput(inspection, { query: 'up', threshold: '0.5' }), { query: 'up', threshold: 0.5, above: true });
    assert.throws(() => checkActionInput(inspection, { query: 'up', threshold: 'high' }), /^Error: action inspection: with\/threshold must be number$/);
  });
});
