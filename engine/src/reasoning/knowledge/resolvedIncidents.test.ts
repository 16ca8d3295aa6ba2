import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { InvalidInput } from '../../invalidInput.ts';
import { loadKnowledgeDocuments } from '../../store/knowledge.ts';
import { migrate } from '../../store/migrations.ts';
import { openStore } from '../../store/open.ts';
import type { Store } from '../../store/store.ts';
import { sharedPgliteStore } from '../../testing/stores.ts';
import { tempDir } from '../../testing/temp.ts';
import type { ResolvedIncident } from './documents.ts';
import { KnowledgeBase } from './knowledgeBase.ts';
import { loadKnowledgeBase } from './loadKnowledgeBase.ts';
import { addResolvedIncident } from './resolvedIncidents.ts';

const RESOLVED: ResolvedIncident = {
  incidentId: 'inc-7',
  title: 'Cart errors after the Redis failover',
  services: ['cart'],
  cause: { service: 'redis', indicator: 'errors' },
  remediation: 'Restarted the cart pods so their client followed the new primary.',
  tags: ['availability'],
};

const db = sharedPgliteStore();

describe('addResolvedIncident', () => {
  it('stores the incident and makes it searchable by its cause, services and remediation', async () => {
    const base = new KnowledgeBase();
    const document = await addResolvedIncident(base, RESOLVED, db());
    assert.equal(document.id, 'incident:inc-7');
    assert.deepEqual(document.services, ['cart', 'redis']);
    assert.deepEqual(document.signals, ['errors']);
    assert.deepEqual(await loadKnowledgeDocuments(db()), [document]);
    const hits = await base.search({ text: 'client did not follow the new primary', services: ['cart'] }, 3);
    assert.equal(hits[0]?.id, 'incident:inc-7');
    assert.equal(hits[0]?.kind, 'incident');
    assert.deepEqual(hits[0]?.document.incident, RESOLVED);
  });

  it('refuses an incomplete incident, listing every problem, and stores nothing', async () => {
    const base = new KnowledgeBase();
    const bad = {
      ...RESOLVED,
      incidentId: 'inc-8',
      title: ' ',
      cause: { service: '', indicator: 'cpu' },
      tags: ['ok', 'nul\u0000'],
    };
    await assert.rejects(
      addResolvedIncident(base, bad, db()),
      (error: unknown) =>
        error instanceof InvalidInput &&
        error.message ===
          'The resolved incident cannot be added: title must not be empty; cause/service must not be empty; tags/1 must not contain the NUL character (\\u0000)'
    );
    assert.equal(base.size, 0);
    assert.deepEqual(
      (await loadKnowledgeDocuments(db())).map((doc) => doc.id),
      ['incident:inc-7']
    );
  });

  it('loads runbooks from their folder and resolved incidents from the database into one base', async () => {
    const dir = await tempDir('runbooks');
    try {
      await writeFile(
        path.join(dir.path, 'redis.md'),
        '---\ntitle: Redis down\nservices: [cart]\n---\nRestart Redis.\n'
      );
      const base = await loadKnowledgeBase({ runbooksDir: dir.path, db: db() });
      assert.deepEqual(
        base
          .documents()
          .map((doc) => doc.id)
          .sort(),
        ['incident:inc-7', 'runbook:redis.md']
      );
      const hits = await base.search({ text: 'redis', services: ['cart'] }, 5);
      assert.deepEqual(hits.map((hit) => hit.kind).sort(), ['incident', 'runbook']);
    } finally {
      await dir.remove();
    }
  });
});
