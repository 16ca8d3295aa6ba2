import React, { type ChangeEvent } from 'react';
import type { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { Field, FieldSet, Input, SecretInput, Text } from '@grafana/ui';
import { testIds } from '../../components/testIds';
import { ENGINE_URL_PLACEHOLDER, type IntelOpsOptions } from '../types';
import { DEFAULT_UPSTREAM_UIDS, UPSTREAM_LABELS, UPSTREAMS, upstreamUidKey } from '../upstreams';

/**
 * The engine token: write-only from the browser. Grafana stores it encrypted and adds it to proxied requests
 * (plugin.json route header); the browser only ever learns whether it is set. This is the one file that touches it.
 */
export interface IntelOpsSecrets {
  engineToken?: string;
}

export type ConfigEditorProps = DataSourcePluginOptionsEditorProps<IntelOpsOptions, IntelOpsSecrets>;

export function ConfigEditor({ options, onOptionsChange }: ConfigEditorProps) {
  const tokenConfigured = Boolean(options.secureJsonFields?.engineToken);

  const onEngineUrlChange = (event: ChangeEvent<HTMLInputElement>) =>
    onOptionsChange({ ...options, jsonData: { ...options.jsonData, engineUrl: event.target.value.trim() } });

  const onTokenChange = (event: ChangeEvent<HTMLInputElement>) =>
    onOptionsChange({ ...options, secureJsonData: { ...options.secureJsonData, engineToken: event.target.value } });

  const onTokenReset = () =>
    onOptionsChange({
      ...options,
      secureJsonFields: { ...options.secureJsonFields, engineToken: false },
      secureJsonData: { ...options.secureJsonData, engineToken: '' },
    });

  return (
    <>
      <EngineFields
        options={options}
        onEngineUrlChange={onEngineUrlChange}
        onTokenChange={onTokenChange}
        onTokenReset={onTokenReset}
        tokenConfigured={tokenConfigured}
      />
      <ExploreLinkFields options={options} onOptionsChange={onOptionsChange} />
    </>
  );
}

interface EngineFieldsProps {
  options: ConfigEditorProps['options'];
  tokenConfigured: boolean;
  onEngineUrlChange: (event: ChangeEvent<HTMLInputElement>) => void;
  onTokenChange: (event: ChangeEvent<HTMLInputElement>) => void;
  onTokenReset: () => void;
}

function EngineFields({ options, tokenConfigured, onEngineUrlChange, onTokenChange, onTokenReset }: EngineFieldsProps) {
  return (
    <FieldSet label="IntelOps engine">
      <Text element="p" color="secondary">
        Grafana&apos;s server forwards every request of this datasource to the engine and adds the token itself; the URL
        must be reachable from the Grafana server, and the token never reaches the browser.
      </Text>
      <Field
        label="Engine URL"
        description="Base URL of the IntelOps engine API, without /api/v1"
        required
        invalid={!options.jsonData.engineUrl}
        error={options.jsonData.engineUrl ? undefined : 'Set the URL of the engine'}
      >
        <Input
          id="intelops-engine-url"
          data-testid={testIds.datasourceConfig.engineUrl}
          width={50}
          value={options.jsonData.engineUrl ?? ''}
          placeholder={ENGINE_URL_PLACEHOLDER}
          onChange={onEngineUrlChange}
        />
      </Field>
      <Field
        label="Engine token"
        description="The engine's API token (INTELOPS_TOKEN, or the token file the engine printed at start)"
      >
        <SecretInput
          id="intelops-engine-token"
          data-testid={testIds.datasourceConfig.tokenInput}
          width={50}
          isConfigured={tokenConfigured}
          value={options.secureJsonData?.engineToken ?? ''}
          placeholder="Engine API token"
          onChange={onTokenChange}
          onReset={onTokenReset}
        />
      </Field>
    </FieldSet>
  );
}

/** The Grafana datasources that evidence and log template links open in Explore. */
function ExploreLinkFields({ options, onOptionsChange }: ConfigEditorProps) {
  return (
    <FieldSet label="Explore links">
      <Text element="p" color="secondary">
        Evidence and log templates open in Explore on these Grafana datasources; empty means the provisioned uid.
      </Text>
      {UPSTREAMS.map((upstream) => {
        const key = upstreamUidKey(upstream);
        return (
          <Field key={upstream} label={`${UPSTREAM_LABELS[upstream]} datasource uid`}>
            <Input
              id={`intelops-${upstream}-uid`}
              width={30}
              value={options.jsonData[key] ?? ''}
              placeholder={DEFAULT_UPSTREAM_UIDS[upstream]}
              onChange={(event: ChangeEvent<HTMLInputElement>) =>
                onOptionsChange({ ...options, jsonData: { ...options.jsonData, [key]: event.target.value.trim() } })
              }
            />
          </Field>
        );
      })}
    </FieldSet>
  );
}
