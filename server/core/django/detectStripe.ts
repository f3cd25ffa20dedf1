import type { ModelField } from './models/classModels';
import type { ProjectFiles } from './projectFiles';
import type { StripeInfo } from './projectModel';
import type { Requirement } from './readRequirements';
import type { AppInfo } from './resolveInstalledApps';
import type { Binding } from './settings/readSettings';

const IMPORTS_STRIPE = /^[ \t]*(?:import[ \t]+stripe\b|from[ \t]+stripe(?:\.[\w.]+)?[ \t]+import\b)/m;
const CUSTOMER_FIELD_NAMES = ['stripe_customer_id', 'stripe_customer', 'customer_id', 'stripe_id'];

/**
 * The Stripe SDK imported anywhere in the project's Python, dj-stripe installed (and pinned), STRIPE_*
 * settings, and a column on the user that holds the customer id (a `stripe_customer_id`-like field or an
 * FK / one-to-one to djstripe's Customer).
 */
export function detectStripe(
  files: ProjectFiles,
  values: Map<string, Binding>,
  apps: AppInfo[],
  userFields: ModelField[],
  requirements: Map<string, Requirement>,
): StripeInfo {
  let sdkAt: StripeInfo['sdkAt'] = null;
  for (const rel of files.allFiles()) {
    if (!rel.endsWith('.py') || !files.mentions(rel, 'stripe')) continue;
    const line = files.textFact(rel, 'stripeImportLine', stripeImportLine);
    if (line !== null) {
      sdkAt = { file: rel, line };
      break;
    }
  }
  const installed = apps.some((a) => a.module === 'djstripe');
  const pinned = requirements.get('dj-stripe')?.version ?? null;
  return {
    sdk: sdkAt !== null,
    djstripe: installed ? (pinned ?? true) : false,
    customerIdField: customerColumn(userFields),
    sdkAt,
    settings: [...values.keys()].filter((k) => /^(STRIPE|DJSTRIPE)_/.test(k)).sort(),
  };
}

function stripeImportLine(text: string | null): number | null {
  const match = text ? IMPORTS_STRIPE.exec(text) : null;
  return text && match ? text.slice(0, match.index + match[0].length).split('\n').length : null;
}

function customerColumn(fields: ModelField[]): string | null {
  const toCustomer = fields.find((f) => {
    const target = f.decl?.target;
    if (!target) return false;
    const text = target.k === 'str' ? target.v : target.k === 'ref' ? target.path.join('.') : '';
    return /^djstripe\.(models\.)?(\w+\.)?Customer$/.test(text);
  });
  if (toCustomer) return toCustomer.column;
  for (const name of CUSTOMER_FIELD_NAMES) {
    const field = fields.find((f) => f.name === name && !f.decl?.relation);
    if (field) return field.column;
  }
  return null;
}
