import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { tempDir } from '../../testing/temp.ts';
import type { TempDir } from '../../testing/temp.ts';
import { MissingSecret, SecretStore, secretEnvVar } from './secrets.ts';

describe('SecretStore', () => {
  let dir: TempDir;
  before(async () => {
    dir = await tempDir('secrets');
    await writeFile(path.join(dir.path, 'SLACK_WEBHOOK'), 'https://hooks.slack.com/services/T1/B2/fileSecretValue\n');
    await writeFile(path.join(dir.path, 'pagerduty-key'), 'R0UT1NGKEY0000000000000000000000');
    await writeFile(path.join(dir.path, 'SHARED'), 'from-the-file');
    // As Kubernetes mounts them: a ..data folder beside the keys, which is not a secret.
    await mkdir(path.join(dir.path, '..data'));
  });
  after(() => dir.remove());

  const store = () =>
    new SecretStore({
      env: {
        INTELOPS_SECRET_GRAFANA_TOKEN: 'glsa_envTokenValue',
        INTELOPS_SECRET_SHARED: 'from-the-env',
        PATH: '/usr/bin',
      },
      dir: dir.path,
    });

  it('reads secrets from the environment first, then from files without their trailing newline', () => {
    const secrets = store();
    assert.equal(secrets.get('GRAFANA_TOKEN'), 'glsa_envTokenValue');
    assert.equal(secrets.get('SHARED'), 'from-the-env');
    assert.equal(secrets.get('SLACK_WEBHOOK'), 'https://hooks.slack.com/services/T1/B2/fileSecretValue');
    assert.equal(secrets.get('pagerduty-key'), 'R0UT1NGKEY0000000000000000000000');
    assert.deepEqual(secrets.names(), ['GRAFANA_TOKEN', 'SHARED', 'SLACK_WEBHOOK', 'pagerduty-key']);
    assert.equal(secretEnvVar('pagerduty-key'), 'INTELOPS_SECRET_PAGERDUTY_KEY');
  });

  it('picks up a rotated file and keeps redacting the old value', async () => {
    const secrets = store();
    await writeFile(path.join(dir.path, 'ROTATED'), 'first-value-1234');
    assert.equal(secrets.get('ROTATED'), 'first-value-1234');
    await writeFile(path.join(dir.path, 'ROTATED'), 'second-value-5678');
    assert.equal(secrets.get('ROTATED'), 'second-value-5678');
    assert.equal(secrets.redact('a first-value-1234 b second-value-5678'), 'a [secret ROTATED] b [secret ROTATED]');
  });

  it('names a missing secret and where it looked, never a value', () => {
    const secrets = store();
    assert.throws(
      () => secrets.get('JIRA_TOKEN'),
      (error: unknown) => {
        assert.ok(error instanceof MissingSecret);
        assert.equal(error.secret, 'JIRA_TOKEN');
        assert.equal(
          error.message,
          `secret JIRA_TOKEN is not set: set INTELOPS_SECRET_JIRA_TOKEN or write a file ${path.join(dir.path, 'JIRA_TOKEN')}`
        );
        return true;
      }
    );
    assert.throws(
      () => new SecretStore({ env: {} }).get('X_TOKEN'),
      /write a file named it in INTELOPS_SECRETS_DIR \(not set\)/
    );
    // Names cannot walk out of the folder.
    assert.throws(() => secrets.get('../etc/passwd'), /secret name "..\/etc\/passwd" is not valid/);
    assert.throws(() => secrets.get('..data'), /is not valid/);
  });

  it('redacts every known value, as is, URL-encoded and JSON-escaped, before any is used', () => {
    const secrets = store();
    const webhook = 'https://hooks.slack.com/services/T1/B2/fileSecretValue';
    const text = [
      `posting to ${webhook}`,
      `encoded ${encodeURIComponent(webhook)}`,
      `token glsa_envTokenValue`,
      JSON.stringify({ key: 'R0UT1NGKEY0000000000000000000000' }),
    ].join('\n');
    const redacted = secrets.redact(text);
    assert.equal(
      redacted,
      [
        'posting to [secret SLACK_WEBHOOK]',
        'encoded [secret SLACK_WEBHOOK]',
        'token [secret GRAFANA_TOKEN]',
        '{"key":"[secret pagerduty-key]"}',
      ].join('\n')
    );
    assert.equal(secrets.redact('nothing secret here'), 'nothing secret here');
  });
});
