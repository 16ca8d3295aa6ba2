import React from 'react';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { checkoutEvidenceJson } from '../../datasource/testing/perceptionFixtures';
import { parseIncidentEvidence } from '../../services/evidence';
import type { AskResult, IncidentAnswer, QuestionTurn } from '../../services/incidentQuestion';
import { testIds } from '../testIds';
import { IncidentQuestion } from './IncidentQuestion';

const evidence = parseIncidentEvidence(checkoutEvidenceJson(Date.now()), '/x').evidence;

const answer = (text: string, overrides: Partial<IncidentAnswer> = {}): AskResult => ({
  state: 'answered',
  answer: {
    answer: text,
    evidence: ['ev_met_3f2a9b1c0d4e', 'deploy-42'],
    toolCalls: ['get_evidence', 'query_metrics', 'get_evidence'],
    model: 'gpt-4o-mini',
    usage: { promptTokens: 800, completionTokens: 50 },
    hallucinationsDropped: 0,
    ...overrides,
  },
});

describe('IncidentQuestion', () => {
  it('asks, shows the answer with its evidence chips and tools, and sends the conversation as history', async () => {
    let release: (result: AskResult) => void = () => undefined;
    const ask = jest.fn(
      (_question: string, _history: QuestionTurn[]) =>
        new Promise<AskResult>((resolve) => {
          release = resolve;
        })
    );
    render(<IncidentQuestion ask={ask} evidence={evidence} />);
    const button = screen.getByTestId(testIds.incidentQuestion.ask);
    expect(button).toBeDisabled();
    await userEvent.type(screen.getByTestId(testIds.incidentQuestion.input), 'Why is checkout slow?');
    await userEvent.click(button);
    expect(screen.getByTestId(testIds.incidentQuestion.pending)).toHaveTextContent('Asking the LLM');
    expect(screen.getByTestId(testIds.incidentQuestion.ask)).toHaveTextContent('Asking…');
    release(answer('Latency rose after deploy-42.'));

    const turn = await screen.findByTestId(testIds.incidentQuestion.turn);
    expect(within(turn).getByText('Why is checkout slow?')).toBeInTheDocument();
    expect(within(turn).getByTestId(testIds.incidentQuestion.answer)).toHaveTextContent(
      'Latency rose after deploy-42.'
    );
    const chips = within(within(turn).getByRole('list', { name: 'Evidence for this answer' })).getAllByRole('listitem');
    expect(chips.map((chip) => chip.textContent)).toEqual([
      'metriccheckout p99 latency rose from 0.45 s to 2.3 s',
      'changedeploy-42',
    ]);
    expect(within(turn).getByTestId(testIds.incidentQuestion.tools)).toHaveTextContent(
      'Tools used: get_evidence, query_metrics · gpt-4o-mini'
    );
    expect(screen.getByTestId(testIds.incidentQuestion.input)).toHaveValue('');
    expect(screen.queryByTestId(testIds.incidentQuestion.pending)).not.toBeInTheDocument();

    await userEvent.type(screen.getByTestId(testIds.incidentQuestion.input), 'What next?{Enter}');
    expect(ask).toHaveBeenCalledTimes(2);
    const [question, history] = ask.mock.calls[1] ?? [];
    expect(question).toBe('What next?');
    expect(history?.map((one) => [one.question, one.answer.answer])).toEqual([
      ['Why is checkout slow?', 'Latency rose after deploy-42.'],
    ]);
    release(answer('Roll back.', { evidence: [], toolCalls: [], hallucinationsDropped: 2 }));
    await waitFor(() => expect(screen.getAllByTestId(testIds.incidentQuestion.turn)).toHaveLength(2));
    expect(screen.getAllByTestId(testIds.incidentQuestion.tools)[1]).toHaveTextContent(
      'No tools used · gpt-4o-mini · 2 invented evidence ids dropped'
    );
  });

  it('shows no LLM as information with how to set one, and a failure as an error, keeping the question', async () => {
    const ask = jest
      .fn<Promise<AskResult>, [string, QuestionTurn[]]>()
      .mockResolvedValueOnce({ state: 'no-llm', message: 'No LLM is configured. Set the LLM base URL and model.' })
      .mockResolvedValueOnce({ state: 'failed', message: 'The LLM did not answer: LLM rate limited (429)' });
    render(<IncidentQuestion ask={ask} evidence={[]} />);
    await userEvent.type(screen.getByTestId(testIds.incidentQuestion.input), 'Why?');
    await userEvent.click(screen.getByTestId(testIds.incidentQuestion.ask));
    const info = await screen.findByTestId(testIds.incidentQuestion.problem);
    expect(info).toHaveAttribute('data-state', 'no-llm');
    expect(info).toHaveTextContent('No LLM configured');
    expect(info).toHaveTextContent('Set the LLM base URL and model.');
    expect(screen.getByTestId(testIds.incidentQuestion.input)).toHaveValue('Why?');

    await userEvent.click(screen.getByTestId(testIds.incidentQuestion.ask));
    const error = await screen.findByTestId(testIds.incidentQuestion.problem);
    expect(error).toHaveAttribute('data-state', 'failed');
    expect(error).toHaveTextContent('Could not answerThe LLM did not answer: LLM rate limited (429)');
    expect(screen.queryByTestId(testIds.incidentQuestion.turn)).not.toBeInTheDocument();
  });
});
