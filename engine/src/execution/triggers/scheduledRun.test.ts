import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { listSchedules } from '../../store/workflowSchedules.ts';
import { startEngine } from '../../testing/engine.ts';
import type { RunningEngine } from '../../testing/engine.ts';
import { readJson } from '../../testing/http.ts';
import { startOpenAiServer, testLlmConfig } from '../../testing/openaiServer.ts';
import type { OpenAiServer } from '../../testing/openaiServer.ts';
import { tempDir } from '../../testing/temp.ts';
import type { TempDir } from '../../testing/temp.ts';
import { waitFor } from '../../testing/waitFor.ts';

const REPORT = `name: morning-summary
triggers:
  - on: schedule
    cron: "0 7 * * *"
steps:
  - id: summary
    action: llm_summary
    with:
      instructions: Say good morning to #ops
      about: { started: "{{ run.startedAt }}", trigger: "{{ run.trigger }}" }
      maxWords: 20
`;


// The engine as wired: the schedule of a workflow file starts a run at its tick, and its llm_summary step writes
// with the configured LLM.
describe('a scheduled workflow in the engine', () => {
  let llm: OpenAiServer;
  let folder: TempDir;
  let engine: RunningEngine;
  let now = new Date('2025-03-10T06:59:59.900Z');

  before(async () => {
    llm = await startOpenAiServer();
    folder = await tempDir('scheduled-workflows');
    await writeFile(path.join(folder.path, 'morning-summary.yaml'), REPORT);
    engine = await startEngine({
      llm: testLlmConfig(llm.baseUrl, { model: 'summary-model', tokenBudget: 8000 }),
      execution: { workflowsDir: folder.path },
      engine: { clock: () => new Date(now) },
    });
  });
  after(async () => {
    await engine?.stop();
    await llm?.close();
    await folder?.remove();
  });

  it('fires at its tick and summarises with the LLM', async () => {
    const [schedule] = await waitFor('the schedule to be synced', async () => {
      const rows = await listSchedules(engine.engine.store);
      return rows.length > 0 ? rows : undefined;
    });
    assert.equal(schedule?.nextAt.toISOString(), '2025-03-10T07:00:00.000Z');
    llm.enqueue({ content: 'Good morning, #ops: nothing to report.' });
    now = new Date('2025-03-10T07:00:01Z');
    const run = await waitFor('the scheduled run to succeed', async () => {
      const runs = (await readJson(await engine.request('/api/v1/workflow-runs'))).runs as Array<{ id: string; status: string; trigger: string }>;
      return runs[0]?.status === 'succeeded' ? runs[0] : undefined;
    });
    assert.equal(run.trigger, 'schedule');
    const view = await readJson(await engine.request(`/api/v1/workflow-runs/${run.id}`));
    const steps = view.steps as Array<{ stepId: string; output: { summary: string; model: string } }>;
    assert.deepEqual(steps[0]?.output.summary, 'Good morning, #ops: nothing to report.');
    assert.equal(steps[0]?.output.model, 'summary-model');
    const user = (llm.chatRequests()[0]?.body['messages'] as Array<{ content: string }>)[1]?.content ?? '';
    assert.match(user, /"trigger": "schedule"/);
    assert.equal((await listSchedules(engine.engine.store))[0]?.nextAt.toISOString(), '2025-03-11T07:00:00.000Z');
  });
});
