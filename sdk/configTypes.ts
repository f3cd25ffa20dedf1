// The input types of the loop schema (./schema.ts), spelled out so that they name no zod type: the built sdk's
// declarations then type skene.config.ts before zod is installed. Written by scripts/sdkConfigTypes.ts; do not edit.
export type LoopConfig = {
  type: 'retention' | 'milestone';
  steps: {
    action: {
      type: 'email';
      template: string;
      provider?: 'resend' | 'smtp' | 'log' | undefined;
      subject?: string | undefined;
      from?: string | undefined;
      replyTo?: string | undefined;
      personalization?: Record<string, string> | undefined;
    };
    id?: string | undefined;
    delay?: string | undefined;
    trigger?: {
      type: 'schedule';
      cron: string;
      timezone?: string | undefined;
    } | undefined;
    condition?: {
      type: 'query';
      query: string;
      timeout?: string | undefined;
    } | undefined;
  }[];
  id?: string | undefined;
  opinion?: string | undefined;
  audience?: 'all' | 'paying' | 'churn_risk' | 'free' | undefined;
  exit?: {
    onActivity?: boolean | undefined;
    query?: string | undefined;
  } | undefined;
  recovery?: {
    retries?: number | undefined;
    backoff?: 'exponential' | 'fixed' | undefined;
    baseDelay?: string | undefined;
    maxDelay?: string | undefined;
  } | undefined;
  tracking?: {
    conversionWindow?: string | undefined;
    holdout?: number | undefined;
  } | undefined;
  frequencyCap?: {
    max?: number | undefined;
    per?: string | undefined;
  } | undefined;
  globalCap?: {
    perDay?: number | undefined;
    perWeek?: number | undefined;
  } | undefined;
  milestone?: string | undefined;
  quietHours?: {
    start: string;
    end: string;
    timezone?: string | undefined;
  } | undefined;
};
export type StepConfig = {
  action: {
    type: 'email';
    template: string;
    provider?: 'resend' | 'smtp' | 'log' | undefined;
    subject?: string | undefined;
    from?: string | undefined;
    replyTo?: string | undefined;
    personalization?: Record<string, string> | undefined;
  };
  id?: string | undefined;
  delay?: string | undefined;
  trigger?: {
    type: 'schedule';
    cron: string;
    timezone?: string | undefined;
  } | undefined;
  condition?: {
    type: 'query';
    query: string;
    timeout?: string | undefined;
  } | undefined;
};
export type TriggerConfig = {
  type: 'schedule';
  cron: string;
  timezone?: string | undefined;
};
export type ConditionConfig = {
  type: 'query';
  query: string;
  timeout?: string | undefined;
};
export type ActionConfig = {
  type: 'email';
  template: string;
  provider?: 'resend' | 'smtp' | 'log' | undefined;
  subject?: string | undefined;
  from?: string | undefined;
  replyTo?: string | undefined;
  personalization?: Record<string, string> | undefined;
};
export type EmailActionConfig = {
  type: 'email';
  template: string;
  provider?: 'resend' | 'smtp' | 'log' | undefined;
  subject?: string | undefined;
  from?: string | undefined;
  replyTo?: string | undefined;
  personalization?: Record<string, string> | undefined;
};
