/**
 * The extension in a real VS Code: code-server 4.100.3 (VS Code 1.100) installed by
 * scripts/install-code-server.sh, the packaged VSIX installed with `--install-extension`, the
 * workbench driven in Debian's chromium by playwright-core. No mocks: the palette, quick picks, diff editors,
 * the Problems panel and code lenses are VS Code's own.
 *
 * Set SKENE_E2E_VSIX to test an already packaged VSIX instead of packaging one here.
 * Set SKENE_UPDATE_DOCS_IMAGES=1 to refresh docs/images/ from this run's screenshots.
 */
import assert from 'node:assert/strict';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { makeTempDir, removeTempDir } from '../helpers/tempDir';
import { seedReportLedger } from '../helpers/reportLedger';
import { contentHash } from '../../generators/state/initState';
import { startPostgres, type PostgresCluster } from '../helpers/postgres';
import { findLogFiles, installCodeServer, installExtension, readText, startCodeServer, waitFor, writeUserSettings, type RunningCodeServer } from './codeServer';
import { packageVsix } from './packageVsix';
import { CHROMIUM_ARGS, inkOf, parseRgb, Workbench } from './workbench';

interface BrowserClipboard {
  navigator: { clipboard: { readText(): Promise<string> } };
}

const repo = path.resolve(__dirname, '../..');
const screenshotDir = path.join(repo, '.tmp/e2e-screenshots');

