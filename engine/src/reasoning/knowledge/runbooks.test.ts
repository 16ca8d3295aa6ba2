import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../testing/temp.ts';
import { loadRunbooks, parseRunbook, RunbookError } from './runbooks.ts';

const GOOD = `---
title: Disk full
services: [database, queue]
tags:
  - saturation
  - disk
signals: [No space left on device, 507]
---

# Disk full

Free space first.
`;

function rejects(text: string, pattern: RegExp): void {
  assert.throws(
    () => parseRunbook(text, 'x.md', 'runbooks/x.md'),
    (error: unknown) => error instanceof RunbookError && pattern.test(error.message)
  );
}

describe('parseRunbook', () => {
  it('reads the front-matter fields and keeps the markdown body', () => {
    const doc = parseRunbook(GOOD, 'disk-full.md');
    assert.deepEqual(doc, {
      id: 'runbook:disk-full.md',
      kind: 'runbook',
      title: 'Disk full',
      body: '# Disk full\n\nFree space first.',
      services: ['database', 'queue'],
      tags: ['saturation', 'disk'],
      // Numbers are kept as words.
      signals: ['No space left on device', '507'],
      source: 'disk-full.md',
    });
  });

  it('accepts CRLF line ends and leaves out optional lists', () => {
    const doc = parseRunbook('---\r\ntitle: Only a title\r\n---\r\nBody\r\n', 'a.md');
    assert.equal(doc.title, 'Only a title');
    assert.deepEqual([doc.services, doc.tags, doc.signals, doc.body], [[], [], [], 'Body']);
  });

  it('names the file and the line of what is wrong', () => {
    rejects('# no front-matter\n', /^runbooks\/x\.md, line 1: a runbook starts with a front-matter block/);
    rejects(
      '---\ntitle: x\nbody without a closing fence\n',
      /^runbooks\/x\.md, line 1: the front-matter block opened here is never closed/
    );
    rejects('---\ntitle: x\nservices: [a, b\n---\n', /^runbooks\/x\.md, line [34]: front-matter is not valid YAML/);
    rejects(
      '---\ntitle: x\nservice: [cart]\n---\n',
      /^runbooks\/x\.md, line 3: unknown front-matter field "service"; the fields are title, services, tags, signals/
    );
    rejects(
      '---\ntitle: x\ntags: [a]\nservices: cart\n---\n',
      /^runbooks\/x\.md, line 4: services must be a list of strings/
    );
    rejects(
      '---\ntitle: x\ntags:\n  - a\n  - {b: c}\n---\n',
      /^runbooks\/x\.md, line 5: every entry of tags must be a non-empty string/
    );
    rejects('---\ntags: [a]\n---\n', /^runbooks\/x\.md, line 2: front-matter has no title/);
    rejects('---\ntitle: ""\n---\n', /^runbooks\/x\.md, line 2: title must be a non-empty string/);
    rejects('---\ntitle: x\ntitle: y\n---\n', /line 3: front-matter is not valid YAML: Map keys must be unique/);
    rejects('---\n- a list\n---\n', /line 2: front-matter must be a mapping/);
  });
});

describe('loadRunbooks', () => {
  it('loads the .md files of a folder in name order and names the path of a bad one', async () => {
    const dir = await tempDir('runbooks');
    try {
      await writeFile(path.join(dir.path, 'b.md'), GOOD);
      await writeFile(path.join(dir.path, 'a.md'), '---\ntitle: A\n---\nA body\n');
      await writeFile(path.join(dir.path, 'notes.txt'), 'not a runbook');
      await mkdir(path.join(dir.path, 'drafts.md'));
      const docs = await loadRunbooks(dir.path);
      assert.deepEqual(
        docs.map((doc) => doc.source),
        ['a.md', 'b.md']
      );

      await writeFile(path.join(dir.path, 'c.md'), '---\ntitle: C\nowner: me\n---\n');
      await assert.rejects(
        loadRunbooks(dir.path),
        (error: unknown) =>
          error instanceof RunbookError &&
          error.message.startsWith(`${path.join(dir.path, 'c.md')}, line 3: unknown front-matter field "owner"`)
      );
      await assert.rejects(loadRunbooks(path.join(dir.path, 'missing')), /cannot read the runbook folder .*missing/);
    } finally {
      await dir.remove();
    }
  });

  it('loads the runbooks shipped in the repository', async () => {
    const docs = await loadRunbooks();
    assert.ok(docs.length >= 12, `expected the demo runbooks, found ${docs.length}`);
    for (const doc of docs) {
      assert.ok(doc.body.length > 200, `${doc.source} has almost no body`);
    }
  });
});
