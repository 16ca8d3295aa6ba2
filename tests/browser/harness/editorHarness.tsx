import React, { useState } from 'react';
import { css } from '@emotion/css';
import { createTheme, type GrafanaTheme2, ThemeContext } from '@grafana/data';
import { GlobalStyles } from '@grafana/ui';
import { QueryEditor } from '../../../src/datasource/components/QueryEditor';
import { IntelOpsDataSource } from '../../../src/datasource/datasource';
import { intelOpsSettings } from '../../../src/datasource/testing/instanceSettings';
import { type IntelOpsQuery, isQueryType } from '../../../src/datasource/types';
import { browserEngineFetch } from './engineFetch';

// The datasource's query editor as Grafana's query row hosts it: /?editor=<queryType>, both themes side by side.
// Each side keeps its own query, shown as JSON under the editor with the number of runs, so tests see onChange.

type Mode = 'dark' | 'light';

const datasource = new IntelOpsDataSource(
  intelOpsSettings('storm', 'IntelOps', 'http://engine:8686'),
  browserEngineFetch
);

function EditorSide({ mode, initial }: { mode: Mode; initial: IntelOpsQuery }) {
  const theme = createTheme({ colors: { mode } });
  const [query, setQuery] = useState(initial);
  const [runs, setRuns] = useState(0);
  return (
    <ThemeContext.Provider value={theme}>
      <section className={styles.side(theme)} data-theme={mode} aria-label={`${mode} theme`}>
        <div className={styles.row(theme)}>
          <QueryEditor
            datasource={datasource}
            query={query}
            onChange={setQuery}
            onRunQuery={() => setRuns((n) => n + 1)}
          />
        </div>
        <pre className={styles.state(theme)} data-testid="harness-query" data-runs={runs}>
          {JSON.stringify(query)}
        </pre>
      </section>
    </ThemeContext.Provider>
  );
}

const styles = {
  page: css({ display: 'flex', alignItems: 'stretch', width: 'max-content' }),
  side: (theme: GrafanaTheme2) =>
    css({
      background: theme.colors.background.canvas,
      color: theme.colors.text.primary,
      padding: theme.spacing(2),
      width: 900,
    }),
  row: (theme: GrafanaTheme2) =>
    css({
      background: theme.colors.background.primary,
      border: `1px solid ${theme.colors.border.weak}`,
      borderRadius: theme.shape.radius.default,
      padding: theme.spacing(1),
    }),
  state: (theme: GrafanaTheme2) =>
    css({
      fontSize: theme.typography.bodySmall.fontSize,
      color: theme.colors.text.secondary,
      background: theme.colors.background.secondary,
      whiteSpace: 'pre-wrap',
    }),
};

export function EditorHarness({ queryType }: { queryType: string }) {
  const initial: IntelOpsQuery = { refId: 'A', ...(isQueryType(queryType) ? { queryType } : {}) };
  return (
    <>
      <ThemeContext.Provider value={createTheme({ colors: { mode: 'dark' } })}>
        <GlobalStyles />
      </ThemeContext.Provider>
      <main className={styles.page} id="harness">
        <EditorSide mode="dark" initial={initial} />
        <EditorSide mode="light" initial={initial} />
      </main>
    </>
  );
}
