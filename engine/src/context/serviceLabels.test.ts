import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Cmdb } from './cmdb.ts';
import { cmdbContext } from './cmdb.ts';
import { canonicalServiceName, cmdbServiceResolver, serviceOfLabels } from './serviceLabels.ts';

const cmdb: Cmdb = {
  services: [
    { name: 'checkout', labels: { service_name: 'checkout', k8s_deployment: 'checkout-v2' }, aliases: ['checkoutservice'], dependsOn: ['postgres'] },
    { name: 'checkout-canary', labels: { k8s_deployment: 'checkout-v2', track: 'canary' } },
    { name: 'cart', aliases: ['cartservice', 'redis-cart-client'] },
  ],
};

describe('serviceOfLabels', () => {
  it('matches the declared labels: any one pair, the most pairs winning', () => {
    assert.equal(serviceOfLabels({ service_name: 'checkout' }, cmdb), 'checkout');
    assert.equal(serviceOfLabels({ k8s_deployment: 'checkout-v2' }, cmdb), 'checkout', 'a tie goes to the service listed first');
    assert.equal(serviceOfLabels({ k8s_deployment: 'checkout-v2', track: 'canary' }, cmdb), 'checkout-canary');
  });

  it('matches names and aliases carried by name labels, pods without their suffixes', () => {
    assert.equal(serviceOfLabels({ job: 'cartservice' }, cmdb), 'cart');
    assert.equal(serviceOfLabels({ pod: 'cartservice-579b9bff58-t2dbm' }, cmdb), 'cart');
    assert.equal(serviceOfLabels({ container: 'postgres' }, cmdb), 'postgres', 'a dependency-only service is known too');
    assert.equal(serviceOfLabels({ service: 'cart', job: 'checkoutservice' }, cmdb), 'cart', 'service is read before job');
    assert.equal(serviceOfLabels({ job: 'node-exporter' }, cmdb), undefined);
    assert.equal(serviceOfLabels({ service: 'cart' }, undefined), undefined);
  });

  it('maps telemetry names to CMDB names, leaving unknown ones as they are', () => {
    assert.equal(canonicalServiceName('checkoutservice', cmdb), 'checkout');
    assert.equal(canonicalServiceName('redis-cart-client', cmdb), 'cart');
    assert.equal(canonicalServiceName('mystery', cmdb), 'mystery');
    assert.equal(canonicalServiceName('mystery', undefined), 'mystery');
  });

  it('resolves alert labels through the CMDB first, then what the labels name', () => {
    const resolver = cmdbServiceResolver(cmdb);
    assert.equal(resolver.resolve({ alertname: 'HighLatency', app: 'checkoutservice' }), 'checkout');
    assert.equal(resolver.resolve({ alertname: 'HighLatency', app: 'search' }), 'search');
    assert.equal(cmdbContext(cmdb, 2).resolver.resolve({ k8s_deployment: 'checkout-v2', track: 'canary' }), 'checkout-canary');
  });
});
