import type { EmailInfo, UnresolvedFact } from './projectModel';
import type { Binding } from './settings/readSettings';
import { asString, envReads } from './settings/settingsValues';

const DJANGO_DEFAULT_BACKEND = 'django.core.mail.backends.smtp.EmailBackend';
const PROVIDER_KEY_ENV = /RESEND|SENDGRID|POSTMARK|MAILGUN|MAILJET|BREVO|SENDINBLUE|SPARKPOST|MANDRILL|AWS_SES|SES_|EMAIL_HOST_PASSWORD|ANYMAIL/;
const EMAIL_SETTING = /^(EMAIL_|ANYMAIL|RESEND|SENDGRID|POSTMARK|MAILGUN|AWS_SES)/;
const ANYMAIL_NAMES: Record<string, string> = { amazon_ses: 'ses', sendinblue: 'brevo' };
const SMTP_HOSTS: Array<[RegExp, string]> = [
  [/resend/, 'resend'],
  [/sendgrid/, 'sendgrid'],
  [/postmark/, 'postmark'],
  [/mailgun/, 'mailgun'],
  [/amazonaws/, 'ses'],
];

/** EMAIL_BACKEND (Django's SMTP default when unset), the provider behind it, and the env vars holding its keys. */
export function detectEmail(values: Map<string, Binding>): { email: EmailInfo; unresolved: UnresolvedFact[] } {
  const unresolved: UnresolvedFact[] = [];
  const binding = values.get('EMAIL_BACKEND');
  const backend = binding ? asString(binding.value) : DJANGO_DEFAULT_BACKEND;
  if (binding && backend === null) {
    unresolved.push({ file: binding.file, line: binding.loc.line, message: 'EMAIL_BACKEND is computed (or read from env without a default); the email provider is unknown' });
  }
  const apiKeyEnv = new Set<string>();
  for (const [name, setting] of values) {
    if (!EMAIL_SETTING.test(name)) continue;
    for (const read of envReads(setting.value)) if (PROVIDER_KEY_ENV.test(read.name)) apiKeyEnv.add(read.name);
  }
  const host = asString(values.get('EMAIL_HOST')?.value);
  const email: EmailInfo = {
    backend,
    provider: backend ? providerOf(backend, host) : null,
    defaultFromEmail: asString(values.get('DEFAULT_FROM_EMAIL')?.value),
    apiKeyEnv: [...apiKeyEnv].sort(),
  };
  return { email, unresolved };
}

function providerOf(backend: string, host: string | null): string | null {
  const anymail = /anymail\.backends\.(\w+)/.exec(backend)?.[1];
  if (anymail) return ANYMAIL_NAMES[anymail] ?? anymail;
  if (/resend/i.test(backend)) return 'resend';
  if (/^django_ses\b/.test(backend)) return 'ses';
  if (/sendgrid/i.test(backend)) return 'sendgrid';
  if (/postmark/i.test(backend)) return 'postmark';
  if (/mailgun/i.test(backend)) return 'mailgun';
  if (/\.smtp\./.test(backend)) return SMTP_HOSTS.find(([re]) => re.test(host ?? ''))?.[1] ?? 'smtp';
  const django = /^django\.core\.mail\.backends\.(\w+)\./.exec(backend)?.[1];
  if (django) return django === 'filebased' ? 'file' : django;
  return null;
}
