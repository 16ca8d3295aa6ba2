import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { InvalidInput } from '../invalidInput.ts';
import type { Evidence, GoldenSignal, MetricAnomalyEvidence } from '../perception/evidence.ts';
import { tempDir } from '../testing/temp.ts';
import type { Change } from './changes.ts';
import { changesInWindow } from './changeWindow.ts';
import type { Cmdb } from './cmdb.ts';
import { mergedGraph } from './mergedGraph.ts';
import { buildTagContext } from './tagContext.ts';
import type { IncidentFacts, TagContext } from './tagContext.ts';
import { DEFAULT_TAG_RULES, loadTagRules, parseTagRules, tagIncident } from './tagRules.ts';
import type { TagRuleError } from './tagRules.ts';

const START = new Date('2026-11-02T08:00:00Z');

const cmdb: Cmdb = {
  services: [
    { name: 'frontend', tier: 'production', capability: 'storefront', customerFacing: true, dependsOn: ['checkout'] },
    { name: 'checkout', tier: 'production', capability: 'payments', dependsOn: ['payment'] },
    { name: 'payment', tier: 'production', capability: 'payments' },
    { name: 'batch', tier: 'staging', capability: 'reporting', dependsOn: ['payment'] },
  ],
};

function metric(service: string, signal: GoldenSignal, score: number, value = 1, baseline = 0.1, direction: 'up' | 'down' = 'up'): MetricAnomalyEvidence {
  return {
    id: `ev_met_${service}_${signal}`,
    kind: 'metric_anomaly',
    service,
    score,
    summary: `${signal} of ${service}`,
    from: START.toISOString(),
    to: START.toISOString(),
    link: { datasource: 'prometheus', query: 'up' },
    details: { signal, labels: {}, direction, onset: START.toISOString(), value, baselineMedian: baseline },
  };
}

function deploy(service: string, minutesBefore: number): Change {
  return {
    id: `chg_${service}`,
    kind: 'deploy',
    service,
    title: `${service} v2`,
    description: undefined,
    startsAt: new Date(START.getTime() - minutesBefore * 60_000),
    endsAt: undefined,
    author: undefined,
    version: 'v2',
    url: undefined,
    labels: {},
  };
}

function context(options: { title?: string; services?: string[]; evidence?: Evidence[]; changes?: Change[] } = {}): TagContext {
  const services = options.services ?? ['payment'];
  const incident: IncidentFacts = {
    id: 'inc_1',
    title: options.title ?? 'Something is wrong',
    severity: 'critical',
    status: 'open',
    services,
    startsAt: START,
    tags: { team: 'money' },
    alertCount: 3,
  };
  const graph = mergedGraph(cmdb, []);
  return buildTagContext({
    incident,
    evidence: options.evidence ?? [],
    changes: changesInWindow(options.changes ?? [], { services, neighbours: [] }, START),
    cmdb,
    graph,
  });
}

function failure(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof InvalidInput, String(error));
    return error.message;
  }
  assert.fail('expected an InvalidInput');
}

describe('default tag rules', () => {
  it('tag category, impact through the graph, capabilities, environment and customer-facing', () => {
    const tags = tagIncident(context({ evidence: [metric('payment', 'latency', 0.9)] }));
    assert.deepEqual(tags, {
      category: 'latency',
      impact: '4 services, payments, reporting, storefront',
      capabilities: 'payments,reporting,storefront',
      environment: 'production',
      customerFacing: 'true',
    });
  });

  it('pick the strongest category claim: availability over errors over latency over saturation', () => {
    assert.equal(tagIncident(context({ evidence: [metric('payment', 'saturation', 0.8)] })).category, 'saturation');
    assert.equal(tagIncident(context({ evidence: [metric('payment', 'saturation', 0.8), metric('payment', 'errors', 0.7, 0.2)] })).category, 'errors');
    assert.equal(tagIncident(context({ evidence: [metric('payment', 'latency', 0.8), metric('payment', 'errors', 0.9, 0.97)] })).category, 'availability');
    assert.equal(tagIncident(context({ evidence: [metric('payment', 'traffic', 0.9, 0.1, 40, 'down')] })).category, 'availability');
    assert.equal(tagIncident(context({ evidence: [metric('payment', 'latency', 0.3)] })).category, undefined, 'weak evidence sets no category');
    assert.equal(tagIncident(context({ title: 'TargetDown: payment' })).category, 'availability', 'the title counts without evidence');
  });

  it('tag a change in the window, and call it the category only when no symptom matched', () => {
    const quiet = tagIncident(context({ changes: [deploy('payment', 10)] }));
    assert.equal(quiet.category, 'change');
    assert.equal(quiet.change, 'chg_payment');
    const loud = tagIncident(context({ changes: [deploy('payment', 10)], evidence: [metric('payment', 'errors', 0.9, 0.3)] }));
    assert.equal(loud.category, 'errors');
    assert.equal(loud.change, 'chg_payment');
  });

  it('give an incident on a service outside the CMDB only what it can know', () => {
    assert.deepEqual(tagIncident(context({ services: ['mystery'] })), { impact: '1 service' });
  });
});

