import type { ModelField } from './models/classModels';
import type { ActivityInfo, EventsModelInfo } from './projectModel';
import type { ModelRecord } from './readModels';
import type { WriteSite } from './activityWrites';
import { isColumn } from './columnFields';

const EVENT_LIKE_NAME = /event|activit|action|log|visit|pageview|hit|track|login|session/i;
/**
 * Logs of what staff did (the user column is the actor or the subject, not someone using the product); a
 * report's actions (bookwyrm's ReportAction) are moderators' too.
 */
const STAFF_LOG_NAME = /audit|admin|staff|moderat|^report|abuse/i;
const TIME_NAMES = ['created_at', 'created', 'timestamp', 'occurred_at', 'happened_at', 'created_on', 'logged_at', 'at', 'time', 'date'];
const LAST_ACTIVITY = /^last_(activity|active|seen|request|action|visit)(_at|_on|_time|_date)?$/;
const TIME_TYPES = new Set(['DateTimeField', 'DateField']);

/** Who the user model is, so relations can be matched against it. */
export interface UserIdentity {
  /** "accounts.User" */
  label: string;
  /** Canonical dotted names of the user class, e.g. "accounts.models.User". */
  classNames: string[];
  appLabel: string;
}

/**
 * Models that can feed "last activity": a foreign key to the user plus an event timestamp. The events model is
 * the best such candidate with evidence that its rows are the user's own actions: a name that says events
 * (Event, Activity, PageView...; not an audit or staff log), a user column that is never empty and a timestamp
 * set when the row is written (auto_now_add). Each candidate says why it was or was not chosen (`why`); without
 * one, activity comes from the middleware. An Order with a created_at is a candidate but not an events table.
 */
export function detectActivity(records: ModelRecord[], user: UserIdentity, userFields: ModelField[], writes?: WriteFinder): ActivityInfo {
  const scored: Scored[] = [];
  const userKey = `${user.label}|${user.classNames.join(',')}`;
  for (const record of records) {
    let known = scores.get(record);
    if (known?.userKey !== userKey) {
      known = { userKey, scored: score(record, user) };
      scores.set(record, known);
    }
    if (known.scored) scored.push(known.scored);
  }
  sortCandidates(scored);
  const judged = writes ? scored.map((s) => withWriteEvidence(s, writes)) : scored;
  const lastActivity = userFields.find((f) => LAST_ACTIVITY.test(f.name));
  return {
    eventsModel: judged.find((s) => s.named)?.info ?? null,
    lastActivityField: lastActivity?.column ?? null,
    candidates: judged.map((s) => s.info),
  };
}

/** Where the project writes a model's rows with a user (activityWrites.ts), for a candidate and its user field. */
export type WriteFinder = (record: ModelRecord, userField: ModelField) => WriteSite[];

/**
 * A candidate with every other evidence counts only when the project's code writes its rows with a user: a log
 * whose user column is never set, or rows a feed importer writes, would make active users look dormant.
 */
function withWriteEvidence(scored: Scored, writes: WriteFinder): Scored {
  if (!scored.named) return scored;
  const sites = writes(scored.record, scored.userFk);
  const acting = sites.filter((s) => s.acting);
  const [first] = acting;
  if (!first) {
    const cls = scored.record.model.class;
    const field = scored.userFk.name;
    const seen = sites.length ? `; rows are written with another user (${sites.slice(0, 2).map(at).join(', ')})` : '';
    const why = `no code in the project writes its rows with the acting user (looked for ${cls}.objects.create(${field}=request.user), ${cls}(${field}=…), request.user.…create() and a serializer's save(${field}=…); tests and migrations do not count)${seen}`;
    return { ...scored, named: false, info: { ...scored.info, why } };
  }
  const more = acting.length > 1 ? ` and ${acting.length - 1} more` : '';
  return { ...scored, info: { ...scored.info, why: `${scored.info.why}; rows are written with the acting user at ${at(first)}${more}` } };
}

