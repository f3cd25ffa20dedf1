/**
 * Starter content for an email template a loop names but the project lacks (the "create the missing
 * template" quick fix). Uses the runtime's placeholders: `{{name}}` from personalization, `{{user.<column>}}`
 * from the user's row and `{{unsubscribe_url}}`, which every email must carry.
 */
export function emailTemplateStub(name: string, kind: 'html' | 'text', personalization: string[]): string {
  const greeting = personalization.includes('name') ? 'Hi {{name}},' : 'Hi,';
  if (kind === 'text') {
    return [greeting, '', `We miss you. Here is what changed since your last visit.`, '', `Unsubscribe: {{unsubscribe_url}}`, ''].join('\n');
  }
  return [
    '<!doctype html>',
    `<html lang="en">`,
    '<body>',
    `  <!-- ${name}: written by the Skene quick fix; edit freely. -->`,
    `  <p>${greeting}</p>`,
    '  <p>We miss you. Here is what changed since your last visit.</p>',
    '  <p><a href="{{unsubscribe_url}}">Unsubscribe</a></p>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
