/**
 * A test email says so: "[TEST] " before the subject and an `X-Skene-Test: true` header, so neither the tester nor
 * a mail filter can take it for a real send. The JSON keeps the runtime body's key order.
 */
export const TEST_SUBJECT_PREFIX = '[TEST] ';
export const TEST_HEADER = 'X-Skene-Test';

export function markAsTest(body: string): string {
  const email = JSON.parse(body) as { subject: string; headers?: Record<string, string> };
  email.subject = `${TEST_SUBJECT_PREFIX}${email.subject}`;
  email.headers = { ...email.headers, [TEST_HEADER]: 'true' };
  return JSON.stringify(email);
}
