/**
 * Where a project's Stripe subscription states can be read, chosen from the ProjectModel: dj-stripe's
 * tables when dj-stripe is installed (it is the sync of Stripe itself), else the project's own subscription
 * table. A customer id on the user alone says who has a Stripe customer, not who pays: then there is no
 * source, and the reason names what is missing.
 */
import type { DjangoModel, ProjectModel, SubscriptionModelInfo } from '../django/projectModel';
import { djstripeLayout, type DjstripeLayout } from './djstripeLayout';

export interface UserKey {
  table: string;
  id: string;
}

export type StripeSource =
  | { kind: 'djstripe'; layout: DjstripeLayout; user: UserKey }
  | { kind: 'project-table'; model: SubscriptionModelInfo; user: UserKey; userCustomerIdField: string | null };

export type MissingStripeData = 'stripe' | 'subscription-table' | 'subscriber-model' | 'user-model';

export type StripeSourceResult = { ok: true; source: StripeSource } | { ok: false; missing: MissingStripeData; reason: string };

const ID_TYPES = new Set(['AutoField', 'BigAutoField', 'SmallAutoField', 'UUIDField']);

/** The user table and its primary key column (the same choice as the generators' loop target). */
export function userKey(model: DjangoModel): UserKey {
  const id = model.fields.find((f) => f.name === 'id')?.column ?? model.fields.find((f) => ID_TYPES.has(f.type))?.column ?? 'id';
  return { table: model.table, id };
}

function sameModel(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

export function resolveStripeSource(project: ProjectModel): StripeSourceResult {
  const { stripe } = project;
  if (!project.userModel) {
    return { ok: false, missing: 'user-model', reason: `the user model ${project.authUserModel} was not found, so there is no user table to filter` };
  }
  const user = userKey(project.userModel);
  if (stripe.djstripe !== false) {
    const subscriber = stripe.djstripeSubscriberModel;
    if (subscriber && !sameModel(subscriber, project.authUserModel)) {
      return {
        ok: false,
        missing: 'subscriber-model',
        reason: `DJSTRIPE_SUBSCRIBER_MODEL is ${subscriber}, so djstripe_customer.subscriber_id holds ${subscriber} ids, not ids of the user model ${project.authUserModel}`,
      };
    }
    return { ok: true, source: { kind: 'djstripe', layout: djstripeLayout(stripe), user } };
  }
  const model = stripe.subscriptionModel;
  if (model) return { ok: true, source: { kind: 'project-table', model, user, userCustomerIdField: stripe.customerIdField } };
  const userLabel = `${project.userModel.app}.${project.userModel.class}`;
  if (stripe.customerIdField) {
    return {
      ok: false,
      missing: 'subscription-table',
      reason: `${userLabel}.${stripe.customerIdField} holds a Stripe customer id, which says who has a Stripe customer but not who pays: no model stores subscription statuses (a Subscription model with a status field and a foreign key to the user or a customer-id column), and dj-stripe is not in INSTALLED_APPS`,
    };
  }
  return {
    ok: false,
    missing: 'stripe',
    reason: 'the project has no Stripe data to filter on: dj-stripe is not in INSTALLED_APPS, no model stores subscription statuses (a Subscription model with a status field and a foreign key to the user), and the user model has no Stripe customer id',
  };
}
