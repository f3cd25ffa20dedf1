/**
 * What Initialize's questions and review say, in one place (no vscode import) so the walkthrough's description
 * of Initialize is checked against the words the user really sees (test/unit/extension/walkthroughText.test.ts).
 */
export const AGENT_FILES_TITLE = 'Skene: also write instructions for coding agents?';

/** Short enough to read whole in the quick pick's input at its default width. */
export const REVIEW_PLACEHOLDER = 'Enter writes the ticked files · Escape writes nothing';
