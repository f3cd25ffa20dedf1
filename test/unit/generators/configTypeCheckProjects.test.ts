/**
 * The config `skene init` writes for each analyzer fixture project (test/fixtures/projects) type-checks right
 * after Initialize, before any `npm install` (configTypeCheck.test.ts covers examples/saas and the init fixtures,
 * with the controls).
 */
import { configTypeChecksIn, fixtureProjects, workFolder } from './configTypeKit';

const projects = fixtureProjects('test/fixtures/projects');
configTypeChecksIn('the generated skene.config.ts type-checks before npm install (analyzer fixtures)', projects, workFolder(), projects.length - 2);
