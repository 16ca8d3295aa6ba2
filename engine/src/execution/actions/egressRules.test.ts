import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addressKind, checkAddress, checkHost, parseEgressAllowlist } from './egressRules.ts';
import type { EgressPolicy } from './egressRules.ts';

const policy = (allow: string, allowPrivate = false): EgressPolicy => ({
  rules: parseEgressAllowlist(allow, 'INTELOPS_EGRESS_ALLOW'),
  allowPrivate,
});

describe('egress rules', () => {
  it('classifies special addresses, metadata before link-local, mapped IPv6 as IPv4', () => {
    const cases: Array<[string, string | undefined]> = [
      ['127.0.0.1', 'loopback'],
      ['127.8.9.10', 'loopback'],
      ['::1', 'loopback'],
      ['::ffff:127.0.0.1', 'loopback'],
      ['::ffff:7f00:1', 'loopback'],
      ['169.254.169.254', 'metadata'],
      ['fd00:ec2::254', 'metadata'],
      ['169.254.10.1', 'link-local'],
      ['fe80::1', 'link-local'],
      ['0.0.0.0', 'unspecified'],
      ['::', 'unspecified'],
      ['10.1.2.3', 'private'],
      ['172.31.255.255', 'private'],
      ['192.168.0.1', 'private'],
      ['fd12:3456::1', 'private'],
      ['224.0.0.251', 'multicast'],
      ['ff02::1', 'multicast'],
      ['255.255.255.255', 'reserved'],
      ['8.8.8.8', undefined],
      ['172.32.0.1', undefined],
      ['2606:4700:4700::1111', undefined],
    ];
    for (const [address, kind] of cases) {
      assert.equal(addressKind(address), kind, address);
    }
  });

  it('matches exact hosts and wildcard subdomains, not the bare domain of a wildcard', () => {
    const rules = policy('hooks.slack.com, *.pagerduty.com');
    assert.equal(checkHost(rules, 'hooks.slack.com'), undefined);
    assert.equal(checkHost(rules, 'HOOKS.SLACK.COM.'), undefined);
    assert.equal(checkHost(rules, 'events.pagerduty.com'), undefined);
    assert.equal(checkHost(rules, 'a.b.pagerduty.com'), undefined);
    assert.match(
      checkHost(rules, 'pagerduty.com')?.reason ?? '',
      /not on the egress allowlist; add it .* to INTELOPS_EGRESS_ALLOW/
    );
    assert.match(checkHost(rules, 'evil-pagerduty.com')?.reason ?? '', /not on the egress allowlist/);
    assert.match(checkHost(rules, 'slack.com')?.reason ?? '', /not on the egress allowlist/);
  });

  it('allows IP literals only when an address or CIDR entry holds them', () => {
    const rules = policy('10.0.0.0/8 127.0.0.1 [::1]');
    assert.equal(checkHost(rules, '10.9.8.7'), undefined);
    assert.equal(checkHost(rules, '127.0.0.1'), undefined);
    assert.equal(checkHost(rules, '[::1]'), undefined);
    assert.match(checkHost(rules, '127.0.0.2')?.reason ?? '', /address is not on the egress allowlist/);
    // Named, so the special range is allowed for that address only.
    assert.equal(checkAddress(rules, '127.0.0.1'), undefined);
    assert.equal(checkAddress(rules, '10.200.0.1'), undefined);
    assert.match(
      checkAddress(rules, '127.0.0.2')?.reason ?? '',
      /^loopback addresses are not allowed; allow them by adding 127\.0\.0\.2/
    );
  });

  it('refuses special addresses by default, and opens only lab ranges with allowPrivate', () => {
    const strict = policy('hooks.example.com');
    for (const [address, words] of [
      ['127.0.0.1', 'loopback'],
      ['169.254.3.4', 'link-local'],
      ['169.254.169.254', 'cloud metadata'],
      ['0.0.0.0', 'unspecified'],
      ['239.1.1.1', 'multicast'],
      ['192.168.1.10', 'private network'],
    ] as const) {
      assert.match(
        checkAddress(strict, address)?.reason ?? '',
        new RegExp(`^${words} addresses are not allowed`),
        address
      );
    }
    assert.equal(checkAddress(strict, '93.184.216.34'), undefined);
    const lab = policy('hooks.example.com', true);
    assert.equal(checkAddress(lab, '127.0.0.1'), undefined);
    assert.equal(checkAddress(lab, '192.168.1.10'), undefined);
    assert.match(checkAddress(lab, '169.254.169.254')?.reason ?? '', /cloud metadata/);
    assert.match(checkAddress(lab, '0.0.0.0')?.reason ?? '', /unspecified/);
    // Only naming the metadata address opens it.
    assert.equal(checkAddress(policy('169.254.169.254'), '169.254.169.254'), undefined);
  });

  it('refuses metadata host names unless named exactly', () => {
    assert.match(
      checkHost(policy('*.google.internal'), 'metadata.google.internal')?.reason ?? '',
      /cloud metadata hosts/
    );
    assert.equal(checkHost(policy('metadata.google.internal'), 'metadata.google.internal'), undefined);
  });

  it('names the setting and the entry when one is not a host, wildcard, address or CIDR', () => {
    assert.throws(
      () => parseEgressAllowlist('hooks.slack.com, https://x.example.com/path', 'INTELOPS_EGRESS_ALLOW'),
      /^Error: INTELOPS_EGRESS_ALLOW: "https:\/\/x\.example\.com\/path" is not a host name/
    );
    assert.throws(() => parseEgressAllowlist('host:8080', 'INTELOPS_EGRESS_ALLOW'), /"host:8080" is not a host name/);
    assert.throws(
      () => parseEgressAllowlist('10.0.0.0/33', 'INTELOPS_EGRESS_ALLOW'),
      /"10\.0\.0\.0\/33" has a bad prefix length/
    );
    assert.throws(() => parseEgressAllowlist('*', 'INTELOPS_EGRESS_ALLOW'), /"\*" is not a host name/);
    assert.deepEqual(parseEgressAllowlist('  ', 'X'), []);
  });
});
