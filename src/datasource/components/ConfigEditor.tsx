import React, { type ChangeEvent } from 'react';
import type { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { Field, FieldSet, Input, SecretInput, Text } from '@grafana/ui';
import { testIds } from '../../components/testIds';
import { ENGINE_URL_PLACEHOLDER, type IntelOpsOptions } from '../types';

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
