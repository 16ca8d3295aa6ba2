/**
 * The span and attribute names agent traces use. GenAI names follow the OpenTelemetry GenAI semantic conventions
 * (incubating, so copied here as the conventions package advises rather than imported; conventions.test.ts checks
 * every one against @opentelemetry/semantic-conventions). Names of our own are under `intelops.`.
 */

export const GEN_AI = {
  operationName: 'gen_ai.operation.name',
  providerName: 'gen_ai.provider.name',
  /** The older name of the provider, still read by many backends. */
  system: 'gen_ai.system',
  agentName: 'gen_ai.agent.name',
  conversationId: 'gen_ai.conversation.id',
  requestModel: 'gen_ai.request.model',
  requestStream: 'gen_ai.request.stream',
  responseModel: 'gen_ai.response.model',
  responseId: 'gen_ai.response.id',
  finishReasons: 'gen_ai.response.finish_reasons',
  timeToFirstChunk: 'gen_ai.response.time_to_first_chunk',
  inputTokens: 'gen_ai.usage.input_tokens',
  outputTokens: 'gen_ai.usage.output_tokens',
  systemInstructions: 'gen_ai.system_instructions',
  inputMessages: 'gen_ai.input.messages',
  outputMessages: 'gen_ai.output.messages',
  toolName: 'gen_ai.tool.name',
  toolType: 'gen_ai.tool.type',
  toolCallId: 'gen_ai.tool.call.id',
  toolCallArguments: 'gen_ai.tool.call.arguments',
  toolCallResult: 'gen_ai.tool.call.result',
  dataSourceId: 'gen_ai.data_source.id',
  retrievalQueryText: 'gen_ai.retrieval.query.text',
  retrievalDocuments: 'gen_ai.retrieval.documents',
} as const;

/** gen_ai.operation.name values. */
export const GEN_AI_OPERATION = {
  chat: 'chat',
  invokeAgent: 'invoke_agent',
  executeTool: 'execute_tool',
  retrieval: 'retrieval',
} as const;

/** The engine speaks the OpenAI API (through the `openai` client) to every endpoint it is given. */
export const GEN_AI_PROVIDER_OPENAI = 'openai';

/**
 * Prompt and completion of one LLM call, as one span event (the conventions' newer set: the per-message events
 * gen_ai.user.message and gen_ai.choice are deprecated): attributes gen_ai.system_instructions,
 * gen_ai.input.messages and gen_ai.output.messages, JSON in the conventions' message schema.
 */
export const GEN_AI_INFERENCE_DETAILS_EVENT = 'gen_ai.client.inference.operation.details';

export const SESSION_ID = 'session.id';
export const SERVER_ADDRESS = 'server.address';
export const SERVICE_NAME = 'service.name';
export const SERVICE_VERSION = 'service.version';
export const EXCEPTION_TYPE = 'exception.type';
export const EXCEPTION_MESSAGE = 'exception.message';
export const EXCEPTION_EVENT = 'exception';

/** The resource's service.name. */
export const ENGINE_SERVICE_NAME = 'intelops-engine';

export const INTELOPS = {
  /** On root spans: analyze, ask, draft, judge or workflow (what makes a trace an agent run). */
  runKind: 'intelops.run.kind',
  /** perception, retrieval, llm, tool, action or other: what the agent trace panel colours by. */
  spanKind: 'intelops.span.kind',
  incidentId: 'intelops.incident.id',
  /** graph or llm: which answered the analysis. */
  method: 'intelops.method',
  fallbackReason: 'intelops.fallback_reason',
  /** Claims the hallucination guard checked in the answer (causes for analyses, cited ids for questions)… */
  citations: 'intelops.citations',
  /** …and those it dropped for citing what does not exist. */
  citationsDropped: 'intelops.citations_dropped',
  /** Milliseconds from the request to the first streamed token. */
  ttftMs: 'intelops.ttft_ms',
  /** Earlier messages of the conversation not repeated in this call's input event. */
  inputMessagesOmitted: 'intelops.input_messages_omitted',
  retrievalHits: 'intelops.retrieval.hits',
  retrievalTopScores: 'intelops.retrieval.top_scores',
  /** Hits that cleared the knowledge base's relevance floor. */
  retrievalRelevantHits: 'intelops.retrieval.relevant_hits',
  workflowName: 'intelops.workflow.name',
  workflowRunId: 'intelops.workflow.run_id',
  workflowTrigger: 'intelops.workflow.trigger',
  workflowStatus: 'intelops.workflow.status',
  stepId: 'intelops.workflow.step_id',
  attempt: 'intelops.workflow.attempt',
  outcome: 'intelops.workflow.outcome',
  actionInput: 'intelops.action.input',
  actionOutput: 'intelops.action.output',
  /** On a stored root span: spans of the run beyond the per-run cap, not stored. */
  spansDropped: 'intelops.spans_dropped',
  /** On an event or span: names of the attributes cut at the size cap. */
  truncated: 'intelops.truncated',
} as const;

/** gen_ai.agent.name of each agent; the root span is `invoke_agent <name>`. */
export const AGENT_NAMES = {
  analyze: 'intelops.analyze',
  ask: 'intelops.ask',
  draft: 'intelops.draft',
  judge: 'intelops.judge',
} as const;

/** The event on a retrieval span listing its hits (gen_ai.retrieval.documents: [{id, title, score}]). */
export const RETRIEVAL_HITS_EVENT = 'intelops.retrieval.hits';
/** gen_ai.data_source.id of the knowledge base (runbooks and resolved incidents). */
export const KNOWLEDGE_DATA_SOURCE = 'knowledge';
