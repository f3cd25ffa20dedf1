/** Public surface of the config checker for the CLI and the language server. */
export { checkConfig } from './checkConfig';
export type { CheckResult, ParsedLoop } from './checkConfig';
export type { CheckOptions } from './checkOptions';
export type { Issue, IssueCode, IssueData, IssueFix, Severity, TextEdit } from './issue';
export { ISSUE_CODES } from './issue';
export type { Position, Range } from './textIndex';
export { TextIndex } from './textIndex';
export { loadSqlParser, isSqlParserReady } from './sql/sqlParser';
export { describeCron, validateCron, isValidTimeZone } from './describeCron';
export type { CronDescription } from './describeCron';
export { nodeAtOffset } from './nodeAtOffset';
export type { NodeHit } from './nodeAtOffset';
export { schemaAtPath, objectKeys, enumValues, schemaDescription } from './schemaIntrospection';
export { knownTables } from './knownTables';
export type { KnownTable, KnownTables } from './knownTables';
export type { ValueNode, ObjectNode, ArrayNode, StringNode, PropertyNode, PathSegment, Span, Loc } from './valueTree';
export { valueAt, stringAt, propertyOf, stringOffset } from './valueTree';
