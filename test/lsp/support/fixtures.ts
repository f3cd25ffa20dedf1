/** Config texts for the LSP tests (the seed config of the product card, and a clean loop for examples/saas). */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

export const SEED_CONFIG = readFileSync(path.resolve(__dirname, '../../fixtures/configs/seed.skene.config.ts'), 'utf8');

/** A loop with no problems against examples/saas (accounts_user, first_name, a template that exists is not needed: info only). */
export const CLEAN_CONFIG = `import { defineLoop } from '@skene/sdk';
export default defineLoop({
  id: 'dormant-users',
  type: 'retention',
  steps: [{
    trigger: { type: 'schedule', cron: '0 9 * * *' },
    condition: { type: 'query', query: \`SELECT id, email, first_name FROM accounts_user WHERE last_login < NOW() - INTERVAL '7 days'\`, timeout: '10m' },
    action: { type: 'email', provider: 'log', template: 're_engagement', personalization: { name: '{{user.first_name}}' } },
  }],
});
`;