describe('parseTagRules', () => {
  const text = [
    'rules:',
    '  - name: latency',
    '    when: \'evidence.exists(e, e.kind == "metric_anomaly" && e.signal == "latency" && e.score > 0.5)\'',
    '    tags: { category: slow }',
    '  - name: payments-impact',
    '    when: \'"payments" in impact.capabilities\'',
    '    tags: { business: revenue }',
    '  - name: owner',
    '    when: \'incident.service in cmdb\'',
    '    values: { ownerTeam: \'cmdb[incident.service].capability + "-team"\' }',
    '',
  ].join('\n');

  it('runs the built-in rules first and the file’s after them, later tags winning', () => {
    const rules = parseTagRules(text, 'rules.yaml');
    assert.equal(rules.rules.length, DEFAULT_TAG_RULES.rules.length + 3);
    const tags = tagIncident(context({ evidence: [metric('payment', 'latency', 0.9)] }), rules);
    assert.equal(tags.category, 'slow');
    assert.equal(tags.business, 'revenue');
    assert.equal(tags.ownerTeam, 'payments-team');
    assert.equal(tags.environment, 'production');
  });

  it('leaves the defaults out with defaults: false, and sees the tags set before', () => {
    const rules = parseTagRules('defaults: false\nrules:\n  - name: a\n    when: "true"\n    tags: { x: "1" }\n  - name: b\n    when: \'tags["x"] == "1" && tags["team"] == "money"\'\n    tags: { y: "2" }\n', 'r.yaml');
    assert.deepEqual(tagIncident(context(), rules), { x: '1', y: '2' });
    assert.deepEqual(parseTagRules('', 'empty.yaml').rules.length, DEFAULT_TAG_RULES.rules.length);
  });

  it('skips and reports a rule failing at run time, the others go on', () => {
    const rules = parseTagRules('defaults: false\nrules:\n  - name: lookup\n    when: \'cmdb["nowhere"].tier == "x"\'\n    tags: { a: "1" }\n  - name: after\n    when: "true"\n    tags: { b: "2" }\n', 'r.yaml');
    const errors: TagRuleError[] = [];
    assert.deepEqual(tagIncident(context(), rules, (error) => errors.push(error)), { b: '2' });
    assert.deepEqual(errors, [{ rule: 'lookup', origin: 'r.yaml line 3', message: 'No such key: nowhere' }]);
  });

  it('names rule and line of CEL parse and type errors', () => {
    const rule = (when: string) => `rules:\n  - name: broken\n    when: '${when}'\n    tags: { a: b }\n`;
    assert.equal(failure(() => parseTagRules(rule('evidence.exists(e, e.score >'), 'rules.yaml')), 'rules.yaml line 3: tag rule "broken": when does not parse: Unexpected token: EOF (column 29 of the expression)');
    assert.equal(failure(() => parseTagRules(rule('evidence.exists(e, e.scor > 0.5)'), 'rules.yaml')), 'rules.yaml line 3: tag rule "broken": when is not valid: No such key: scor (column 22 of the expression)');
    assert.equal(failure(() => parseTagRules(rule('severity == "critical"'), 'rules.yaml')), 'rules.yaml line 3: tag rule "broken": when is not valid: Unknown variable: severity (column 1 of the expression)');
    assert.equal(failure(() => parseTagRules(rule('incident.alertCount == 1.5'), 'rules.yaml')), 'rules.yaml line 3: tag rule "broken": when is not valid: no such overload: int == double (column 1 of the expression)');
    assert.equal(failure(() => parseTagRules(rule('incident.title'), 'rules.yaml')), 'rules.yaml line 3: tag rule "broken": when must give a bool, not string');
    assert.equal(
      failure(() => parseTagRules('rules:\n  - name: v\n    when: "true"\n    values:\n      n: size(evidence)\n', 'rules.yaml')),
      'rules.yaml line 5: tag rule "v": values/n must give a string, not int'
    );
  });

  it('names file and line of YAML and schema errors', () => {
    assert.equal(failure(() => parseTagRules('rules:\n  - name: a\n    when: "true"\n  tags: x\n', 'rules.yaml')), 'rules.yaml line 4, column 1: not valid YAML: All mapping items must start at the same column');
    assert.equal(
      failure(() => parseTagRules('rules:\n  - name: a\n    wen: "true"\n    tags: { a: b }\n', 'rules.yaml')),
      'rules.yaml line 3: rules/0 has unknown key "wen" (allowed: name, when, tags, values)'
    );
    assert.equal(failure(() => parseTagRules('rule: []\n', 'rules.yaml')), 'rules.yaml line 1: (top level) has unknown key "rule" (allowed: defaults, rules)');
    assert.equal(failure(() => parseTagRules('rules:\n  - name: a\n    when: "true"\n', 'rules.yaml')), 'rules.yaml line 2: tag rule "a" sets no tags: give it tags or values');
    assert.equal(
      failure(() => parseTagRules('rules:\n  - name: a\n    when: "true"\n    tags: { "bad name": b }\n', 'rules.yaml')),
      'rules.yaml line 4: rules/0/tags has a key "bad name" that must match pattern "^[A-Za-z_][A-Za-z0-9_.-]*$"'
    );
    assert.equal(
      failure(() => parseTagRules('rules:\n  - name: a\n    when: "true"\n    tags: { a: b }\n  - name: a\n    when: "false"\n    tags: { a: c }\n', 'rules.yaml')),
      'rules.yaml line 5: rules/1/name "a" is already the name of the rule at line 2: rule names must be unique'
    );
  });

  it('loads a file and names it when it cannot', async () => {
    const dir = await tempDir('tag-rules');
    try {
      const file = path.join(dir.path, 'rules.yaml');
      await writeFile(file, 'defaults: false\nrules:\n  - name: all\n    when: "true"\n    tags: { seen: "yes" }\n');
      assert.deepEqual(tagIncident(context(), await loadTagRules(file)), { seen: 'yes' });
      await assert.rejects(loadTagRules(path.join(dir.path, 'none.yaml')), /^InvalidInput: tag rules file .*none\.yaml cannot be read: ENOENT/);
    } finally {
      await dir.remove();
    }
  });
});
