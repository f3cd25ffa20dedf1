/**
 * Where a loop's email template lives, relative to one of the project's template directories
 * (Django's TEMPLATES[*].DIRS). The generator writes these files and both runtimes render them, so the
 * convention is defined once here. A template named 're_engagement' is `skene/emails/re_engagement.html`
 * (+ `.txt`).
 */
export const EMAIL_TEMPLATE_FOLDER = 'skene/emails';

export function emailTemplateFiles(name: string): { html: string; text: string } {
  return { html: `${EMAIL_TEMPLATE_FOLDER}/${name}.html`, text: `${EMAIL_TEMPLATE_FOLDER}/${name}.txt` };
}

/** Templates that `skene init` writes when they are missing, so a config may name them before Initialize runs. */
export const GENERATED_TEMPLATE_NAMES: readonly string[] = ['re_engagement', 'milestone'];
