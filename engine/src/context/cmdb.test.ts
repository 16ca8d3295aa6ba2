import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidInput } from '../invalidInput.ts';
import { checkCmdb, cmdbContext, parseYaml } from './cmdb.ts';

describe('parseYaml', () => {
  it('reads YAML documents', () => {
    assert.deepEqual(parseYaml('services:\n  - name: db\n    dependsOn: [disk]\n'), { services: [{ name: 'db', dependsOn: ['disk'] }] });
  });

  it('gives the line and column of a syntax error', () => {
    assert.throws(
      () => parseYaml('services:\n  - name: db\n    dependsOn: [disk\n  - name: web\n'),
      (error: unknown) => error instanceof InvalidInput && /^Request body is not valid YAML at line \d+, column \d+: /.test(error.message)
    );
    assert.throws(
      () => parseYaml('services:\n  - name: db\n     owner: x\n'),
      (error: unknown) => error instanceof InvalidInput && error.message === 'Request body is not valid YAML at line 2, column 11: Nested mappings are not allowed in compact mappings'
    );
  });

  it('rejects duplicate keys and alias bombs', () => {
    assert.throws(() => parseYaml('a: 1\na: 2\n'), /not valid YAML at line 2, column 1: Map keys must be unique/);
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', 'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]', 'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]', 'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]'].join('\n');
    assert.throws(() => parseYaml(bomb), (error: unknown) => error instanceof InvalidInput && /not valid YAML/.test(error.message));
  });
});

describe('checkCmdb', () => {
  it('rejects duplicate names, naming both entries', () => {
    assert.throws(
      () => checkCmdb({ services: [{ name: 'db' }, { name: 'web' }, { name: 'db' }] }),
      (error: unknown) => error instanceof InvalidInput && error.message === 'body/services/2/name "db" is already the name of body/services/0: service names must be unique'
    );
  });

  it('refuses an alias that names another service', () => {
    assert.throws(
      () => checkCmdb({ services: [{ name: 'db' }, { name: 'web', aliases: ['www', 'db'] }] }),
      (error: unknown) => error instanceof InvalidInput && error.message === 'body/services/1/aliases/1 "db" is the name of body/services/0: an alias must name one service only'
    );
  });

  it('refuses text PostgreSQL cannot store', () => {
    assert.throws(() => checkCmdb({ services: [{ name: 'db' }, { name: 'web', dependsOn: ['d\u0000b'] }] }), /^InvalidInput: body\/services\/1\/dependsOn must not contain the NUL character/);
  });

  it('keeps dependencies on unlisted services with a warning, and drops repeated and self dependencies', () => {
    const { cmdb, warnings } = checkCmdb({
      services: [
        { name: 'checkout', dependsOn: ['payments', 'payments', 'checkout', 'queue'] },
        { name: 'payments', dependsOn: ['queue'] },
      ],
    });
    assert.deepEqual(cmdb.services[0]?.dependsOn, ['payments', 'queue']);
    assert.equal(warnings.length, 2);
    assert.match(warnings[0] ?? '', /"checkout"\) depends on itself/);
    assert.equal(warnings[1], '"queue" is not in the CMDB but "checkout", "payments" depend on it: it is kept as a service without details');
  });
});

describe('cmdbContext', () => {
  it('builds the graph, resolves labels to known services and looks up details', () => {
    const context = cmdbContext(
      {
        services: [
          { name: 'checkout', team: 'shop', customerFacing: true, dependsOn: ['payments'] },
          { name: 'payments', team: 'money', dependsOn: ['postgres'] },
        ],
      },
      2
    );
    assert.deepEqual(context.graph.relation('checkout', 'postgres'), { kind: 'downstream', hops: 2 });
    assert.equal(context.resolver.resolve({ job: 'postgres', instance: 'x' }), 'postgres', 'a dependency-only service is known too');
    assert.equal(context.resolver.resolve({ job: 'node' }), undefined, 'job names a service only when the CMDB knows it');
    assert.deepEqual(context.lookup('checkout'), { owner: undefined, team: 'shop', tier: undefined, capability: undefined, customerFacing: true });
    assert.equal(context.lookup('postgres'), undefined);
    assert.equal(cmdbContext(undefined, 2).graph.size, 0);
  });
});
