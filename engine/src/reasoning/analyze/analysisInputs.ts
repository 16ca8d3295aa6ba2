import type { Change } from '../../context/changes.ts';
import { mergeCmdb } from '../../context/cmdbFiles.ts';
import type { Cmdb } from '../../context/cmdb.ts';
import { GrafanaAnnotationsSource } from '../../context/grafanaAnnotations.ts';
import type { EngineLogger } from '../../observability/logger.ts';
import type { TemplateLibrary } from '../../perception/logs/templateLibrary.ts';
import { serviceGraphEdges } from '../../perception/traces/edges.ts';
import { sourcesFromSettings } from '../../sources/fromSettings.ts';
import type { SourceSecrets, Sources } from '../../sources/fromSettings.ts';
import type { TimeRange } from '../../sources/types.ts';
import { queryChanges } from '../../store/changes.ts';
import { loadCmdb } from '../../store/cmdb.ts';
import { loadSettings } from '../../store/settings.ts';
import { loadStoredTagRules } from '../../store/tagRules.ts';
import type { Settings } from '../../settings/settings.ts';
import type { Store } from '../../store/store.ts';
import type { KnowledgeBase } from '../knowledge/knowledgeBase.ts';
import { explainRootCauses } from '../llm/explainRootCauses.ts';
import type { LlmChoice } from '../llm/llmFromSettings.ts';
import type { AnalysisInputs } from './analyzeIncident.ts';

// Services whose call edges are read from the service graph: an incident rarely names more.
const MAX_GRAPH_SERVICES = 10;
// Changes read around one incident; a pipeline posting more than this in four hours is not telling one story.
const MAX_CHANGES = 500;
const DEFAULT_CHANGE_TAG = 'deploy';

export interface AnalysisDeps {
  store: Store;
  library: TemplateLibrary;
  knowledge: KnowledgeBase;
  sourceSecrets: SourceSecrets;
  /** The CMDB from INTELOPS_CMDB_DIR, under the one saved through the API. */
  cmdbFiles?: Cmdb | undefined;
  /** Reads change annotations from the Grafana the settings name. */
  grafanaToken?: string | undefined;
  /** The LLM the settings and configuration name, or why there is none. */
  llm: (settings: Settings['llm']) => LlmChoice;
  logger: EngineLogger;
}

/** What every reasoning step reads from the current settings: sources, the CMDB, changes and the LLM. */
export interface ReasoningContext {
  settings: Settings;
  sources: Sources;
  /** The CMDB files merged with the CMDB saved through the API. */
  cmdb: Cmdb | undefined;
  /** Changes active in a range: stored, and from Grafana's annotations when configured (its failure logged). */
  changes: (range: TimeRange) => Promise<Change[]>;
  /** The LLM the settings and configuration name, or why there is none. */
  llm: LlmChoice;
}

/** Reads the context from the current settings, so settings saved since apply. */
export async function reasoningContext(deps: AnalysisDeps): Promise<ReasoningContext> {
  const { store, logger } = deps;
  const settings = await loadSettings(store);
  const sources = sourcesFromSettings(settings, deps.sourceSecrets);
  const cmdb = mergeCmdb(deps.cmdbFiles, (await loadCmdb(store))?.cmdb);
  const annotations =
    settings.grafana?.url === undefined
      ? undefined
      : new GrafanaAnnotationsSource({
          baseUrl: settings.grafana.url,
          token: deps.grafanaToken,
          tag: settings.grafana.changeTag ?? DEFAULT_CHANGE_TAG,
        });
  return {
    settings,
    sources,
    cmdb,
    changes: async (range: TimeRange) => {
      const stored = await queryChanges(store, {
        from: new Date(range.from),
        to: new Date(range.to),
        limit: MAX_CHANGES,
      });
      if (annotations === undefined) {
        return stored;
      }
      // Grafana being down must not stop the analysis: its changes are left out and the reason logged.
      const fromGrafana = await annotations.changes(range).catch((error: unknown) => {
        logger.warn({ err: error }, 'reading change annotations from Grafana failed; analysing without them');
        return { changes: [], warnings: [] };
      });
      for (const warning of fromGrafana.warnings) {
        logger.warn({ warning }, 'a Grafana annotation was not read as a change');
      }
      const ids = new Set(stored.map((change) => change.id));
      return [...stored, ...fromGrafana.changes.filter((change) => !ids.has(change.id))];
    },
    llm: deps.llm(settings.llm),
  };
}

/** What one analysis reads, from the current settings, the CMDB, the stored changes and Grafana's annotations. */
export function analysisInputs(deps: AnalysisDeps): () => Promise<AnalysisInputs> {
  const { store, logger } = deps;
  return async () => {
    const { settings, sources, cmdb, changes, llm } = await reasoningContext(deps);
    const { client, unavailable } = llm;
    return {
      perception: { sources, library: deps.library, goldenSignals: settings.goldenSignals },
      cmdb,
      observedEdges: async (services, window) => {
        const metrics = sources.prometheus;
        if (metrics === undefined) {
          return [];
        }
        const found = await Promise.all(
          services.slice(0, MAX_GRAPH_SERVICES).map((service) => serviceGraphEdges(metrics, service, window, false))
        );
        return found.flat();
      },
      changes,
      tagRules: await loadStoredTagRules(store),
      onTagRuleError: (error) =>
        logger.warn(
          { rule: error.rule, origin: error.origin, reason: error.message },
          'a tag rule failed; the other rules still apply'
        ),
      knowledge: deps.knowledge,
      llm:
        client === undefined
          ? undefined
          : (input, { signal, tools }) => explainRootCauses(client, input, { signal, tools, logger }),
      llmUnavailable: unavailable,
    };
  };
}
