/**
 * The environment `skene run --help` lists (docs/cli.md has the same table). Its own module, importing one
 * constant, because `skene --help` loads it and must stay light.
 */
import { RESEND_DEFAULT_BASE_URL } from '../../sdk/runtime/providers/resendProvider';

export const RUN_ENVIRONMENT_HELP = `
Environment:
  DATABASE_URL           PostgreSQL URL of the Django database (required)
  SKENE_EMAIL_PROVIDER   overrides the config's provider: resend | smtp | log (log prints each email)
  RESEND_API_KEY         Resend API key (required to send with resend)
  RESEND_BASE_URL        Resend API base URL (default ${RESEND_DEFAULT_BASE_URL})
  SMTP_URL               smtp://user:password@host:587 (smtps:// for implicit TLS), for the smtp provider
  SMTP_HOST, SMTP_PORT, SMTP_USER, SMTP_PASSWORD, SMTP_SECURE
                         the same as separate variables (SMTP_SECURE=true: TLS from the start, port 465)
  SKENE_SECRET           signs the unsubscribe link in every email (required to send; same value as the Django side)
  SKENE_UNSUBSCRIBE_URL  public URL of /skene/unsubscribe/ (required to send with resend)
  DEFAULT_FROM_EMAIL     sender for steps without \`from\` (default: the Django setting)

Exit codes: 0 ok, 1 a run failed (or the config has errors), 2 usage (a missing variable, no config).
`;
