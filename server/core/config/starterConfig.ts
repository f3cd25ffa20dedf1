/** The config offered by the "add a loop" fix of an empty or exportless skene.config.ts. */
export function starterConfig(userTable: string): string {
  return [
    "import { defineLoop } from '@skene/sdk';",
    '',
    'export default defineLoop({',
    "  id: 'dormant-users',",
    "  type: 'retention',",
    '  steps: [{',
    "    trigger: { type: 'schedule', cron: '0 9 * * *' },",
    `    condition: { type: 'query', query: \`SELECT id, email FROM ${userTable} WHERE is_active\`, timeout: '10m' },`,
    "    action: { type: 'email', provider: 'log', template: 're_engagement' },",
    '  }],',
    '});',
    '',
  ].join('\n');
}
