import type { KnowledgeDocument } from '../knowledge/documents.ts';

// A step is shown as its first sentence, capped: the runbook link carries the rest.
const MAX_STEP_CHARS = 200;
const MAX_STEPS = 3;

// Abbreviations whose full stop does not end a sentence ("a retry budget (e.g. 10 %)").
const ABBREVIATION = /(?:^|[\s(])(?:e\.g|i\.e|etc|vs|cf|approx)$/i;

/** Where the first sentence ends (the index of its full stop), or -1 when the text is one sentence. */
function sentenceEnd(text: string): number {
  for (const match of text.matchAll(/[.!?](?=\s|$)/g)) {
    if (!ABBREVIATION.test(text.slice(0, match.index))) {
      return match.index;
    }
  }
  return -1;
}

/** The first sentence of a markdown list item, without emphasis markers. */
function firstSentence(text: string): string {
  const plain = text
    .replace(/\*\*|__|`/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  const end = sentenceEnd(plain);
  const sentence = end < 0 ? plain : plain.slice(0, end + 1);
  return sentence.length > MAX_STEP_CHARS ? `${sentence.slice(0, MAX_STEP_CHARS - 1)}…` : sentence;
}

/**
 * What a knowledge document says to do: a runbook's first remediation steps (the list under its "Remediation"
 * heading, or "Mitigation"/"Fix"), a resolved incident's remediation as the SRE wrote it.
 */
export function actionsOf(document: KnowledgeDocument): string[] {
  if (document.kind === 'incident') {
    const remediation = document.incident?.remediation.trim();
    return remediation === undefined || remediation === ''
      ? []
      : [`As in ${document.title}: ${firstSentence(remediation)}`];
  }
  const lines = document.body.split('\n');
  const start = lines.findIndex((line) => /^#{2,4}\s*(remediation|mitigation|fix|resolution)\b/i.test(line));
  if (start < 0) {
    return [];
  }
  const steps: string[] = [];
  let current: string | undefined;
  for (const line of lines.slice(start + 1)) {
    if (/^#{1,4}\s/.test(line)) {
      break;
    }
    const item = /^(?:\d+[.)]|[-*])\s+(.*)$/.exec(line);
    if (item !== null) {
      if (current !== undefined) {
        steps.push(current);
      }
      current = item[1] ?? '';
    } else if (current !== undefined && /^\s+\S/.test(line)) {
      current += ` ${line.trim()}`; // a wrapped item continues on indented lines
    }
  }
  if (current !== undefined) {
    steps.push(current);
  }
  return steps
    .slice(0, MAX_STEPS)
    .map(firstSentence)
    .filter((step) => step !== '');
}
