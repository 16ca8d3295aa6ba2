import assert from 'node:assert/strict';
import { it } from 'node:test';
import { resolvedIncidentDocument } from '../reasoning/knowledge/documents.ts';
import type { KnowledgeDocument } from '../reasoning/knowledge/documents.ts';
import { describeEachStore } from '../testing/stores.ts';
import { deleteKnowledgeDocument, loadKnowledgeDocuments, saveKnowledgeDocument } from './knowledge.ts';
import { migrate } from './migrations.ts';
import { openStore } from './open.ts';

const INCIDENT = resolvedIncidentDocument({
  incidentId: 'inc-42',
  title: 'Checkout slow: payments pool exhausted',
  services: ['checkout'],
  cause: { service: 'payments', indicator: 'latency' },
  remediation: 'Killed idle-in-transaction sessions; lowered the pool size.',
  tags: ['latency', 'database'],
  confirmedBy: 'ann@example.com',
});

const RUNBOOK: KnowledgeDocument = {
  id: 'runbook:uploaded.md',
  kind: 'runbook',
  title: 'Uploaded "runbook" — ünïcode',
  body: '# Steps\n\n1. Look.',
  services: [],
  tags: ['x'],
  signals: [],
  source: 'uploaded.md',
};

describeEachStore('knowledge documents', (target) => {
  it('saves, replaces, loads and deletes documents', async () => {
    const fresh = await target.fresh();
    const store = await openStore(fresh.config);
    try {
      await migrate(store);
      assert.deepEqual(await loadKnowledgeDocuments(store), []);
      await saveKnowledgeDocument(store, INCIDENT);
      await saveKnowledgeDocument(store, RUNBOOK);
      assert.deepEqual(await loadKnowledgeDocuments(store), [INCIDENT, RUNBOOK]);

      const changed = { ...INCIDENT, title: 'Checkout slow (confirmed twice)' };
      await saveKnowledgeDocument(store, changed);
      // Replacing keeps the original creation order.
      assert.deepEqual(await loadKnowledgeDocuments(store), [changed, RUNBOOK]);

      assert.equal(await deleteKnowledgeDocument(store, RUNBOOK.id), true);
      assert.equal(await deleteKnowledgeDocument(store, RUNBOOK.id), false);
      assert.deepEqual(await loadKnowledgeDocuments(store), [changed]);
      await assert.rejects(
        store.query(
          `insert into knowledge_documents (id, kind, title, body, services, tags, signals, source) values ('x', 'note', 't', 'b', '[]', '[]', '[]', 's')`
        ),
        /check constraint/
      );
    } finally {
      await store.close();
      await fresh.remove();
    }
  });
});
