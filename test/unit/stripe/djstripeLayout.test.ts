import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { StripeInfo } from '../../../server/core/django/projectModel';
import { djstripeLayout, versionRange } from '../../../server/core/stripe/djstripeLayout';

const UNKNOWN_VERSION = 'the dj-stripe version (pin it with == in requirements)';
const UNKNOWN_KEY = 'DJSTRIPE_FOREIGN_KEY_TO_FIELD (set it to a literal "id" or "djstripe_id")';

function layout(stripe: Partial<StripeInfo>) {
  return djstripeLayout({ sdk: false, djstripe: true, customerIdField: null, ...stripe });
}

describe('dj-stripe layout from the version the project names', () => {
  const cases: Array<[string, Partial<StripeInfo>, ReturnType<typeof djstripeLayout>]> = [
    ['2.10.0 pinned, key "id": JSON, id', { djstripe: '2.10.0', djstripeForeignKeyToField: 'id' }, { columns: 'json', customerKey: 'id', unknown: [] }],
    ['2.11.0 pinned, key "djstripe_id"', { djstripe: '2.11.0', djstripeForeignKeyToField: 'djstripe_id' }, { columns: 'json', customerKey: 'djstripe_id', unknown: [] }],
    ['2.9.2 pinned: columns', { djstripe: '2.9.2', djstripeForeignKeyToField: 'id' }, { columns: 'columns', customerKey: 'id', unknown: [] }],
    ['2.3.0 pinned: columns, FK to the primary key whatever the settings say', { djstripe: '2.3.0', djstripeForeignKeyToField: 'id' }, { columns: 'columns', customerKey: 'djstripe_id', unknown: [] }],
    ['>=2.10 range: JSON', { djstripeSpec: '>=2.10', djstripeForeignKeyToField: 'id' }, { columns: 'json', customerKey: 'id', unknown: [] }],
    ['<2.10 range: columns', { djstripeSpec: '>=2.7,<2.10', djstripeForeignKeyToField: 'id' }, { columns: 'columns', customerKey: 'id', unknown: [] }],
    ['<=2.9.2: columns', { djstripeSpec: '<=2.9.2', djstripeForeignKeyToField: 'id' }, { columns: 'columns', customerKey: 'id', unknown: [] }],
    ['~=2.9 allows 2.10: both', { djstripeSpec: '~=2.9', djstripeForeignKeyToField: 'id' }, { columns: 'either', customerKey: 'id', unknown: [UNKNOWN_VERSION] }],
    ['unpinned, no setting: both, both keys', {}, { columns: 'either', customerKey: 'either', unknown: [UNKNOWN_VERSION, UNKNOWN_KEY] }],
    ['setting not a known column', { djstripe: '2.10.4', djstripeForeignKeyToField: 'stripe_id' }, { columns: 'json', customerKey: 'either', unknown: [UNKNOWN_KEY] }],
  ];
  for (const [name, stripe, expected] of cases) {
    test(name, () => assert.deepEqual(layout(stripe), expected));
  }

  test('version ranges: == pins both ends, != is ignored, Poetry caret is a lower bound', () => {
    assert.deepEqual(versionRange('==2.9.2'), { low: [2, 9, 2], high: [2, 9, 2], highInclusive: true });
    assert.deepEqual(versionRange('>=2.8,!=2.9.0,<2.10'), { low: [2, 8], high: [2, 10], highInclusive: false });
    assert.deepEqual(versionRange('^2.10'), { low: [2, 10], high: null, highInclusive: false });
  });
});
