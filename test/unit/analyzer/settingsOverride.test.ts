import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { analyzeProject } from '../../../server/core/django/analyzeProject';
import { cliAnalyzeOptions } from '../../../cli/analyzeOptions';

const EXAMPLE = path.resolve(__dirname, '../../../examples/saas');

test('a settings-module override replaces what manage.py declares (editor setting, DJANGO_SETTINGS_MODULE in the CLI)', async () => {
  const declared = await analyzeProject(EXAMPLE);
  const overridden = await analyzeProject(EXAMPLE, cliAnalyzeOptions({ DJANGO_SETTINGS_MODULE: ' config.settings.prod ' }));
  assert.deepEqual(
    [declared.settings.module, declared.settings.files, overridden.settings.module, overridden.settings.files],
    ['config.settings.dev', ['config/settings/base.py', 'config/settings/dev.py'], 'config.settings.prod', ['config/settings/base.py', 'config/settings/prod.py']],
  );
  assert.deepEqual(cliAnalyzeOptions({}), { settingsModule: null, projectPath: null });
  assert.deepEqual(cliAnalyzeOptions({ SKENE_PROJECT: ' backend ' }), { settingsModule: null, projectPath: 'backend' });
});
