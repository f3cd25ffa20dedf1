/**
 * The text of sdk/configTypes.ts: the types skene.config.ts is written against (LoopConfig and its parts), spelled
 * out from the zod schema by the TypeScript checker, so they name no zod type. sdk/types.ts exports these, so the
 * built sdk's index.d.ts (scripts/buildSdkPackage.mjs) types `defineLoop` without zod, and the config type-checks
 * in a project before the runner's `npm install` has fetched zod. `npx tsx scripts/sdkConfigTypes.ts` rewrites
 * the file; test/unit/generators/configTypeCheck.test.ts fails when it is stale, and `npm run typecheck` when the
 * types differ from the schema's.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** Each config type and the schema whose input it is. */
export const CONFIG_TYPES = {
  LoopConfig: 'loopSchema',
  StepConfig: 'stepSchema',
  TriggerConfig: 'triggerSchema',
  ConditionConfig: 'conditionSchema',
  ActionConfig: 'actionSchema',
  EmailActionConfig: 'emailActionSchema',
} as const;

const HEADER = `// The input types of the loop schema (./schema.ts), spelled out so that they name no zod type: the built sdk's
// declarations then type skene.config.ts before zod is installed. Written by scripts/sdkConfigTypes.ts; do not edit.
`;

export function configTypesDeclaration(sdkDir: string): string {
  const entry = path.join(sdkDir, '__configTypes.ts');
  const text =
    `import type { z } from 'zod';\nimport type { ${Object.values(CONFIG_TYPES).join(', ')} } from './schema';\n` +
    Object.entries(CONFIG_TYPES).map(([name, schema]) => `export type __${name} = z.input<typeof ${schema}>;\n`).join('');
  const options: ts.CompilerOptions = { strict: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, skipLibCheck: true, noEmit: true };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.readFile = (file) => (path.resolve(file) === entry ? text : readFile(file));
  host.fileExists = (file) => path.resolve(file) === entry || fileExists(file);
  const program = ts.createProgram([entry], options, host);
  const source = program.getSourceFile(entry);
  if (!source) throw new Error(`cannot read ${entry}`);
  const checker = program.getTypeChecker();
  const flags = ts.NodeBuilderFlags.NoTruncation | ts.NodeBuilderFlags.InTypeAlias | ts.NodeBuilderFlags.MultilineObjectLiterals;
  const printer = ts.createPrinter({ newLine: ts.NewLineKind.LineFeed });
  const aliases = source.statements.filter(ts.isTypeAliasDeclaration).map((alias) => {
    const node = checker.typeToTypeNode(checker.getTypeAtLocation(alias.name), undefined, flags);
    if (!node) throw new Error(`cannot spell out ${alias.name.text}`);
    // The printer indents by four spaces and quotes with double quotes; the sources use two and single quotes.
    const printed = printer
      .printNode(ts.EmitHint.Unspecified, node, source)
      .replace(/^(?: {4})+/gm, (indent) => ' '.repeat(indent.length / 2))
      .replace(/"([^"'\\]*)"/g, "'$1'");
    if (/\bz\.|\$/.test(printed)) throw new Error(`${alias.name.text} still names zod: ${printed}`);
    return `export type ${alias.name.text.slice(2)} = ${printed};`;
  });
  return `${HEADER}${aliases.join('\n')}\n`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(__filename)) {
  const sdkDir = path.resolve(__dirname, '../sdk');
  writeFileSync(path.join(sdkDir, 'configTypes.ts'), configTypesDeclaration(sdkDir));
  console.log('wrote sdk/configTypes.ts');
}
