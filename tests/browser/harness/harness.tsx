import React, { useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { css } from '@emotion/css';
import { createTheme, type DataFrame, type GrafanaTheme2, ThemeContext } from '@grafana/data';
import { config } from '@grafana/runtime';
import { GlobalStyles, PanelChrome } from '@grafana/ui';
import { EngineFetchContext } from '../../../src/services/rcaFeedback';
import { AgentTracePanel } from '../../../src/panels/agenttrace/AgentTracePanel';
import { EvalsPanel } from '../../../src/panels/evals/EvalsPanel';
import { RootCausePanel } from '../../../src/panels/rootcause/RootCausePanel';
import { panelProps } from '../../../src/panels/shared/testing/panelProps';
import type { AgentTraceOptions } from '../../../src/panels/agenttrace/types';
import type { EvalsOptions } from '../../../src/panels/evals/types';
import type { RootCauseOptions } from '../../../src/panels/rootcause/types';
import { agentTraceFrames, evalFrames, rootCauseFallbackFrames, rootCauseFrames } from './frames';
import { browserEngineFetch } from './engineFetch';
import { rootCausesFromEngine } from './rootCauseQueries';
import { queryEngine } from './engineQueries';
import { EditorHarness } from './editorHarness';
import { PageHarness } from './pageHarness';

// One page per panel and data set: ?panel=rootcause&data=main; both themes side by side, each in Grafana's panel chrome.
// App pages: /<dark|light>/<engine>/a/intelops-aiops-app/<page> (see pageHarness.tsx).

type Mode = 'dark' | 'light';

interface Scene {
  title: string;
  width: number;
  height: number;
  render: (series: DataFrame[], width: number, height: number) => React.ReactNode;
  /** Frames, or a query the IntelOps datasource runs against the harness's engine double. */
  data: Record<string, DataFrame[] | (() => Promise<DataFrame[]>)>;
}

// A 6x8 dashboard cell is about 450x300 px on a 1920 px wide dashboard.
const scenes: Record<string, Scene> = {
  rootcause: {
    title: 'Top root causes',
    width: 450,
    height: 300,
    render: (series, width, height) => (
      <RootCausePanel {...panelProps<RootCauseOptions>(series, { showEvidence: true }, { width, height })} />
    ),
    data: {
      main: () => rootCausesFromEngine({ service: 'checkout' }),
      notanalysed: () => rootCausesFromEngine({ incidentId: 'inc-2b81d0' }),
      legacy: rootCauseFrames,
      fallback: rootCauseFallbackFrames,
      empty: [],
    },
  },
  agenttrace: {
    title: 'Agent run',
    width: 640,
    height: 330,
    render: (series, width, height) => (
      <AgentTracePanel {...panelProps<AgentTraceOptions>(series, { showService: false }, { width, height })} />
    ),
    data: {
      main: agentTraceFrames,
      engine: () => queryEngine({ queryType: 'agentRun', incidentId: 'inc-7f3a9c', kind: 'analyze' }),
      missing: () => queryEngine({ queryType: 'agentRun', incidentId: 'inc-d40f13' }),
      empty: [],
    },
  },
  evals: {
    title: 'Evals',
    // Seven tiles, the verdict and the worst runs: a 12x10 cell of a 1920 px dashboard.
    width: 720,
    height: 420,
    render: (series, width, height) => <EvalsPanel {...panelProps<EvalsOptions>(series, {}, { width, height })} />,
    data: { main: evalFrames, engine: () => queryEngine({ queryType: 'evals' }), empty: [] },
  },
};

function ThemedPanel({ scene, series, mode }: { scene: Scene; series: DataFrame[]; mode: Mode }) {
  const theme = createTheme({ colors: { mode } });
  return (
    <ThemeContext.Provider value={theme}>
      <section className={styles.canvas(theme)} data-theme={mode} aria-label={`${mode} theme`}>
        <PanelChrome title={scene.title} width={scene.width} height={scene.height}>
          {(width, height) => scene.render(series, width, height)}
        </PanelChrome>
      </section>
    </ThemeContext.Provider>
  );
}

const styles = {
  page: css({ display: 'flex', gap: 0, alignItems: 'stretch', width: 'max-content' }),
  canvas: (theme: GrafanaTheme2) =>
    css({ background: theme.colors.background.canvas, padding: theme.spacing(2), color: theme.colors.text.primary }),
};

/** The scene's frames: at once, or once the datasource's query answered (nothing is drawn before). */
function useSeries(source: DataFrame[] | (() => Promise<DataFrame[]>) | undefined): DataFrame[] | undefined {
  const [series, setSeries] = useState(typeof source === 'function' ? undefined : source);
  useEffect(() => {
    if (typeof source === 'function') {
      source().then(setSeries);
    }
  }, [source]);
  return series;
}

function Harness() {
  const params = new URLSearchParams(window.location.search);
  const scene = scenes[params.get('panel') ?? ''];
  const series = useSeries(scene?.data[params.get('data') ?? 'main']);
  if (!scene || !series) {
    return scene ? null : <p>Unknown panel or data: {window.location.search}</p>;
  }
  return (
    <>
      <ThemeContext.Provider value={createTheme({ colors: { mode: 'dark' } })}>
        <GlobalStyles />
      </ThemeContext.Provider>
      <main className={styles.page} id="harness">
        <ThemedPanel scene={scene} series={series} mode="dark" />
        <ThemedPanel scene={scene} series={series} mode="light" />
      </main>
    </>
  );
}

// Where Grafana UI loads its icons from (the harness server serves them there).
Reflect.set(window, '__grafana_public_path__', '/public/');
// The signed-in user as Grafana's boot data names them: feedback is recorded with this login.
Reflect.set(config.bootData.user, 'login', 'sre-alice');

const container = document.getElementById('root');
const [mode, engine] = window.location.pathname.split('/').filter(Boolean);
const editor = new URLSearchParams(window.location.search).get('editor');
// Requests that Grafana's backendSrv would send (feedback from the panel) go to the harness server instead.
if (container && editor) {
  createRoot(container).render(<EditorHarness queryType={editor} />);
} else if (container && (mode === 'dark' || mode === 'light') && engine) {
  createRoot(container).render(<PageHarness mode={mode} engine={engine} />);
} else if (container) {
  createRoot(container).render(
    <EngineFetchContext.Provider value={browserEngineFetch}>
      <Harness />
    </EngineFetchContext.Provider>
  );
}
