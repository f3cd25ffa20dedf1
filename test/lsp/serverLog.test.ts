/**
 * What the server tells the client's log (window/logMessage, VS Code's "Skene" output channel): the analysis
 * it did at info level, per-check and per-file timings only once the client asks for debug, and a stop after
 * shutdown that logs no error.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { copyExampleProject } from './support/exampleProject';
import { CLEAN_CONFIG } from './support/fixtures';
import { PULL_CLIENT, startSession, waitFor } from './support/session';

const ERROR = 1;
const INFO = 3;
const DEBUG = 5;

test('info: the analysis (files found, read, parsed; settings; user model); debug timings only after skene/didChangeLogLevel; shutdown logs no error', async (t) => {
  const copy = await copyExampleProject();
  t.after(() => copy.remove());
  const session = await startSession(t, { rootPath: copy.root, capabilities: PULL_CLIENT });
  const config = copy.uri('skene.config.ts');
  await session.open(config, CLEAN_CONFIG);
  await session.pull(config);
  const analyzed = session.logs.find((entry) => entry.message.startsWith('analyzed '));
  assert.equal(analyzed?.type, INFO);
  assert.match(analyzed?.message ?? '', new RegExp(`^analyzed ${copy.root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} in \\d+ ms: (\\d+) files found, (\\d+) read, (\\d+) parsed; settings config\\.settings\\.dev; user model accounts\\.User \\(accounts_user\\)$`));
  const [found, read] = /(\d+) files found, (\d+) read/.exec(analyzed?.message ?? '')?.slice(1).map(Number) ?? [];
  assert.ok((read ?? 0) > 0 && (read ?? 0) <= (found ?? 0), `read ${read} of ${found}`);
  assert.deepEqual(session.logs.filter((entry) => entry.type === DEBUG), [], 'no debug messages at the default level');

  await session.connection.sendNotification('skene/didChangeLogLevel', { level: 'debug' });
  await session.change(config, CLEAN_CONFIG.replace('first_name FROM', 'first_nam FROM'));
  await session.pull(config);
  await waitFor(() => session.logs.some((entry) => entry.type === DEBUG && entry.message.startsWith('checked skene.config.ts (version 2,')));
  assert.match(session.logs.find((entry) => entry.message.startsWith('checked skene.config.ts (version 2,'))?.message ?? '', /^checked skene\.config\.ts \(version 2, project version \d+\) in \d+\.\d ms: 1 errors, \d+ warnings, \d+ infos$/);

  const models = copy.uri('accounts/models.py');
  const text = readFileSync(copy.file('accounts/models.py'), 'utf8');
  await session.open(models, text);
  await session.change(models, `${text}\n# edited\n`);
  await waitFor(() => session.logs.some((entry) => entry.type === DEBUG && /^updated accounts\/models\.py \(unsaved text\) in \d+\.\d ms$/.test(entry.message)));

  await session.connection.sendNotification('skene/didChangeLogLevel', { level: 'info' });
  const debugCount = session.logs.filter((entry) => entry.type === DEBUG).length;
  await session.change(config, CLEAN_CONFIG);
  await session.pull(config);
  assert.equal(session.logs.filter((entry) => entry.type === DEBUG).length, debugCount, 'back at info: no more debug messages');

  assert.equal(await session.close(), 0);
  assert.deepEqual(session.logs.filter((entry) => entry.type === ERROR), []);
  assert.equal(session.stderr(), '');
});