// The whole suite: about 4 minutes on a loaded 2-core machine (the runner's own limit is 10).
describe('real VS Code (code-server 4.100, chromium)', { timeout: 420_000 }, () => {
  let temp = '';
  let project = '';
  let userDataDir = '';
  let server: RunningCodeServer | undefined;
  let browser: Browser | undefined;
  let bench: Workbench;
  let cluster: PostgresCluster | undefined;
  let databaseUrl = '';

  before(async () => {
    temp = await makeTempDir('skene-e2e');
    rmSync(screenshotDir, { recursive: true, force: true });
    const bin = await installCodeServer();
    mkdirSync(path.join(temp, 'staging'));
    const vsix = process.env.SKENE_E2E_VSIX ?? (await packageVsix(path.join(temp, 'staging')));
    const dirs = { userDataDir: path.join(temp, 'user'), extensionsDir: path.join(temp, 'extensions') };
    userDataDir = dirs.userDataDir;
    await installExtension(bin, vsix, dirs);
    writeUserSettings(dirs);
    // The report view reads a seeded ledger through the same setting as the report lens.
    cluster = await startPostgres();
    databaseUrl = await cluster.createDatabase('e2e');
    const settingsFile = path.join(dirs.userDataDir, 'User', 'settings.json');
    writeFileSync(settingsFile, JSON.stringify({ ...(JSON.parse(readFileSync(settingsFile, 'utf8')) as object), 'skene.report.databaseUrl': databaseUrl }, null, 2));
    project = path.join(temp, 'saas');
    cpSync(path.join(repo, 'examples/saas'), project, { recursive: true, filter: (source) => !source.includes('__pycache__') });
    server = await startCodeServer(bin, dirs);
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    // Clipboard permissions let the test read what "Copy Prompt for Cursor" put there.
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, permissions: ['clipboard-read', 'clipboard-write'] });
    const page = await context.newPage();
    bench = new Workbench(page, screenshotDir);
    console.log(`e2e screenshots: ${screenshotDir}`);
    await page.goto(`${server.url}/?folder=${encodeURIComponent(project)}`);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    await cluster?.stop();
    if (temp) await removeTempDir(temp);
  });

  /** The computed CSS color of an element, as the browser paints it. */
  async function cssColor(locator: ReturnType<Workbench['codeLenses']>): Promise<string> {
    return locator.evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { color: string } }).getComputedStyle(el).color);
  }

  /** The extension's own log, for failure messages: what the client and the server said. */
  function skeneLog(): string {
    const file = findLogFiles(path.join(userDataDir, 'logs'), /^Skene\.log$/)[0];
    return file ? readText(file).slice(-4000) : '(no Skene log yet)';
  }

  async function step<T>(name: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      const shot = await bench.screenshot(`FAILED-${name}`).catch(() => 'no screenshot');
      throw new Error(`${name}: ${error instanceof Error ? error.message : String(error)}\nscreenshot: ${shot}\nSkene log:\n${skeneLog()}`);
    }
  }

  test('activates on manage.py and shows the loop state in the status bar', async () => {
    await step('activation', async () => {
      await bench.statusBarItem('Skene: no loop').waitFor({ timeout: 60_000 });
      // A Django project without a loop, opened for the first time: one notification offers Initialize.
      const offer = bench.notification(/add a retention loop to this Django project/);
      await offer.waitFor({ timeout: 30_000 });
      assert.deepEqual(await offer.locator('.monaco-button').allInnerTexts(), ['Initialize', 'Get Started']);
      await bench.screenshot('activated');
      await offer.locator('.codicon-notifications-clear').click();
      await offer.waitFor({ state: 'hidden', timeout: 10_000 });
      assert.match(skeneLog(), /activated in \d+(\.\d+)? ms/);
      // Once per workspace: after a reload the extension decides not to offer again, and says so in its log.
      await bench.page.reload();
      await bench.statusBarItem('Skene: no loop').waitFor({ timeout: 60_000 });
      await waitFor('the second activation\'s decision', 30_000, () => /offered in this workspace before; not again/.test(skeneLog()));
      assert.equal(await offer.count(), 0);
    });
  });

  test('Copy Prompt for Cursor puts this project\'s facts on the clipboard', async () => {
    await step('copy prompt', async () => {
      await bench.runCommand('Skene: Copy Prompt for Cursor');
      await bench.notification(/prompt copied/).waitFor({ timeout: 30_000 });
      // The callback runs in the browser, where `navigator` exists (this file is type-checked without the DOM lib).
      const prompt = await bench.page.evaluate(() => (globalThis as unknown as BrowserClipboard).navigator.clipboard.readText());
      const lines = prompt.split('\n');
      const steps = lines.findIndex((line) => line.startsWith('Steps'));
      assert.ok(steps > 0, 'the prompt has its steps after the facts');
      const facts = lines.slice(lines.indexOf('Project facts, read statically by Skene (nothing was executed):') + 1, steps - 1);
      assert.deepEqual(facts, [
        `- Project root: ${project}`,
        '- Settings module: config.settings.dev',
        '- User model: accounts.User (class User in accounts/models.py:5), table `accounts_user`',
        '- User fields (field → column): id (BigAutoField), last_login (DateTimeField), ' +
          'is_superuser (BooleanField), groups (many-to-many, no column: join accounts_user_groups), ' +
          'user_permissions (many-to-many, no column: join accounts_user_user_permissions), ' +
          'username (CharField), first_name (CharField), last_name (CharField), ' +
          'email (EmailField), is_staff (BooleanField), is_active (BooleanField), date_joined (DateTimeField), ' +
          'company (CharField), timezone (CharField), stripe_customer_id (CharField), marketing_opt_in (BooleanField) ' +
          '(credential fields such as the password hash are left out: never select them)',
        '- Database: django.db.backends.postgresql',
        '- Celery: app in `config.celery`, beat schedule: settings',
        '- Email provider: console',
        '- Stripe: stripe SDK used, customer id in `stripe_customer_id`',
        '- Activity: events.Event (table `events_event`, user `user_id`, time `created_at`)',
      ]);
      assert.equal(lines[0], 'Set up a Skene retention loop (re-engagement email for dormant users) in this Django project.');
      assert.match(prompt, /`(cd \S+ && )?npx --yes skene-django init --dry-run`/);
      assert.match(prompt, /`(cd \S+ && )?npx --yes skene-django check --format json`/);
    });
  });

  test('Skene: Initialize asks what counts as activity, offers the agent files, shows every file with its diff (Escape writes nothing and closes it), then writes the loop', async () => {
    await step('initialize', async () => {
      // Escape from the review writes nothing and closes the diff it showed (no "(planned change)" tab stays).
      await bench.runCommand('Skene: Initialize');
      await bench.quickPick('Skene: what counts as a user being active?').waitFor({ timeout: 60_000 });
      await bench.page.keyboard.press('Enter');
      await bench.quickPick('Skene: also write instructions for coding agents?').waitFor({ timeout: 60_000 });
      await bench.page.keyboard.press('Enter');
      const cancelled = bench.quickPick('Skene: Initialize');
      await cancelled.waitFor({ timeout: 60_000 });
      await bench.page.locator('.tabs-container .tab', { hasText: 'skene.config.ts' }).waitFor({ timeout: 20_000 });
      await bench.page.keyboard.press('Escape');
      await cancelled.waitFor({ state: 'hidden', timeout: 10_000 });
      await waitFor('no plan diff tab left', 10_000, async () => (await bench.page.locator('.tabs-container .tab', { hasText: /\((planned change|new file)\)/ }).count()) === 0);
      assert.ok(!existsSync(path.join(project, 'skene.config.ts')), 'Escape wrote skene.config.ts');

      await bench.runCommand('Skene: Initialize');
      // The choice `skene init --activity` gives: the table with evidence is first and recommended; kept.
      const activity = bench.quickPick('Skene: what counts as a user being active?');
      await activity.waitFor({ timeout: 60_000 });
      await activity.locator('.monaco-list-row.focused', { hasText: 'Inserts into events_event' }).waitFor({ timeout: 10_000 });
      assert.equal(await activity.locator('.monaco-list-row', { hasText: 'Middleware + login signal (no table)' }).count(), 1);
      await bench.page.keyboard.press('Enter');
      // The choice `skene init --agents` gives on the command line: taken here, so the review lists both files.
      const agents = bench.quickPick('Skene: also write instructions for coding agents?');
      await agents.waitFor({ timeout: 60_000 });
      await bench.page.keyboard.press('ArrowDown');
      await agents.locator('.monaco-list-row.focused', { hasText: 'Add instructions for coding agents' }).waitFor({ timeout: 10_000 });
      await bench.page.keyboard.press('Enter');
      const review = bench.quickPick('Skene: Initialize');
      await review.waitFor({ timeout: 60_000 });
      // The review starts on skene.config.ts with its diff open beside the list; every file is ticked.
      await bench.page.locator('.tabs-container .tab', { hasText: 'skene.config.ts' }).waitFor({ timeout: 20_000 });
      await review.locator('.quick-input-count', { hasText: /^\d+ Selected$/ }).waitFor({ timeout: 10_000 });
      // The placeholder is short enough to read whole in the input (measured in the input's own font).
      const input = review.locator('input.input').first();
      assert.equal(await input.getAttribute('placeholder'), 'Enter writes the ticked files · Escape writes nothing');
      const fits = await input.evaluate((el) => {
        const g = globalThis as unknown as { getComputedStyle(e: unknown): { font: string }; document: { createElement(tag: 'canvas'): { getContext(kind: '2d'): { font: string; measureText(text: string): { width: number } } } } };
        const box = el as unknown as { placeholder: string; clientWidth: number };
        const context = g.document.createElement('canvas').getContext('2d');
        context.font = g.getComputedStyle(el).font;
        return { text: context.measureText(box.placeholder).width, input: box.clientWidth };
      });
      assert.ok(fits.text > 0 && fits.text < fits.input, `placeholder ${fits.text}px in a ${fits.input}px input`);
      // The project's files first, skene.config.ts on top; the vendored SDK is one row at the end.
      // (The list is virtual: only the rows in view exist, so the SDK row is found by filtering.)
      assert.match((await review.locator('.monaco-list-row .label-name').first().innerText()).trim(), /skene\.config\.ts$/);
      await bench.page.keyboard.type('skene/sdk');
      const sdkRows = review.locator('.monaco-list-row', { hasText: 'skene/sdk' });
      await sdkRows.first().waitFor({ timeout: 10_000 });
      assert.equal(await sdkRows.count(), 1);
      assert.match((await sdkRows.locator('.label-name').first().innerText()).trim(), /^skene\/sdk\/ — vendored @skene\/sdk: \d+ new files$/);
      await bench.page.keyboard.press('Control+A');
      await bench.page.keyboard.press('Backspace');
      await bench.screenshot('initialize-review');
      await bench.page.keyboard.press('Enter');
      await waitFor('skene.config.ts on disk', 30_000, () => existsSync(path.join(project, 'skene.config.ts')));
      const migrations = await waitFor('a new migration in accounts/migrations', 30_000, () => {
        const added = readdirSync(path.join(project, 'accounts/migrations')).filter((f) => /^\d{4}_.*\.py$/.test(f) && !/^000[12]_/.test(f));
        return added.length > 0 ? added : undefined;
      });
      await bench.notification(/loop installed/).waitFor({ timeout: 30_000 });
      await bench.statusBarItem(/Skene: (loop ok|\d+ (errors?|warnings?))/).waitFor({ timeout: 10_000 });
      await bench.screenshot('initialized');
      assert.match(readFileSync(path.join(project, 'skene.config.ts'), 'utf8'), /FROM "?accounts_user"?/);
      assert.match(readFileSync(path.join(project, 'AGENTS.md'), 'utf8'), /npx --yes skene-django check/);
      assert.ok(existsSync(path.join(project, '.cursor/rules/skene.mdc')));
      assert.equal(migrations.length, 1);
      assert.match(readFileSync(path.join(project, 'accounts/migrations', migrations[0] ?? ''), 'utf8'), /dependencies = \[[^\]]*0002_user_marketing_opt_in/);
    });
  });

  test('skene.config.ts: the outline lists loop › step › trigger/condition/action', async () => {
    await step('outline', async () => {
      await bench.openFile('skene.config.ts');
      await bench.runCommand('Explorer: Focus on Outline View');
      const rows = bench.page.locator('.outline-pane .monaco-list-row');
      await rows.filter({ hasText: 'dormant-users' }).first().waitFor({ timeout: 30_000 });
      await rows.filter({ hasText: /^\s*action/ }).first().waitFor({ timeout: 10_000 });
      // The screenshot shows the rows: each label is painted in its color inside the Outline.
      const shot = await bench.screenshotOf(bench.page.locator('.outline-pane'), 'outline');
      for (const name of ['dormant-users', 'trigger', 'action']) {
        const label = rows.filter({ hasText: new RegExp(`^\\s*${name}`) }).first().locator('.label-name').first();
        const rowShot = await bench.screenshotOf(label, `outline-row-${name}`);
        const ink = parseRgb(await cssColor(label));
        assert.ok(inkOf(rowShot, ink) > 0.01, `the ${name} row is painted in ${String(ink)}: ${JSON.stringify(rowShot.colors.slice(0, 4))}`);
        assert.ok(inkOf(shot, ink) > 0, `the Outline screenshot shows ${name}`);
      }
      const texts = (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
      const names = ['dormant-users', 'step 1', 'trigger', 'condition', 'action'];
      const at = names.map((name) => texts.findIndex((t) => t.startsWith(name)));
      assert.ok(at.every((i) => i >= 0), `outline rows: ${JSON.stringify(texts)}`);
      assert.deepEqual([...at].sort((a, b) => a - b), at, `in order: ${JSON.stringify(texts)}`);
      assert.match(texts[at[2] ?? 0] ?? '', /cron 0 9 \* \* \*/);
    });
  });

  test('skene.config.ts: inlay hints name the model after FROM and the next run', async () => {
    await step('inlay hints', async () => {
      await bench.openFile('skene.config.ts');
      const lines = bench.page.locator('.editor-group-container.active .view-lines');
      const modelText = /^→\saccounts\.User$/;
      const nextRunText = /^next\srun\s\w{3}\s\d{1,2}\s\w{3}\s\d{2}:\d{2}\syour\stime$/;
      const model = lines.locator('span', { hasText: modelText }).first();
      await model.waitFor({ timeout: 30_000 });
      const nextRun = lines.locator('span', { hasText: nextRunText }).first();
      await nextRun.waitFor({ timeout: 10_000 });
      await bench.screenshot('inlay-hints');
      // Each hint is painted in the editor's inlay-hint color, on the line after the text it explains.
      for (const [hint, text, name] of [[model, modelText, 'inlay-hint-model'], [nextRun, nextRunText, 'inlay-hint-next-run']] as const) {
        const shot = await bench.screenshotOf(hint, name);
        const ink = parseRgb(await cssColor(hint));
        assert.ok(inkOf(shot, ink) > 0.01, `${name} painted in ${String(ink)}: ${JSON.stringify(shot.colors.slice(0, 4))}`);
        const line = lines.locator('.view-line', { has: bench.page.locator('span', { hasText: text }) }).first();
        assert.match((await line.innerText()).replace(/\s+/g, ' '), name === 'inlay-hint-model' ? /FROM "?accounts_user"? ?→ accounts\.User/ : /cron: '0 9 \* \* \*'.*next run/);
      }
    });
  });

  test('skene.config.ts: SQL in query: is colored, project tables and columns by the server', async () => {
    await step('sql colors', async () => {
      await bench.openFile('skene.config.ts');
      const lines = bench.page.locator('.editor-group-container.active .view-lines');
      const colorOf = async (text: string): Promise<string> => {
        const span = lines.locator('span > span', { hasText: new RegExp(`^\\s*${text}\\s*$`) }).first();
        await span.waitFor({ timeout: 20_000 });
        return span.evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { color: string } }).getComputedStyle(el).color);
      };
      // TextMate colors every SQL name alike; only the server's semantic tokens tell a table from a column.
      const string = await colorOf("'?resend'?,?");
      const keyword = await colorOf('SELECT');
      await waitFor('semantic colors: table and column differ', 30_000, async () => ((await colorOf('accounts_user')) !== (await colorOf('last_activity_at')) ? true : undefined));
      const table = await colorOf('accounts_user');
      const column = await colorOf('last_activity_at');
      await bench.screenshot('sql-colors');
      // What is painted, not only the styles: each token's screenshot carries its own color and not the other's.
      const tokenShot = async (text: string) => bench.screenshotOf(lines.locator('span > span', { hasText: new RegExp(`^\\s*${text}\\s*$`) }).first(), `sql-token-${text.replace(/\W/g, '')}`);
      const tableShot = await tokenShot('accounts_user');
      const columnShot = await tokenShot('last_activity_at');
      const keywordShot = await tokenShot('SELECT');
      assert.ok(inkOf(tableShot, parseRgb(table)) > 0.02, `table painted ${table}: ${JSON.stringify(tableShot.colors.slice(0, 4))}`);
      assert.ok(inkOf(columnShot, parseRgb(column)) > 0.02, `column painted ${column}: ${JSON.stringify(columnShot.colors.slice(0, 4))}`);
      assert.ok(inkOf(keywordShot, parseRgb(keyword)) > 0.02, `SELECT painted ${keyword}`);
      assert.equal(inkOf(tableShot, parseRgb(column), 8), 0, 'the table is not painted in the column color');
      assert.equal(inkOf(columnShot, parseRgb(table), 8), 0, 'the column is not painted in the table color');
      assert.equal(inkOf(keywordShot, parseRgb(string), 8), 0, 'SELECT is not painted as a string');
      assert.notEqual(keyword, string, 'SELECT is a SQL keyword, not part of a plain string');
      assert.notEqual(table, string);
      assert.notEqual(table, keyword);
      assert.notEqual(column, table, 'columns and tables are told apart');
    });
  });

  test('skene.config.ts: Go to Definition on a SQL column lands on the model field\'s line', async () => {
    await step('definition', async () => {
      await bench.openFile('skene.config.ts');
      const config = readFileSync(path.join(project, 'skene.config.ts'), 'utf8').split('\n');
      const index = config.findIndex((line) => /\bSELECT\b/.test(line) && /\btimezone\b/.test(line));
      assert.ok(index >= 0, 'the query selects timezone');
      await bench.goTo(index + 1, (config[index] ?? '').search(/\btimezone\b/) + 3);
      await bench.page.keyboard.press('F12');
      await bench.page.locator('.tabs-container .tab.active', { hasText: 'models.py' }).waitFor({ timeout: 20_000 });
      const fieldLine = readFileSync(path.join(project, 'accounts/models.py'), 'utf8').split('\n').findIndex((line) => /^\s+timezone = models\./.test(line)) + 1;
      await bench.statusBarItem(new RegExp(`^Ln ${fieldLine}, Col \\d+$`)).waitFor({ timeout: 10_000 });
      await bench.screenshot('definition');
      // The screenshot shows the field's line as the current one: its number is the active line number, painted in the
      // active color, level with the line that declares the field.
      const editor = bench.page.locator('.editor-group-container.active');
      const number = editor.locator('.line-numbers.active-line-number');
      assert.equal((await number.innerText()).trim(), String(fieldLine));
      const numberShot = await bench.screenshotOf(number, 'definition-line-number');
      assert.ok(inkOf(numberShot, parseRgb(await cssColor(number))) > 0.01, `active line number painted: ${JSON.stringify(numberShot.colors.slice(0, 4))}`);
      const fieldRow = editor.locator('.view-line', { hasText: 'timezone = models.CharField' });
      const [numberBox, rowBox] = [await number.boundingBox(), await fieldRow.boundingBox()];
      assert.ok(numberBox && rowBox && Math.abs(numberBox.y - rowBox.y) < 2, `the active line is the field's: ${JSON.stringify([numberBox, rowBox])}`);
      const rowShot = await bench.screenshotOf(fieldRow, 'definition-field-line');
      assert.ok(rowShot.colors.length > 3, 'the field line is painted (text, not an empty row)');
    });
  });

  test('a wrong column typed into skene.config.ts shows in the Problems panel', async () => {
    await step('problems', async () => {
      const config = readFileSync(path.join(project, 'skene.config.ts'), 'utf8');
      const lines = config.split('\n');
      const index = lines.findIndex((line) => /\bSELECT\b/.test(line) && /\bemail\b/.test(line));
      assert.ok(index >= 0, `no SELECT line with email in:\n${config}`);
      const column = (lines[index] ?? '').search(/\bemail\b/) + 'email'.length + 1;
      await bench.openFile('skene.config.ts');
      await bench.goTo(index + 1, column);
      await bench.page.keyboard.type('_adress');
      await bench.page.keyboard.press('Control+Shift+M');
      await bench.problem('email_adress').first().waitFor({ timeout: 30_000 });
      await bench.statusBarItem(/Skene: \d+ errors?/).waitFor({ timeout: 10_000 });
      await bench.screenshot('problems');
      const row = bench.problem('email_adress').first();
      assert.deepEqual(
        {
          message: await row.locator('.marker-message').innerText(),
          source: await row.locator('.marker-source').innerText(),
          code: await row.locator('.marker-code').innerText(),
        },
        {
          message: "Column 'email_adress' does not exist in accounts_user. Add it to the model (and a migration) or use an existing column.",
          source: 'skene',
          code: 'unknown-column',
        },
      );
      // The code is a link (codeDescription) to the page packaged in the VSIX: it opens inside VS Code.
      // VS Code wraps the code in a link to the target.
      const link = row.locator('a.monaco-link', { has: bench.page.locator('.marker-code') });
      assert.match((await link.getAttribute('href')) ?? '', /\/dist\/docs\/diagnostics\/unknown-column\.md$/);
      await link.click();
      await bench.page.locator('.tabs-container .tab.active', { hasText: 'unknown-column.md' }).waitFor({ timeout: 20_000 });
      await bench.page.locator('.editor-group-container.active .view-lines', { hasText: 'Skene diagnostic' }).first().waitFor({ timeout: 10_000 });
      await bench.screenshot('diagnostic-docs-page');
    });
  });

  test('the installed VSIX carries a documentation page for every diagnostic code', async () => {
    await step('docs pages', () => {
      const installed = readdirSync(path.join(temp, 'extensions')).find((entry) => entry.startsWith('skene.skene-django-'));
      assert.ok(installed, 'the extension is installed');
      const pages = new Set(readdirSync(path.join(temp, 'extensions', installed, 'dist/docs/diagnostics')));
      const codes = [...readFileSync(path.join(repo, 'docs/diagnostics.md'), 'utf8').matchAll(/^## `([a-z0-9-]+)`/gm)].map((m) => m[1]);
      assert.ok(codes.length > 20);
      assert.deepEqual(codes.filter((code) => !pages.has(`${code}.md`)), []);
      return Promise.resolve();
    });
  });

  test('the code lens over the User class sums up the loop', async () => {
    await step('code lens', async () => {
      await bench.openFile('accounts/models.py');
      const lens = bench.codeLenses().filter({ hasText: /Skene/ }).first();
      await lens.waitFor({ timeout: 30_000 });
      await bench.screenshot('code-lens');
      assert.match(await lens.innerText(), /^Skene · dormant 7 d · daily 09:00 Europe\/Paris/);
    });
  });

  test('Check Loop Config focuses the Problems panel with a verdict', async () => {
    await step('check loop config', async () => {
      await bench.runCommand('Skene: Check Loop Config');
      const verdict = bench.notification(/Skene: skene\.config\.ts — \d+ errors?, \d+ warnings?\./);
      await verdict.waitFor({ timeout: 30_000 });
      await bench.page.locator('.markers-panel').waitFor({ timeout: 10_000 });
      // The verdict counts what the Problems panel lists from the skene source.
      const rows = bench.page.locator('.markers-panel .monaco-list-row', { has: bench.page.locator('.marker-source', { hasText: /^skene$/ }) });
      const errors = await rows.filter({ has: bench.page.locator('.codicon-error') }).count();
      const warnings = await rows.filter({ has: bench.page.locator('.codicon-warning') }).count();
      const plural = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;
      assert.ok(errors >= 1, 'the wrong column is still there');
      assert.match(await verdict.innerText(), new RegExp(`— ${plural(errors, 'error')}, ${plural(warnings, 'warning')}\\.`));
      // The status bar counts the same problems.
      const status = [errors ? plural(errors, 'error') : '', warnings ? plural(warnings, 'warning') : ''].filter(Boolean).join(', ');
      await bench.statusBarItem(`Skene: ${status}`).waitFor({ timeout: 10_000 });
    });
  });

  test('Preview Plan lists every file of a re-run, with its action, and writes nothing', async () => {
    await step('preview plan', async () => {
      const before = readFileSync(path.join(project, 'skene.config.ts'), 'utf8');
      await bench.runCommand('Skene: Preview Plan');
      const plan = bench.quickPick(/^Skene plan: .*unchanged/);
      await plan.waitFor({ timeout: 60_000 });
      await plan.locator('.monaco-list-row', { hasText: 'skene.config.ts' }).first().waitFor({ timeout: 10_000 });
      await bench.screenshot('preview-plan');
      await bench.page.keyboard.press('Escape');
      await plan.waitFor({ state: 'hidden', timeout: 10_000 });
      assert.equal(readFileSync(path.join(project, 'skene.config.ts'), 'utf8'), before);
      // The diffs shown while moving through the plan close with it.
      await waitFor('no plan diff tab left', 10_000, async () => (await bench.page.locator('.tabs-container .tab', { hasText: /\((planned change|new file)\)/ }).count()) === 0);
    });
  });

  test("Initialize on a project an older Skene set up: its old vendored files are one review row, removed with their emptied folders", async () => {
    await step('old layout removal', async () => {
      // What an older Skene left: vendored sources under skene/sdk/, recorded in .skene/generated.json as it wrote them.
      const old = { 'skene/sdk/runtime/engine.ts': 'export const engine = 1;\n', 'skene/sdk/schema.ts': 'export const schema = 1;\n' };
      const stateFile = path.join(project, '.skene/generated.json');
      const state = JSON.parse(readFileSync(stateFile, 'utf8')) as { files: Record<string, string> };
      for (const [rel, text] of Object.entries(old)) {
        mkdirSync(path.dirname(path.join(project, rel)), { recursive: true });
        writeFileSync(path.join(project, rel), text);
        state.files[rel] = contentHash(text);
      }
      writeFileSync(stateFile, JSON.stringify(state, null, 2));
      await bench.runCommand('Skene: Initialize');
      await bench.quickPick('Skene: what counts as a user being active?').waitFor({ timeout: 60_000 });
      await bench.page.keyboard.press('Enter');
      const review = bench.quickPick('Skene: Initialize');
      await review.waitFor({ timeout: 60_000 });
      await bench.page.keyboard.type('older Skene');
      const row = review.locator('.monaco-list-row', { hasText: 'older Skene' });
      await row.first().waitFor({ timeout: 10_000 });
      assert.equal(await row.count(), 1);
      assert.equal((await row.locator('.label-name').first().innerText()).trim(), "skene/sdk/ — an older Skene's vendored sources: 2 files to remove");
      await bench.page.keyboard.press('Control+A');
      await bench.page.keyboard.press('Backspace');
      await bench.page.keyboard.press('Enter');
      await waitFor('the old files removed', 30_000, () => Object.keys(old).every((rel) => !existsSync(path.join(project, rel))));
      await waitFor('the emptied folder removed', 10_000, () => !existsSync(path.join(project, 'skene/sdk/runtime')));
      assert.ok(existsSync(path.join(project, 'skene/sdk/index.js')), 'the current SDK stays');
      await waitFor('no plan diff tab left', 10_000, async () => (await bench.page.locator('.tabs-container .tab', { hasText: /\((planned change|new file|removed)\)/ }).count()) === 0);
    });
  });

  test('the status bar item opens the config; Restart Language Server brings its problems back', async () => {
    await step('status bar and restart', async () => {
      await bench.openFile('accounts/models.py');
      await bench.statusBarItem(/Skene: \d+ errors?/).click();
      await bench.page.locator('.tabs-container .tab.active', { hasText: 'skene.config.ts' }).waitFor({ timeout: 10_000 });
      await bench.runCommand('Skene: Restart Language Server');
      await waitFor('the restart in the Skene log', 30_000, () => /Restarting the Skene language server/.test(skeneLog()));
      // The old server stopping is not an error in the log.
      await waitFor('the old server stopped', 30_000, () => /language server stopped \(exit code 0\)/.test(skeneLog()));
      assert.doesNotMatch(skeneLog(), /\[error\].*(exited|Server process)/);
      await bench.page.keyboard.press('Control+Shift+M');
      await bench.problem('email_adress').first().waitFor({ timeout: 30_000 });
    });
  });

  test('the walkthrough shows the three steps: initialize, migrate, run', async () => {
    await step('walkthrough', async () => {
      await bench.runCommand('Welcome: Open Walkthrough');
      await bench.page.keyboard.type('Get started with Skene');
      await bench.page.locator('.quick-input-list .monaco-list-row.focused', { hasText: 'Get started with Skene' }).waitFor({ timeout: 20_000 });
      await bench.page.keyboard.press('Enter');
      const steps = bench.page.locator('.gettingStartedContainer .getting-started-step .step-title');
      await steps.first().waitFor({ timeout: 20_000 });
      await bench.screenshot('walkthrough');
      assert.deepEqual(await steps.allInnerTexts(), ['Initialize the loop', 'Migrate the database', 'Run the loop']);
    });
  });

  /** The visible Skene webview's page: VS Code nests it in two frames. */
  function webview() {
    return bench.page.frameLocator('iframe.webview.ready:visible').frameLocator('#active-frame');
  }

  /** Switches the colour theme with its picker (Ctrl+K Ctrl+T), as a person does. */
  async function colorTheme(name: 'Light Modern' | 'Dark Modern'): Promise<void> {
    const picker = bench.page.locator('.quick-input-widget input[aria-label^="Select Color Theme"]');
    for (let attempt = 0; attempt < 3 && !(await picker.isVisible()); attempt++) {
      await bench.page.locator('.tabs-container .tab.active').first().click();
      await bench.page.keyboard.press('Control+K');
      await bench.page.keyboard.press('Control+T');
      await picker.waitFor({ state: 'visible', timeout: 5_000 }).catch(() => undefined);
    }
    await bench.page.keyboard.type(name);
    await bench.page.locator('.quick-input-list .monaco-list-row.focused', { hasText: name }).waitFor({ timeout: 20_000 });
    await bench.page.keyboard.press('Enter');
    await bench.page.locator(name.startsWith('Dark') ? '.monaco-workbench.vs-dark' : '.monaco-workbench.vs').waitFor({ timeout: 20_000 });
    await bench.page.waitForTimeout(1500);
  }

  test('Skene: Show Report opens the report view on the seeded ledger: charts drawn, numbers of the ledger, dark and light', async () => {
    await step('report view', async () => {
      const loops = JSON.parse(readFileSync(path.join(project, 'skene_retention/loops.json'), 'utf8')) as { project: Parameters<typeof seedReportLedger>[1]; loops: Array<{ id: string }> };
      await seedReportLedger(databaseUrl, loops.project, loops.loops[0]!.id);
      await bench.runCommand('Skene: Show Report');
      const page = webview();
      await page.locator('body[data-rendered="true"]').waitFor({ timeout: 60_000 });
      // A view that rendered an error fails here with its text (and the Skene log), not 30 s later on a missing table.
      const viewError = page.locator('.error');
      if (await viewError.count()) assert.fail(`the report view shows an error: ${await viewError.first().innerText()}`);
      await colorTheme('Dark Modern');
      await page.locator('body.vscode-dark[data-rendered="true"]').waitFor({ timeout: 20_000 });
      const firstStep = page.locator('table.steps tbody tr').first();
      assert.deepEqual(
        [await firstStep.locator('[data-field="sent"]').getAttribute('data-value'), await firstStep.locator('[data-field="held"]').getAttribute('data-value'), await firstStep.locator('[data-field="sentConverted"]').getAttribute('data-value')],
        ['100', '50', '40'],
      );
      assert.ok((await page.locator('figure[data-chart="sends-per-day"] svg rect').count()) >= 1);
      assert.equal(await page.locator('figure[data-chart="lift"] svg [aria-label="area"] path').count(), 1);
      assert.deepEqual(await page.locator('table.skips tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-reason'))), ['suppressed', 'invalid_email', 'quiet_hours']);
      await bench.screenshot('report-view-dark');
      await colorTheme('Light Modern');
      await page.locator('body.vscode-light[data-rendered="true"]').waitFor({ timeout: 20_000 });
      await bench.screenshot('report-view-light');
      await colorTheme('Dark Modern');
    });
  });

  test('Skene: Preview Email beside the template: the runtime\'s email for a sample user, live as the template is typed, dark and light', async () => {
    await step('email preview', async () => {
      const template = readdirSync(path.join(project, 'templates/skene/emails')).find((file) => file.endsWith('.html'))!;
      await colorTheme('Dark Modern');
      await bench.openFile(`templates/skene/emails/${template}`);
      await bench.runCommand('Skene: Preview Email');
      const page = webview();
      await page.locator('body[data-rendered="true"]').waitFor({ timeout: 60_000 });
      const subject = await page.locator('[data-field="subject"]').innerText();
      assert.ok(subject.length > 0);
      assert.match(await page.locator('[data-field="header:List-Unsubscribe"]').innerText(), /^<https:\/\/example\.invalid\/skene\/unsubscribe\/\?l=/);
      assert.match(await page.locator('iframe.html-part').getAttribute('srcdoc') ?? '', /Ada/);
      // Typing in the template re-renders the preview (unsaved text).
      await bench.page.keyboard.press('Control+Home');
      await bench.page.keyboard.type('<p>Live edit for {{user.first_name}}</p>');
      await waitFor('the edit in the preview', 20_000, async () => /Live edit for Ada/.test((await page.locator('iframe.html-part').getAttribute('srcdoc')) ?? ''));
      await bench.screenshot('email-preview-dark');
      await colorTheme('Light Modern');
      await bench.screenshot('email-preview-light');
      await page.getByText('Mobile', { exact: true }).click();
      assert.equal(await page.locator('iframe.html-part').getAttribute('width'), '375');
    });
  });

  after(() => {
    if (process.env.SKENE_UPDATE_DOCS_IMAGES !== '1') return;
    const docsImages = path.join(repo, 'docs/images');
    mkdirSync(docsImages, { recursive: true });
    for (const file of readdirSync(screenshotDir).filter((f) => /^\d+-(initialize-review|problems|report-view-(dark|light)|email-preview-(dark|light))\.png$/.test(f))) {
      copyFileSync(path.join(screenshotDir, file), path.join(docsImages, `vscode-${file.replace(/^\d+-/, '')}`));
    }
  });
});
