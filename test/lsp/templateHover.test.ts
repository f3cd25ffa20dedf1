// The hover of a `template:` value links to the email preview of that loop step (a command the VS Code client trusts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withCursor } from './support/cursor';
import { copyExampleProject } from './support/exampleProject';
import { CLEAN_CONFIG } from './support/fixtures';
import { PULL_CLIENT, startSession } from './support/session';

test("hover on template: 're_engagement' names its files and links to the email preview of step 1", async (t) => {
  const copy = await copyExampleProject();
  t.after(() => copy.remove());
  const session = await startSession(t, { rootPath: copy.root, capabilities: PULL_CLIENT });
  const uri = copy.uri('skene.config.ts');
  const { text, position } = withCursor(CLEAN_CONFIG.replace("template: 're_engagement'", "template: 're_eng|agement'"));
  await session.open(uri, text);
  const hover = await session.hover(uri, position);
  const args = encodeURIComponent(JSON.stringify([{ root: copy.root, loopId: 'dormant-users', step: 0 }]));
  const value = (hover?.contents as { value: string }).value;
  assert.equal(value, `**Email template** \`re_engagement\` — no template files found yet\n\n[Preview email](command:skene.previewEmail?${args}) — what the runtime would send, for a sample user`);
});
