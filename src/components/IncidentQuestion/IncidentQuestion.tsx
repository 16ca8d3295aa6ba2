import React, { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Alert, Button, Spinner, Text, TextArea, useStyles2 } from '@grafana/ui';
import { DEFAULT_UPSTREAM_UIDS, type Upstream } from '../../datasource/upstreams';
import type { EvidenceItem } from '../../services/evidence';
import {
  addTurn,
  answerChips,
  type AskResult,
  MAX_QUESTION_CHARS,
  type QuestionTurn,
} from '../../services/incidentQuestion';
import { Evidence } from '../RootCauseCard/RootCauseCard';
import { testIds } from '../testIds';

interface Props {
  /** Sends the question with the conversation so far. */
  ask: (question: string, history: QuestionTurn[]) => Promise<AskResult>;
  /** The incident's evidence: cited ids resolve to it. */
  evidence: EvidenceItem[];
  uids?: Record<Upstream, string>;
}

type Problem = Exclude<AskResult, { state: 'answered' }>;

const HEADING_ID = 'intelops-incident-question';

/** "Ask about this incident": a question box, the answers with their evidence chips and the tools the LLM used. */
export function IncidentQuestion({ ask, evidence, uids }: Props) {
  const styles = useStyles2(getStyles);
  const [turns, setTurns] = useState<QuestionTurn[]>([]);
  const [draft, setDraft] = useState('');
  const [pending, setPending] = useState<string | undefined>(undefined);
  const [problem, setProblem] = useState<Problem | undefined>(undefined);
  // An answer arriving after the page moved on is dropped, not set on an unmounted component.
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const question = draft.trim();
  const canAsk = pending === undefined && question !== '' && question.length <= MAX_QUESTION_CHARS;
  const submit = useCallback(async () => {
    if (!canAsk) {
      return;
    }
    setPending(question);
    setProblem(undefined);
    const result = await ask(question, turns);
    if (!mounted.current) {
      return;
    }
    setPending(undefined);
    if (result.state === 'answered') {
      setTurns((current) => addTurn(current, { question, answer: result.answer }));
      setDraft('');
    } else {
      setProblem(result);
    }
  }, [ask, canAsk, question, turns]);

  return (
    <section aria-labelledby={HEADING_ID} className={styles.section} data-testid={testIds.incidentQuestion.section}>
      <Text element="h4" variant="h5" id={HEADING_ID}>
        Ask about this incident
      </Text>
      {turns.length > 0 && (
        <ol className={styles.turns} aria-label="Questions and answers">
          {turns.map((turn, index) => (
            <Turn key={index} turn={turn} evidence={evidence} uids={uids ?? DEFAULT_UPSTREAM_UIDS} />
          ))}
        </ol>
      )}
      <form
        className={styles.form}
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <TextArea
          data-testid={testIds.incidentQuestion.input}
          aria-label="Question about this incident"
          placeholder="e.g. Why did checkout slow down? What changed before it started? What should I check next?"
          rows={2}
          maxLength={MAX_QUESTION_CHARS}
          value={draft}
          disabled={pending !== undefined}
          onChange={(event) => setDraft(event.currentTarget.value)}
          onKeyDown={(event) => {
            // Enter asks, Shift+Enter adds a line.
            if (event.key === 'Enter' && !event.shiftKey) {
              event.preventDefault();
              void submit();
            }
          }}
        />
        <Button
          type="submit"
          data-testid={testIds.incidentQuestion.ask}
          icon={pending === undefined ? 'comment-alt-message' : 'spinner'}
          disabled={!canAsk}
        >
          {pending === undefined ? 'Ask' : 'Asking…'}
        </Button>
      </form>
      {pending !== undefined && (
        <div className={styles.muted} role="status" data-testid={testIds.incidentQuestion.pending}>
          <Spinner inline /> Asking the LLM; it may query metrics, logs, runbooks and the CMDB first…
        </div>
      )}
      {problem && <ProblemAlert problem={problem} />}
    </section>
  );
}

function Turn({
  turn,
  evidence,
  uids,
}: {
  turn: QuestionTurn;
  evidence: EvidenceItem[];
  uids: Record<Upstream, string>;
}) {
  const styles = useStyles2(getStyles);
  const chips = useMemo(() => answerChips(turn.answer.evidence, evidence, uids), [turn, evidence, uids]);
  const { toolCalls, hallucinationsDropped } = turn.answer;
  return (
    <li className={styles.turn} data-testid={testIds.incidentQuestion.turn}>
      <p className={styles.question}>{turn.question}</p>
      <p className={styles.answer} data-testid={testIds.incidentQuestion.answer}>
        {turn.answer.answer}
      </p>
      {chips.length > 0 && (
        <ul className={styles.chips} aria-label="Evidence for this answer">
          {chips.map((chip, index) => (
            <Evidence key={`${chip.label}-${index}`} chip={chip} />
          ))}
        </ul>
      )}
      <p className={styles.muted} data-testid={testIds.incidentQuestion.tools}>
        {toolCalls.length === 0 ? 'No tools used' : `Tools used: ${[...new Set(toolCalls)].join(', ')}`}
        {turn.answer.model ? ` · ${turn.answer.model}` : ''}
        {hallucinationsDropped > 0
          ? ` · ${hallucinationsDropped} invented evidence id${hallucinationsDropped === 1 ? '' : 's'} dropped`
          : ''}
      </p>
    </li>
  );
}

function ProblemAlert({ problem }: { problem: Problem }) {
  const title =
    problem.state === 'no-llm'
      ? 'No LLM configured'
      : problem.state === 'not-analysed'
        ? 'Not analysed yet'
        : 'Could not answer';
  return (
    <div data-testid={testIds.incidentQuestion.problem} data-state={problem.state}>
      <Alert severity={problem.state === 'failed' ? 'error' : 'info'} title={title}>
        {problem.message}
      </Alert>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  section: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(1), marginTop: theme.spacing(2) }),
  turns: css({
    listStyle: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(1),
  }),
  turn: css({
    background: theme.colors.background.secondary,
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    padding: theme.spacing(1),
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(0.5),
  }),
  question: css({ margin: 0, fontWeight: theme.typography.fontWeightMedium }),
  answer: css({ margin: 0, whiteSpace: 'pre-wrap' }),
  chips: css({ listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexWrap: 'wrap', gap: theme.spacing(0.5) }),
  muted: css({ ...theme.typography.bodySmall, color: theme.colors.text.secondary, margin: 0 }),
  form: css({ display: 'flex', alignItems: 'flex-start', gap: theme.spacing(1) }),
});
