import { findSubscriptionModel, type SubscriptionSearch } from '../stripe/findSubscriptionModel';
import type { ModelField } from './models/classModels';
import type { ProjectFiles } from './projectFiles';
import type { StripeInfo } from './projectModel';
import type { Requirement } from './readRequirements';
import type { AppInfo } from './resolveInstalledApps';
import type { Binding } from './settings/readSettings';
import { asString } from './settings/settingsValues';

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
  subscriptions?: Omit<SubscriptionSearch, 'userCustomerIdField'>,
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
  const requirement = requirements.get('dj-stripe');
  const pinned = requirement?.version ?? null;
  const customerIdField = customerColumn(userFields);
  return {
    sdk: sdkAt !== null,
    djstripe: installed ? (pinned ?? true) : false,
    customerIdField,
    sdkAt,
    settings: [...values.keys()].filter((k) => /^(STRIPE|DJSTRIPE)_/.test(k)).sort(),
    // Stripe audiences (server/core/stripe) pick their SQL from these: which dj-stripe table layout, how
    // subscriptions join customers, whose id Customer.subscriber holds, or the project's own table.
    // Only present when known, so projects without them keep the shape `skene analyze` always printed.
    ...present({
      djstripeSpec: installed && !pinned && requirement?.spec ? requirement.spec : null,
      djstripeForeignKeyToField: installed ? asString(values.get('DJSTRIPE_FOREIGN_KEY_TO_FIELD')?.value) : null,
      djstripeSubscriberModel: installed ? asString(values.get('DJSTRIPE_SUBSCRIBER_MODEL')?.value) : null,
      subscriptionModel: subscriptions ? findSubscriptionModel({ ...subscriptions, userCustomerIdField: customerIdField }) : null,
    }),
  };
}

function present<T extends object>(facts: T): Partial<T> {
  return Object.fromEntries(Object.entries(facts).filter(([, value]) => value !== null)) as Partial<T>;
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
