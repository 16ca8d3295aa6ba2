import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import type { DataSourceSettings } from '@grafana/data';
import { testIds } from '../../components/testIds';
import type { IntelOpsOptions } from '../types';
import { ConfigEditor, type IntelOpsSecrets } from './ConfigEditor';

function settings(overrides: Partial<DataSourceSettings<IntelOpsOptions, IntelOpsSecrets>> = {}) {
  const base: DataSourceSettings<IntelOpsOptions, IntelOpsSecrets> = {
    id: 1,
    uid: 'intelops',
    orgId: 1,
    name: 'IntelOps',
    typeLogoUrl: '',
    type: 'intelops-aiops-datasource',
    typeName: 'IntelOps engine',
    access: 'proxy',
    url: '',
    user: '',
    database: '',
    basicAuth: false,
    basicAuthUser: '',
    isDefault: false,
    jsonData: {},
    secureJsonFields: {},
    readOnly: false,
    withCredentials: false,
  };
  return { ...base, ...overrides };
}

describe('ConfigEditor', () => {
  it('edits the engine URL in jsonData, trimmed, with the local engine as placeholder', () => {
    const onOptionsChange = jest.fn();
    render(<ConfigEditor options={settings()} onOptionsChange={onOptionsChange} />);

    const input = screen.getByTestId(testIds.datasourceConfig.engineUrl);
    expect(input).toHaveAttribute('placeholder', 'http://localhost:8686');
    expect(screen.getByText('Set the URL of the engine')).toBeInTheDocument();

    fireEvent.change(input, { target: { value: ' http://engine:8686 ' } });
    expect(onOptionsChange).toHaveBeenLastCalledWith(
      expect.objectContaining({ jsonData: { engineUrl: 'http://engine:8686' } })
    );
  });

  it('writes a new token to secureJsonData only', () => {
    const onOptionsChange = jest.fn();
    render(
      <ConfigEditor options={settings({ jsonData: { engineUrl: 'http://e' } })} onOptionsChange={onOptionsChange} />
    );

    fireEvent.change(screen.getByTestId(testIds.datasourceConfig.tokenInput), { target: { value: 's3cret' } });
    const saved = onOptionsChange.mock.lastCall[0];
    expect(saved.secureJsonData).toEqual({ engineToken: 's3cret' });
    expect(JSON.stringify(saved.jsonData)).not.toContain('s3cret');
  });

  it('shows a stored token as "configured" and lets the admin reset it', () => {
    const onOptionsChange = jest.fn();
    render(
      <ConfigEditor
        options={settings({ jsonData: { engineUrl: 'http://e' }, secureJsonFields: { engineToken: true } })}
        onOptionsChange={onOptionsChange}
      />
    );

    expect(screen.getByDisplayValue('configured')).toBeDisabled();
    fireEvent.click(screen.getByRole('button', { name: 'Reset' }));
    expect(onOptionsChange).toHaveBeenLastCalledWith(
      expect.objectContaining({ secureJsonFields: { engineToken: false }, secureJsonData: { engineToken: '' } })
    );
  });
});
