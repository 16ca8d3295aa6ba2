import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ATTR_EXCEPTION_MESSAGE,
  ATTR_EXCEPTION_TYPE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVICE_NAME,
  ATTR_SERVICE_VERSION,
} from '@opentelemetry/semantic-conventions';
import * as incubating from '@opentelemetry/semantic-conventions/incubating';
import {
  EXCEPTION_EVENT,
  EXCEPTION_MESSAGE,
  EXCEPTION_TYPE,
  GEN_AI,
  GEN_AI_INFERENCE_DETAILS_EVENT,
  GEN_AI_OPERATION,
  GEN_AI_PROVIDER_OPENAI,
  INTELOPS,
  SERVER_ADDRESS,
  SERVICE_NAME,
  SERVICE_VERSION,
  SESSION_ID,
} from './conventions.ts';

// Each of our names and the conventions package's constant it must equal.
const GEN_AI_CONSTANTS: Record<keyof typeof GEN_AI, string> = {
  operationName: incubating.ATTR_GEN_AI_OPERATION_NAME,
  providerName: incubating.ATTR_GEN_AI_PROVIDER_NAME,
  system: incubating.ATTR_GEN_AI_SYSTEM,
  agentName: incubating.ATTR_GEN_AI_AGENT_NAME,
  conversationId: incubating.ATTR_GEN_AI_CONVERSATION_ID,
  requestModel: incubating.ATTR_GEN_AI_REQUEST_MODEL,
  requestStream: incubating.ATTR_GEN_AI_REQUEST_STREAM,
  responseModel: incubating.ATTR_GEN_AI_RESPONSE_MODEL,
  responseId: incubating.ATTR_GEN_AI_RESPONSE_ID,
  finishReasons: incubating.ATTR_GEN_AI_RESPONSE_FINISH_REASONS,
  timeToFirstChunk: incubating.ATTR_GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK,
  inputTokens: incubating.ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  outputTokens: incubating.ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  systemInstructions: incubating.ATTR_GEN_AI_SYSTEM_INSTRUCTIONS,
  inputMessages: incubating.ATTR_GEN_AI_INPUT_MESSAGES,
  outputMessages: incubating.ATTR_GEN_AI_OUTPUT_MESSAGES,
  toolName: incubating.ATTR_GEN_AI_TOOL_NAME,
  toolType: incubating.ATTR_GEN_AI_TOOL_TYPE,
  toolCallId: incubating.ATTR_GEN_AI_TOOL_CALL_ID,
  toolCallArguments: incubating.ATTR_GEN_AI_TOOL_CALL_ARGUMENTS,
  toolCallResult: incubating.ATTR_GEN_AI_TOOL_CALL_RESULT,
  dataSourceId: incubating.ATTR_GEN_AI_DATA_SOURCE_ID,
  retrievalQueryText: incubating.ATTR_GEN_AI_RETRIEVAL_QUERY_TEXT,
  retrievalDocuments: incubating.ATTR_GEN_AI_RETRIEVAL_DOCUMENTS,
};

describe('span and attribute names', () => {
  it('are the OpenTelemetry GenAI semantic conventions’ names', () => {
    for (const [key, name] of Object.entries(GEN_AI)) {
      assert.equal(name, GEN_AI_CONSTANTS[key as keyof typeof GEN_AI], key);
    }
    assert.deepEqual(GEN_AI_OPERATION, {
      chat: incubating.GEN_AI_OPERATION_NAME_VALUE_CHAT,
      invokeAgent: incubating.GEN_AI_OPERATION_NAME_VALUE_INVOKE_AGENT,
      executeTool: incubating.GEN_AI_OPERATION_NAME_VALUE_EXECUTE_TOOL,
      retrieval: incubating.GEN_AI_OPERATION_NAME_VALUE_RETRIEVAL,
    });
    assert.equal(GEN_AI_PROVIDER_OPENAI, incubating.GEN_AI_PROVIDER_NAME_VALUE_OPENAI);
    assert.equal(GEN_AI_INFERENCE_DETAILS_EVENT, incubating.EVENT_GEN_AI_CLIENT_INFERENCE_OPERATION_DETAILS);
  });

  it('use the stable conventions for the resource, sessions, servers and exceptions', () => {
    assert.equal(SERVICE_NAME, ATTR_SERVICE_NAME);
    assert.equal(SERVICE_VERSION, ATTR_SERVICE_VERSION);
    assert.equal(SERVER_ADDRESS, ATTR_SERVER_ADDRESS);
    assert.equal(SESSION_ID, incubating.ATTR_SESSION_ID);
    assert.equal(EXCEPTION_TYPE, ATTR_EXCEPTION_TYPE);
    assert.equal(EXCEPTION_MESSAGE, ATTR_EXCEPTION_MESSAGE);
    assert.equal(EXCEPTION_EVENT, 'exception');
  });

  it('keep our own names under intelops., none of them shadowing a convention', () => {
    const conventionNames = new Set<string>(Object.values(incubating).filter((value) => typeof value === 'string'));
    for (const [key, name] of Object.entries(INTELOPS)) {
      assert.match(name, /^intelops\.[a-z_.]+$/, key);
      assert.ok(!conventionNames.has(name), name);
    }
  });
});
