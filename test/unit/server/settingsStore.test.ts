import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SettingsStore } from '../../../server/handlers/settings';

/** A client whose workspace/configuration answers come from a script: an Error is a refused request. */
function scriptedClient(answers: Array<unknown>) {
  let asked = 0;
  const connection = {
    workspace: {
      getConfiguration: () => {
        const answer = answers[Math.min(asked++, answers.length - 1)];
        return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
      },
    },
  };
  return { connection: connection as unknown as ConstructorParameters<typeof SettingsStore>[0], asked: () => asked };
}

const USER = { report: { databaseUrl: 'postgresql://localhost/app', codeLens: true } };
const URI = 'file:///project/skene.config.ts';

test('a refused settings request is asked again: the user\'s database URL, not the default', async () => {
  const client = scriptedClient([new Error('Unhandled method workspace/configuration'), USER]);
  const warnings: string[] = [];
  const store = new SettingsStore(client.connection, () => true, () => ({}), (message) => warnings.push(message), 1);
  assert.equal((await store.get(URI)).report.databaseUrl, 'postgresql://localhost/app');
  assert.equal(client.asked(), 2);
  assert.deepEqual(warnings, []);
  // The answer is cached until the client says the settings changed.
  await store.get(URI);
  assert.equal(client.asked(), 2);
});

test('refused twice: the defaults for this request, said in the log, and not cached', async () => {
  const refused = new Error('connection closed');
  const client = scriptedClient([refused, refused, USER]);
  const warnings: string[] = [];
  const store = new SettingsStore(client.connection, () => true, () => ({}), (message) => warnings.push(message), 1);
  assert.equal((await store.get(URI)).report.databaseUrl, null);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /skene settings for file:\/\/\/project\/skene\.config\.ts failed \(connection closed\)/);
  assert.equal((await store.get(URI)).report.databaseUrl, 'postgresql://localhost/app');
  assert.equal(client.asked(), 3);
});

test('a client that cannot be asked: initializationOptions.settings, without a request', async () => {
  const client = scriptedClient([USER]);
  const store = new SettingsStore(client.connection, () => false, () => ({ report: { databaseUrl: 'postgresql://init/app' } }));
  assert.equal((await store.get(URI)).report.databaseUrl, 'postgresql://init/app');
  assert.equal(client.asked(), 0);
});
