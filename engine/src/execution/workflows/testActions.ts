import { Type } from 'typebox';
import type { ActionDefinition } from '../types.ts';
import type { Actions } from './parseWorkflow.ts';

/** Small action definitions for tests of workflow checking: real schemas, and run() gives back what it was told. */

const slack: ActionDefinition<{ channel: string; text: string }, { channel: string; text: string }> = {
  name: 'slack',
  description: 'Posts a message to a channel',
  sideEffect: true,
  input: Type.Object({ channel: Type.String({ pattern: '^#' }), text: Type.String({ minLength: 1 }) }, { additionalProperties: false }),
  describe: (input) => `post to ${input.channel}`,
  run: async (input) => ({ channel: input.channel, text: input.text }),
};

const annotation: ActionDefinition<{ text: string; tags: string[] }, { text: string }> = {
  name: 'grafana_annotation',
  description: 'Adds a Grafana annotation',
  sideEffect: true,
  input: Type.Object({ text: Type.String(), tags: Type.Array(Type.String(), { default: [] }) }, { additionalProperties: false }),
  describe: (input) => `annotate "${input.text}"`,
  run: async (input) => ({ text: input.text }),
};

const inspection: ActionDefinition<{ query: string; threshold: number; above: boolean }, { query: string }> = {
  name: 'inspection',
  description: 'Runs a PromQL check',
  sideEffect: false,
  input: Type.Object({ query: Type.String(), threshold: Type.Number(), above: Type.Boolean({ default: true }) }, { additionalProperties: false }),
  describe: (input) => `check ${input.query}`,
  run: async (input) => ({ query: input.query }),
};

export const TEST_ACTIONS: Actions = new Map<string, ActionDefinition>([
  [slack.name, slack],
  [annotation.name, annotation],
  [inspection.name, inspection],
]);
