import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { Cron } from 'croner';
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver-protocol';
import { copyExampleProject } from './support/exampleProject';
import { PULL_CLIENT, startSession } from './support/session';

/** Two loops, the second a three-step sequence, against examples/saas (TIME_ZONE Europe/Paris). */
const CONFIG = `import { defineLoop } from '@skene/sdk';
export default [
  defineLoop({
    id: 'dormant-users',
    type: 'retention',
    steps: [{
      trigger: { type: 'schedule', cron: '0 9 * * *' },
      condition: { type: 'query', query: \`SELECT u.id, u.email, u.first_name FROM accounts_user u JOIN billing_subscription s ON s.user_id = u.id WHERE u.last_login < NOW() - INTERVAL '7 days'\` },
      action: { type: 'email', provider: 'log', template: 're_engagement' },
    }],
  }),
  defineLoop({
    id: 'onboarding',
    type: 'retention',
    steps: [
      {
        trigger: { type: 'schedule', cron: '30 7 * * 1', timezone: 'America/New_York' },
        condition: { type: 'query', query: \`SELECT id, email FROM accounts_user WHERE nope > 1\` },
        action: { type: 'email', provider: 'log', template: 're_engagement' },
      },
      { delay: '3d', action: { type: 'email', provider: 'log', template: 're_engagement' } },
      { delay: '36h', action: { type: 'email', provider: 'log', template: 're_engagement' } },
    ],
  }),
];
`;

async function open(t: TestContext, initializationOptions?: unknown) {
  const copy = await copyExampleProject();
  t.after(() => copy.remove());
  const session = await startSession(t, { rootPath: copy.root, capabilities: PULL_CLIENT, initializationOptions });
  const uri = copy.uri('skene.config.ts');
  await session.open(uri, CONFIG);
  return { session, uri };
}

type Row = { name: string; detail?: string; kind: SymbolKind; children?: Row[] };
const shape = (symbols: DocumentSymbol[]): Row[] => symbols.map((s) => ({ name: s.name, ...(s.detail ? { detail: s.detail } : {}), kind: s.kind, ...(s.children?.length ? { children: shape(s.children) } : {}) }));

test('document symbols: loops › steps › trigger, condition, action, with details', async (t) => {
  const { session, uri } = await open(t);
  const symbols = await session.symbols(uri);
  const part = (name: string, detail: string, kind: SymbolKind): Row => ({ name, detail, kind });
  assert.deepEqual(shape(symbols), [
    {
      name: 'dormant-users', detail: 'retention', kind: SymbolKind.Module,
      children: [{ name: 'step 1', detail: 'when the trigger fires', kind: SymbolKind.Function, children: [
        part('trigger', 'cron 0 9 * * *', SymbolKind.Event),
        part('condition', 'SELECT … FROM accounts_user, billing_subscription', SymbolKind.Boolean),
        part('action', 'email re_engagement via log', SymbolKind.Method),
      ] }],
    },
    {
      name: 'onboarding', detail: 'retention', kind: SymbolKind.Module,
      children: [
        { name: 'step 1', detail: 'when the trigger fires', kind: SymbolKind.Function, children: [
          part('trigger', 'cron 30 7 * * 1 America/New_York', SymbolKind.Event),
          part('condition', 'SELECT … FROM accounts_user', SymbolKind.Boolean),
          part('action', 'email re_engagement via log', SymbolKind.Method),
        ] },
        { name: 'step 2', detail: '3d after step 1', kind: SymbolKind.Function, children: [part('action', 'email re_engagement via log', SymbolKind.Method)] },
        { name: 'step 3', detail: '36h after step 1', kind: SymbolKind.Function, children: [part('action', 'email re_engagement via log', SymbolKind.Method)] },
      ],
    },
  ]);
  // The selection (what the Outline reveals) is the id string, inside the loop's range.
  const first = symbols[0];
  assert.equal(first?.selectionRange.start.line, 3);
  assert.equal(first?.range.start.line, 2);
});

function label(hint: { label: string | { value: string }[] }): string {
  return typeof hint.label === 'string' ? hint.label : hint.label.map((p) => p.value).join('');
}

test('inlay hints: next run in the reader\'s time zone, the model after FROM/JOIN, each step\'s delay', async (t) => {
  const { session, uri } = await open(t, { timeZone: 'Asia/Tokyo' });
  const hints = await session.inlayHints(uri, { start: { line: 0, character: 0 }, end: { line: 30, character: 0 } });
  const rows = hints.map((h) => ({ line: h.position.line, label: label(h) }));
  const runIn = (cron: string, zone: string) => {
    const next = new Cron(cron, { timezone: zone, paused: true }).nextRun() as Date;
    const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Tokyo', weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(next);
    const p = (type: string) => parts.find((x) => x.type === type)?.value;
    return `next run ${p('weekday')} ${p('day')} ${p('month')} ${p('hour')}:${p('minute')} your time`;
  };
  assert.deepEqual(rows, [
    { line: 5, label: 'step 1: on the schedule' },
    { line: 6, label: runIn('0 9 * * *', 'Europe/Paris') },
    { line: 7, label: '→ accounts.User' },
    { line: 7, label: '→ billing.Subscription' },
    { line: 15, label: 'step 1: on the schedule' },
    { line: 16, label: runIn('30 7 * * 1', 'America/New_York') },
    { line: 17, label: '→ accounts.User' },
    { line: 20, label: 'step 2: 3 days after step 1' },
    { line: 21, label: 'step 3: 36 hours (1.5 days) after step 1' },
  ]);
  const table = hints.find((h) => label(h) === '→ accounts.User');
  assert.equal(CONFIG.split('\n')[7]?.slice(0, table?.position.character).endsWith('FROM accounts_user'), true);
  // Only the requested range.
  const some = await session.inlayHints(uri, { start: { line: 15, character: 0 }, end: { line: 17, character: 0 } });
  assert.deepEqual(some.map((h) => h.position.line), [15, 16]);
});

test('semantic tokens: tables and columns that resolve to the project (a typo stays plain)', async (t) => {
  const { session, uri } = await open(t);
  const legend = session.initializeResult.capabilities.semanticTokensProvider?.legend;
  assert.deepEqual(legend, { tokenTypes: ['class', 'property'], tokenModifiers: [] });
  const { data } = await session.semanticTokens(uri);
  const lines = CONFIG.split('\n');
  const decoded: string[] = [];
  let line = 0;
  let character = 0;
  for (let i = 0; i < data.length; i += 5) {
    const [dLine = 0, dChar = 0, length = 0, type = 0] = data.slice(i, i + 4);
    line += dLine;
    character = dLine ? dChar : character + dChar;
    decoded.push(`${line}:${legend?.tokenTypes[type]}:${lines[line]?.slice(character, character + length)}`);
  }
  // Table aliases (u, s) name their table, so they are colored as one; `nope`, NOW and INTERVAL stay plain.
  assert.deepEqual(decoded, [
    '7:class:u', '7:property:id', '7:class:u', '7:property:email', '7:class:u', '7:property:first_name',
    '7:class:accounts_user', '7:class:u', '7:class:billing_subscription', '7:class:s',
    '7:class:s', '7:property:user_id', '7:class:u', '7:property:id', '7:class:u', '7:property:last_login',
    '17:property:id', '17:property:email', '17:class:accounts_user',
  ]);
});
