import path from 'node:path';
import { DEFAULT_KNOWLEDGE, LOGHUB_2K_DIR, RCA_DIRS } from '../defaults.ts';
import { DEFAULT_SEEDS, evalGrouping } from '../grouping/evalGrouping.ts';
import type { GroupingEvalOptions } from '../grouping/evalGrouping.ts';
import { STORM_PRESETS } from '../grouping/storm.ts';
import { evalRca, loadCases, rcaJson } from '../rca/evalRca.ts';
import type { RcaFormat } from '../rca/evalRca.ts';
import { evalRetrieval, REPORTED_KS } from '../retrieval/evalRetrieval.ts';
import { evalTemplates } from '../templates/evalTemplates.ts';
import type { Field } from '../templates/evalTemplates.ts';
import { figure } from './report.ts';
import type { Figure } from './report.ts';

export interface EvalOutcome {
  figures: Figure[];
  problems?: string[];
  details: unknown;
}

/** One eval on one dataset, as `npm run eval` runs it. */
export interface EvalSpec {
  eval: string;
  dataset: string;
  /** What it reads, for the report: a path, or what generates its data. */
  data: string;
  /** A path that must exist for it to run; when it does not, the eval is skipped (never failed). */
  requires: string | null;
  run(): Promise<EvalOutcome>;
}

export interface SuiteOptions {
  /** The datasets folder (`--data`): loghub-2k/, rca/sockshop-rcd/, rca/nezha-onlineboutique-2022-08-22/. */
  dataDir: string;
  /** runbooks/ and eval/queries.yaml; default the repository's knowledge/. */
  knowledgeDir?: string;
  grouping?: GroupingEvalOptions;
}

/** Every eval the project has, on the data of `dataDir` and the repository. */
export function defaultSuite({ dataDir, knowledgeDir = DEFAULT_KNOWLEDGE, grouping = {} }: SuiteOptions): EvalSpec[] {
  return [
    templatesSpec(path.join(dataDir, LOGHUB_2K_DIR), 'content'),
    templatesSpec(path.join(dataDir, LOGHUB_2K_DIR), 'raw'),
    groupingSpec(grouping),
    rcaSpec(path.join(dataDir, RCA_DIRS.rcd), 'rcd'),
    rcaSpec(path.join(dataDir, RCA_DIRS.nezha), 'nezha'),
    retrievalSpec(knowledgeDir),
  ];
}

/** Grouping Accuracy of the log template miner in its default configuration, on one field of Loghub's lines. */
export function templatesSpec(dir: string, field: Field): EvalSpec {
  return {
    eval: 'templates',
    dataset: `${path.basename(dir)} ${field}`,
    data: dir,
    requires: dir,
    async run() {
      const report = evalTemplates(dir, field);
      const [worstName, worst] = Object.entries(report.systems).reduce((low, entry) => (entry[1].ga < low[1].ga ? entry : low));
      return {
        figures: [figure('GA average', report.average.ga), figure('GA min per system', worst.ga, worstName)],
        details: report,
      };
    },
  };
}

/** Alert grouping on the generated storms, through the engine's intake on PGlite. */
export function groupingSpec(options: GroupingEvalOptions): EvalSpec {
  return {
    eval: 'grouping',
    dataset: 'generated storms',
    data: `evals/grouping/storm.ts: ${(options.presets ?? STORM_PRESETS).map((preset) => preset.name).join(', ')} × seeds 1–${options.seeds ?? DEFAULT_SEEDS}, means over storms`,
    requires: null,
    async run() {
      const report = await evalGrouping(options);
      const { mean } = report;
      return {
        figures: [
          figure('compression', mean.compression),
          figure('pair precision', mean.pairwisePrecision),
          figure('pair recall', mean.pairwiseRecall),
          figure('homogeneity', mean.homogeneity),
          figure('completeness', mean.completeness),
        ],
        problems: report.lost > 0 ? [`grouping: ${report.lost} alerts were stored in no incident`] : [],
        details: report,
      };
    },
  };
}

/** Root-cause ranking on labelled cases. */
export function rcaSpec(dir: string, format: RcaFormat): EvalSpec {
  return {
    eval: 'rca',
    dataset: path.basename(dir),
    data: dir,
    requires: dir,
    async run() {
      const report = evalRca(format, loadCases(format, dir));
      const { overall } = report;
      return {
        figures: [figure('AC@1', overall['AC@1']), figure('AC@3', overall['AC@3']), figure('AC@5', overall['AC@5']), figure('Avg@5', overall['Avg@5'])],
        details: { format, msPerCase: report.msPerCase, ...rcaJson(report) },
      };
    },
  };
}

/** Runbook retrieval on the labelled queries shipped with them. */
export function retrievalSpec(dir: string): EvalSpec {
  return {
    eval: 'retrieval',
    dataset: 'knowledge queries',
    data: path.join(dir, 'eval', 'queries.yaml'),
    requires: dir,
    async run() {
      const report = await evalRetrieval(dir);
      const hitRate = (k: number) => {
        const value = report.hitRate[k];
        if (value === undefined) {
          throw new Error(`retrieval reported no hit rate at ${k}`);
        }
        return value;
      };
      return {
        figures: [...REPORTED_KS.map((k) => figure(`hit@${k}`, hitRate(k))), figure('MRR', report.mrr)],
        details: report,
      };
    },
  };
}
