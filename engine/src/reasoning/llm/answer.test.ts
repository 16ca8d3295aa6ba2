import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAnswer } from './answer.ts';

const valid = {
  causes: [
    {
      service: 'checkout',
      indicator: 'cpu',
      confidence: 0.7,
      evidence: ['ev_met_1'],
      explanation: 'CPU saturated',
      actions: ['scale out'],
    },
  ],
};

describe('parseAnswer', () => {
  it('accepts the schema as JSON, bare or in ``` fences', () => {
    for (const text of [
      JSON.stringify(valid),
      `\`\`\`json\n${JSON.stringify(valid)}\n\`\`\``,
      `\`\`\`\n${JSON.stringify(valid, null, 2)}\n\`\`\`  `,
    ]) {
      assert.deepEqual(parseAnswer(text), { ok: true, answer: valid });
    }
  });

  it('names what is wrong', () => {
    assert.deepEqual(parseAnswer('  '), { ok: false, reason: 'LLM returned an empty answer' });
    const invalid = parseAnswer(`I think it is ${'checkout '.repeat(30)}`);
    assert.ok(!invalid.ok);
    assert.match(invalid.reason, /^LLM returned invalid JSON \(.+\): "I think it is checkout .{50,}…"$/);
    const extra = parseAnswer(JSON.stringify({ causes: [{ ...valid.causes[0], why: 'x' }] }));
    assert.deepEqual(extra, {
      ok: false,
      reason: 'LLM answer does not match the schema: /causes/0 has an unknown field "why"',
    });
    const missing = parseAnswer(JSON.stringify({ causes: [{ service: 'checkout' }] }));
    assert.deepEqual(missing, {
      ok: false,
      reason: "LLM answer does not match the schema: /causes/0 must have required property 'indicator'",
    });
    assert.deepEqual(parseAnswer('[]'), {
      ok: false,
      reason: 'LLM answer does not match the schema: the answer must be object',
    });
  });
});
