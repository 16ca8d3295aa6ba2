import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startEngine } from '../testing/engine.ts';
import type { RunningEngine } from '../testing/engine.ts';
import { readJson } from '../testing/http.ts';
import { waitFor } from '../testing/waitFor.ts';

interface Received {
  key: string | undefined;
  body: unknown;
}

/** A chat-like receiver on loopback that records what it was sent. */
async function startReceiver() {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const key = request.headers['idempotency-key'];
      received.push({ key: typeof key === 'string' ? key : undefined, body: JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null') });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const workflow = (url: string) => `# Tell the on-call channel about critical incidents.
name: notify-critical
triggers:
  - on: incident.created
if: 'incident.severity == "critical"'
steps:
  - id: post
    action: webhook
    with:
      url: ${url}
      body:
        text: "{{ incident.title }} on {{ incident.services | join: ', ' }}"
`;

function alertmanager(alertname: string, service: string, severity: string) {
  const alert = { status: 'firing', labels: { alertname, service, severity }, annotations: {}, startsAt: new Date().toISOString() };
  return { version: '4', groupKey: alertname, status: 'firing', receiver: 'r', groupLabels: {}, commonLabels: {}, commonAnnotations: {}, externalURL: '', alerts: [alert] };
}


// The whole loop of execution: an event triggers a workflow, the policy holds its side effect for a person, the
// approval lets it run, and the receiver gets the rendered message once.
describe('workflows triggered by incidents, behind approval', () => {
  let engine: RunningEngine;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  before(async () => {
    receiver = await startReceiver();
    engine = await startEngine({ execution: { egressAllow: '127.0.0.1' } });
    const saved = await engine.request('/api/v1/workflows/notify-critical', {
      method: 'PUT',
      body: workflow(receiver.url),
      headers: { 'content-type': 'application/yaml' },
    });
    assert.equal(saved.status, 201, await saved.clone().text());
  });
  after(async () => {
    await engine?.stop();
    await receiver?.close();
  });

  it('starts a run for a critical incident only, waits for approval, then posts once', async () => {
    await engine.request('/api/v1/alerts/alertmanager', { method: 'POST', json: alertmanager('DiskAlmostFull', 'backup', 'warning') });
    await engine.request('/api/v1/alerts/alertmanager', { method: 'POST', json: alertmanager('CheckoutDown', 'checkout', 'critical') });
    const approval = await waitFor('a pending approval', async () => {
      const list = (await readJson(await engine.request('/api/v1/approvals?state=pending'))).approvals as Array<{ id: string; what: string }>;
      return list[0];
    });
    assert.match(approval.what, /POST http:\/\/127\.0\.0\.1:\d+\/hook/);
    const runs = (await readJson(await engine.request('/api/v1/workflow-runs'))).runs as Array<{ id: string; status: string; trigger: string }>;
    assert.equal(runs.length, 1, 'the warning incident started nothing');
    assert.equal(receiver.received.length, 0, 'nothing is sent before approval');

    const refused = await engine.request(`/api/v1/approvals/${approval.id}/approve`, { method: 'POST', json: {} });
    assert.equal(refused.status, 403);
    const approved = await engine.request(`/api/v1/approvals/${approval.id}/approve`, { method: 'POST', json: {}, headers: { 'x-grafana-user': 'alice' } });
    assert.equal(approved.status, 200, await approved.clone().text());
    const run = await waitFor('the run to finish', async () => {
      const view = await readJson(await engine.request(`/api/v1/workflow-runs/${runs[0]?.id ?? ''}`));
      return view.status === 'succeeded' ? view : undefined;
    });
    assert.equal(receiver.received.length, 1);
    assert.deepEqual(receiver.received[0]?.body, { text: 'CheckoutDown on checkout' });
    assert.match(receiver.received[0]?.key ?? '', /^[0-9a-f]{64}$/);
    assert.ok(JSON.stringify(run.audit).includes('alice'), 'the approver is in the audit trail');
    const metrics = await (await engine.request('/metrics')).text();
    assert.match(metrics, /intelops_events_dispatched_total\{kind="incident.created"\} 2/);
  });
});