function at(site: WriteSite): string {
  return `${site.file}:${site.line} ${site.how}`;
}

/** The last candidates sorted: after an edit elsewhere the same scored objects come in, in the same order. */
let lastSort: { input: Scored[]; output: Scored[] } | null = null;

function sortCandidates(scored: Scored[]): void {
  const previous = lastSort;
  if (previous && previous.input.length === scored.length && previous.input.every((s, i) => s === scored[i])) {
    scored.splice(0, scored.length, ...previous.output);
    return;
  }
  const input = [...scored];
  scored.sort((a, b) => b.score - a.score || (a.info.table < b.info.table ? -1 : 1));
  lastSort = { input, output: [...scored] };
}

interface Scored {
  record: ModelRecord;
  userFk: ModelField;
  info: EventsModelInfo;
  score: number;
  named: boolean;
}

/** Per model record (records are reused while their class is unchanged), per user model. */
const scores = new WeakMap<ModelRecord, { userKey: string; scored: Scored | null }>();

function score(record: ModelRecord, user: UserIdentity): Scored | null {
  if (`${record.model.app}.${record.model.class}` === user.label) return null;
  const userFk = record.fields.filter(isColumn).find((f) => f.decl?.relation && pointsAtUser(f, record, user));
  const time = userFk ? timeField(record.fields) : undefined;
  if (!userFk || !time) return null;
  const doubt = doubtAbout(record.model.class, userFk, time);
  const points = (EVENT_LIKE_NAME.test(record.model.class) ? 4 : 0) + (time.decl?.autoNowAdd || time.decl?.defaultNow ? 2 : 0) + (TIME_NAMES.includes(time.name) ? 1 : 0);
  const { app, class: cls, table } = record.model;
  const why = doubt ?? `${userFk.column} is set on every row and ${time.column} when the row is written (${time.decl?.autoNowAdd ? 'auto_now_add' : 'default=now'})`;
  return { record, userFk, info: { app, class: cls, table, userField: userFk.column, timeField: time.column, why }, score: points, named: doubt === null };
}

/** Why rows of this model may not be the user's own activity, or null when the evidence is there. */
function doubtAbout(className: string, userFk: ModelField & { column: string }, time: ModelField & { column: string }): string | null {
  if (STAFF_LOG_NAME.test(className)) return "its name says it records staff or admin actions, not the user's own";
  if (userFk.decl?.null) return `${userFk.column} may be empty (null=True), so rows may not say whose activity they are`;
  if (!time.decl?.autoNowAdd && !time.decl?.defaultNow) return `${time.column} is not set when the row is written (no auto_now_add or default=now), so it may not be the time of the user's action`;
  if (!EVENT_LIKE_NAME.test(className)) return 'its name does not say it records events';
  return null;
}

function timeField(fields: ModelField[]): (ModelField & { column: string }) | undefined {
  const times = fields.filter(isColumn).filter((f) => TIME_TYPES.has(f.type));
  return times.find((f) => f.decl?.autoNowAdd || f.decl?.defaultNow) ?? TIME_NAMES.map((n) => times.find((f) => f.name === n)).find(Boolean);
}

export function pointsAtUser(field: ModelField, record: ModelRecord, user: UserIdentity): boolean {
  const target = field.decl?.target;
  if (!target) return false;
  if (target.k === 'str') {
    const full = target.v.includes('.') ? target.v : `${record.model.app}.${target.v}`;
    return full.toLowerCase() === user.label.toLowerCase();
  }
  if (target.k === 'ref') {
    const name = target.path.join('.');
    return name === 'django.conf.settings.AUTH_USER_MODEL' || user.classNames.includes(name);
  }
  if (target.k === 'call' && target.fn.k === 'ref') return target.fn.path.join('.') === 'django.contrib.auth.get_user_model';
  return false;
}
