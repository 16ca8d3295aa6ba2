import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { builtInActions } from '../actions/registry.ts';
import { draftExamples, draftingPrompt, yamlOfReply } from './draftWorkflow.ts';

describe('drafting workflows', () => {
  it('shows only examples that check against the engine actions', () => {
    assert.equal(draftExamples(builtInActions({ llm: () => undefined })).length, 2);
    // Without an LLM there is no llm_summary, so the report example would mislead.
    const bare = builtInActions();
    assert.deepEqual(
      draftExamples(bare).map((example) => /^name: (.*)$/m.exec(example)?.[1]),
      ['critical-incident-to-chat']
    );
    assert.ok(!draftingPrompt(bare).includes('llm_summary ('));
  });

  it('takes the YAML out of a reply with or without code fences', () => {
    assert.equal(yamlOfReply('name: a\nsteps: []'), 'name: a\nsteps: []\n');
    assert.equal(yamlOfReply('Sure:\n```yaml\nname: a\n```\nDone.'), 'name: a\n');
    assert.equal(yamlOfReply('  \n'), '');
  });
});
