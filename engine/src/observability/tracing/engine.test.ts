// Through the whole engine: needs openTracing wired in engine.ts and app.ts (analyses, questions, drafts) and the
// runs routes registered.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { answerJson } from "../../reasoning/llm/testFixtures.ts";
import { startEngine } from "../../testing/engine.ts";
import type { RunningEngine } from "../../testing/engine.ts";
import { readJson } from "../../testing/http.ts";
import {
  startOpenAiServer,
  testLlmConfig,
} from "../../testing/openaiServer.ts";
import type { OpenAiServer } from "../../testing/openaiServer.ts";

const LLM_KEY = "sk-engine-test-0c1d2e3f4a5b6c7d";
const MINUTE = 60_000;

/** Polls until `check` gives a value (runs are written a moment after they end). */
async function eventually<T>(
  check: () => Promise<T | undefined>,
  what: string,
): Promise<T> {
  for (let tries = 0; tries < 100; tries++) {
    const value = await check();
    if (value !== undefined) {
      return value;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

interface RunBody {
  id: string;
  kind: string;
  incidentId: string | null;
  llmCalls: number;
  inputTokens: number;
  outputTokens: number;
  citations: number;
  citationsDropped: number;
  spans: Array<{ name: string; kind: string; parentSpanId: string | null }>;
}

describe("agent runs through the engine", () => {
  const bodies: string[] = [];
  const otlp = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      bodies.push(Buffer.concat(chunks).toString("utf8"));
      response.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  let llm: OpenAiServer;
  let engine: RunningEngine | undefined;
  let incidentId = "";
  const t = Date.now() - 30 * MINUTE;

  before(async () => {
    await new Promise<void>((resolve) => otlp.listen(0, "127.0.0.1", resolve));
    process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT = `http://127.0.0.1:${(otlp.address() as AddressInfo).port}/v1/traces`;
    llm = await startOpenAiServer();
    engine = await startEngine({
      llm: testLlmConfig(llm.baseUrl, { apiKey: LLM_KEY }),
    });
    await engine.request("/api/v1/alerts/alertmanager", {
      method: "POST",
      json: {
        version: "4",
        groupKey: "g",
        status: "firing",
        receiver: "intelops",
        groupLabels: {},
        commonLabels: {},
        commonAnnotations: {},
        externalURL: "",
        alerts: [
          {
            status: "firing",
            annotations: {},
            labels: { alertname: "CheckoutDown", service: "checkout" },
            startsAt: new Date(t).toISOString(),
          },
        ],
      },
    });
    await engine.request("/api/v1/changes", {
      method: "POST",
      json: {
        id: "deploy-7",
        kind: "deploy",
        service: "checkout",
        title: "checkout v7",
        startsAt: new Date(t - 5 * MINUTE).toISOString(),
      },
    });
    const incidents = (
      await readJson(
        await engine.request("/api/v1/incidents?alerts=none&from=0"),
      )
    ).incidents as Array<{ id: string }>;
    incidentId = incidents[0]?.id ?? "";
  });
  after(async () => {
    await engine?.stop();
    await llm.close();
    otlp.close();
    delete process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  });

  const runOf = async (id: string): Promise<RunBody> =>
    eventually(async () => {
      const response = await engine?.request(`/api/v1/runs/${id}`);
      return response?.status === 200
        ? ((await response.json()) as RunBody)
        : undefined;
    }, `run ${id}`);

  it("records an analysis with the tokens the LLM server reported, its LLM and tool spans, and links it from the RCA", async () => {
    llm.enqueue(
      {
        toolCalls: [
          {
            name: "get_evidence",
            arguments: JSON.stringify({ id: "deploy-7" }),
          },
        ],
        usage: { promptTokens: 700, completionTokens: 30 },
      },
      {
        content: answerJson([{ service: "checkout", evidence: ["deploy-7"] }]),
        usage: { promptTokens: 820, completionTokens: 64 },
      },
    );
    const analysed = await engine?.request(
      `/api/v1/incidents/${incidentId}/analyze`,
      { method: "POST" },
    );
    const result = (await analysed?.json()) as {
      method: string;
      traceId?: string;
    };
    assert.equal(result.method, "llm");
    const traceId = result.traceId ?? "";
    assert.match(traceId, /^[0-9a-f]{32}$/);
    const stored = (await (
      await engine?.request(`/api/v1/incidents/${incidentId}/rca`)
    )?.json()) as { traceId?: string };
    assert.equal(stored.traceId, traceId);

    const run = await runOf(traceId);
    assert.equal(run.kind, "analyze");
    assert.equal(run.incidentId, incidentId);
    assert.equal(run.llmCalls, 2);
    assert.equal(run.inputTokens, 700 + 820);
    assert.equal(run.outputTokens, 30 + 64);
    assert.deepEqual([run.citations, run.citationsDropped], [1, 0]);
    const kinds = new Set(run.spans.map((span) => span.kind));
    assert.ok(
      kinds.has("llm") && kinds.has("tool") && kinds.has("perception"),
      JSON.stringify([...kinds]),
    );
    assert.ok(
      run.spans.some((span) => span.name === "execute_tool get_evidence"),
    );
    const listed = (
      await readJson(
        await (engine as RunningEngine).request(
          `/api/v1/runs?incident=${incidentId}&kind=analyze`,
        ),
      )
    ).runs as Array<{ id: string }>;
    assert.deepEqual(
      listed.map((one) => one.id),
      [traceId],
    );
  });

  it("records a follow-up question and a workflow draft as runs of their kinds", async () => {
    llm.enqueue({
      content: JSON.stringify({
        answer: "The deploy deploy-7 did it.",
        evidence: ["deploy-7", "ev_made_up"],
      }),
    });
    const asked = await engine?.request(`/api/v1/incidents/${incidentId}/ask`, {
      method: "POST",
      json: { question: "Why?" },
    });
    assert.equal(asked?.status, 200);
    const answer = (await asked?.json()) as { traceId?: string };
    const question = await runOf(answer.traceId ?? "");
    assert.deepEqual(
      [question.kind, question.citations, question.citationsDropped],
      ["ask", 2, 1],
    );

    // A draft that does not check gets one repair round: both answered, whatever the YAML says.
    const yaml =
      "name: nightly\ntriggers:\n  - on: manual\nsteps:\n  - id: say\n    action: log\n    with: { message: hi }\n";
    llm.enqueue({ content: yaml }, { content: yaml });
    const drafted = await engine?.request("/api/v1/workflows/draft", {
      method: "POST",
      json: { description: "say hi" },
    });
    assert.equal(drafted?.status, 200, await drafted?.clone().text());
    const drafts = await eventually(async () => {
      const list = (
        await readJson(
          await (engine as RunningEngine).request("/api/v1/runs?kind=draft"),
        )
      ).runs as Array<{ id: string; llmCalls: number }>;
      return list.length > 0 ? list : undefined;
    }, "the draft run");
    assert.ok((drafts[0]?.llmCalls ?? 0) >= 1);
  });

  it("exports the runs to the OTLP endpoint the standard variable names, without the LLM key", async () => {
    await engine?.stop();
    engine = undefined;
    const sent = bodies.join("\n");
    assert.match(sent, /"invoke_agent intelops\.analyze"/);
    assert.match(sent, /"invoke_agent intelops\.ask"/);
    assert.match(sent, /"stringValue":"intelops-engine"/);
    assert.ok(!sent.includes(LLM_KEY));
  });
});
