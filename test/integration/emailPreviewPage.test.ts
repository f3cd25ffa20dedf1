// The email preview page in headless chromium, for the preview vectors' users: the HTML frame holds exactly the
// runtime's rendered body (and juice's inlined variant when asked), the envelope shows the runtime's subject and
// List-Unsubscribe header, the text part sits beside it, the warnings are listed, the widths switch, and the page
// (CSP: nonce scripts, no network) requests nothing — not even the email's remote image.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { readPageAssets } from '../../cli/report/webviewAssets';
import type { ManifestStep } from '../../sdk/runtime/manifest';
import { inlineCss } from '../../server/core/preview/mailWarnings';
import { pageHtml } from '../../webview/pageShell';
import { CHROMIUM_ARGS } from '../e2e/workbench';
import { makeTempDir, removeTempDir } from '../helpers/tempDir';
import { testManifest } from '../unit/runtime/fixtures/runtimeFixture';
import { previewEmail } from '../../server/core/preview/emailPreview';

interface PreviewCase { name: string; user: Record<string, unknown>; loopId: string; unsubscribeBaseUrl: string; secret: string; step: ManifestStep; body: string; warnings: string[] }
const { cases } = JSON.parse(readFileSync(path.join(__dirname, '..', 'vectors', 'preview.json'), 'utf8')) as { cases: PreviewCase[] };

describe('email preview page in headless chromium', { timeout: 120_000 }, () => {
  let browser: Browser;
  let dir: string;
  // Chromium reports request events (with varying failure texts) for images its CSP refuses before any network, so
  // what counts is what reached the network layer.
  const reachedNetwork: string[] = [];

  before(async () => {
    dir = await makeTempDir('skene-preview-page-');
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  });
  after(async () => {
    await browser?.close();
    if (dir) await removeTempDir(dir);
  });

  async function open(c: PreviewCase, index: number): Promise<Page> {
    const loop = testManifest({ id: c.loopId, unsubscribeUrl: c.unsubscribeBaseUrl, steps: [c.step] });
    const email = previewEmail({ loop, step: 0, user: c.user, secret: c.secret });
    const preview = { ...email, inlinedHtml: inlineCss(email.html), choices: [{ loopId: c.loopId, step: 0, template: 'winback' }], user: { kind: 'sample', id: email.userId }, files: { html: 'a.html', text: 'a.txt' }, notes: [] };
    const assets = readPageAssets('preview');
    const file = path.join(dir, `preview-${index}.html`);
    writeFileSync(file, pageHtml({ title: 'preview', nonce: `n${index}abc`, allowInlineStyles: true, scripts: [{ inline: assets.script }], styles: [{ inline: assets.style }], data: { type: 'preview', preview, trusted: true } }));
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const remote = (url: string) => !url.startsWith('file:') && !url.startsWith('about:') && !url.startsWith('data:');
    // Playwright's routing sits at the network layer, after the renderer's CSP check: a request the policy refused
    // never gets here, so anything routed is something that would have left the machine. It is aborted, not fetched.
    await page.route((url) => remote(url.href), async (route) => {
      reachedNetwork.push(route.request().url());
      await route.abort();
    });
    await page.goto(`file://${file}`);
    await page.waitForSelector('body[data-rendered="true"]');
    if (process.env.SKENE_SCREENSHOTS) await page.screenshot({ path: path.join(process.env.SKENE_SCREENSHOTS, `preview-${index}.png`) });
    return page;
  }

  for (const [index, c] of cases.entries()) {
    test(`${c.name}: the frame holds the runtime's body; envelope, text part and warnings match`, async () => {
      const page = await open(c, index);
      const sent = JSON.parse(c.body) as { subject: string; html: string; text: string; headers: Record<string, string> };
      const srcdoc = () => page.$eval('iframe.html-part', (frame) => (frame as unknown as { srcdoc: string }).srcdoc);
      const shown = {
        srcdoc: await srcdoc(),
        subject: await page.textContent('[data-field="subject"]'),
        unsubscribe: await page.textContent('[data-field="header:List-Unsubscribe"]'),
        text: await page.textContent('pre.text-part'),
        warnings: await page.$$eval('.messages .warning', (items) => items.map((li) => li.getAttribute('data-code'))),
        // The sandbox gives the frame an opaque origin: the page cannot reach into the email (nor the email out).
        frameBody: await page.$eval('iframe.html-part', (frame) => (frame as unknown as { contentDocument: unknown }).contentDocument),
      };
      assert.deepEqual(shown, { srcdoc: sent.html, subject: sent.subject, unsubscribe: sent.headers['List-Unsubscribe'], text: sent.text || '(empty)', warnings: c.warnings, frameBody: null });
      await page.getByText('Mobile', { exact: true }).click();
      assert.equal(await page.getAttribute('iframe.html-part', 'width'), '375');
      await page.getByText('CSS inlined', { exact: true }).click();
      assert.equal(await srcdoc(), inlineCss(sent.html));
      await page.close();
    });
  }

  test('the network check itself sees an image a page without the policy loads', async () => {
    const file = path.join(dir, 'no-policy.html');
    writeFileSync(file, '<!doctype html><img src="https://cdn.example.com/control.png">');
    const page = await browser.newPage();
    const routed: string[] = [];
    await page.route((url) => url.protocol.startsWith('http'), async (route) => { routed.push(route.request().url()); await route.abort(); });
    await page.goto(`file://${file}`);
    await page.waitForLoadState('load');
    await page.close();
    assert.deepEqual(routed, ['https://cdn.example.com/control.png']);
  });

  test('nothing reached the network (the email\'s remote images included)', () => {
    assert.deepEqual(reachedNetwork, []);
  });
});
