// The preview's golden vectors (test/vectors/preview.json): the sample user from field types, and the preview's
// email equal to the runtime's body for that user; test_preview_vectors.py checks the Python runtime renders the
// same bytes.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { emailBody } from '../../../sdk/runtime/emailBody';
import type { ManifestStep } from '../../../sdk/runtime/manifest';
import type { DjangoField } from '../../../server/core/django/projectModel';
import { previewEmail } from '../../../server/core/preview/emailPreview';
import { sampleUserRow } from '../../../server/core/preview/sampleUser';
import { testManifest } from '../runtime/fixtures/runtimeFixture';

interface PreviewCase {
  name: string;
  fields?: DjangoField[];
  user: Record<string, unknown>;
  loopId: string;
  userId: string;
  email: string;
  unsubscribeBaseUrl: string;
  secret: string;
  step: ManifestStep;
  body: string;
  warnings: string[];
}

const { cases } = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'vectors', 'preview.json'), 'utf8')) as { cases: PreviewCase[] };

for (const c of cases) {
  test(`preview vector: ${c.name}`, () => {
    if (c.fields) assert.deepEqual(sampleUserRow(c.fields), c.user);
    const loop = testManifest({ id: c.loopId, unsubscribeUrl: c.unsubscribeBaseUrl, steps: [c.step] });
    const preview = previewEmail({ loop, step: 0, user: c.user, secret: c.secret });
    const runtime = emailBody({ loopId: c.loopId, userId: c.userId, email: c.email, from: c.step.from, replyTo: c.step.replyTo, subject: c.step.subject, html: c.step.html, text: c.step.text, personalization: c.step.personalization, user: c.user, unsubscribeBaseUrl: c.unsubscribeBaseUrl, secret: c.secret });
    const sent = JSON.parse(c.body) as { subject: string; html: string; text: string; headers: Record<string, string> };
    assert.equal(runtime, c.body);
    assert.deepEqual({ body: preview.body, subject: preview.subject, html: preview.html, text: preview.text, headers: preview.headers }, { body: c.body, subject: sent.subject, html: sent.html, text: sent.text, headers: sent.headers });
    assert.deepEqual(preview.warnings.map((w) => w.code), c.warnings);
  });
}
