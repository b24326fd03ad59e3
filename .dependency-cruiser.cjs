// The design's dependency rules, checked by `npm test` (npm run deps). See docs/ARCHITECTURE.md.
// Parsed with swc: dependency-cruiser does not read TypeScript 7's compiler yet.

/** Files in commands/ that are shared plumbing, not commands. */
const COMMAND_PLUMBING = '^commands/(context|options|index|program)\\.ts$';
const CLOUD_SDKS = '^node_modules/(@aws-sdk|@smithy|@azure|@google-cloud|google-auth-library|googleapis)';

module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'No module reaches itself through its imports.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-folder-cycles',
      comment: 'No folder of src/ imports a folder that imports it back: one direction only.',
      severity: 'error',
      scope: 'folder',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'only-providers-import-cloud-sdks',
      comment: 'Cloud SDKs are touched by src/providers alone.',
      severity: 'error',
      from: { path: '^(src|commands|bin)/', pathNot: '^src/(providers|sandbox)/' },
      to: { path: CLOUD_SDKS },
    },
    {
      name: 'the-sandbox-uses-no-cloud-client',
      comment: 'The sandbox serves the clouds; of their packages it may use only the SigV4 algorithm, to check signatures.',
      severity: 'error',
      from: { path: '^src/sandbox/' },
      to: { path: CLOUD_SDKS, pathNot: '^node_modules/@smithy/signature-v4/' },
    },
    {
      name: 'model-imports-nothing-of-ours',
      comment: 'src/model is the shared vocabulary: pure types and helpers.',
      severity: 'error',
      from: { path: '^src/model/' },
      to: { path: '^(src|commands|bin)/', pathNot: '^src/model/' },
    },
    {
      name: 'commands-do-not-import-providers-or-the-sandbox',
      comment: 'A command calls one capability in src/; only `guardian sandbox` itself starts the sandbox.',
      severity: 'error',
      from: { path: '^commands/', pathNot: '^commands/sandbox/' },
      to: { path: '^src/(providers|sandbox)/' },
    },
    {
      name: 'no-command-imports-another',
      comment: 'Commands share plumbing (context, options), never each other; the verbs of a noun live in its folder.',
      severity: 'error',
      from: { path: '^commands/([^/]+)', pathNot: COMMAND_PLUMBING },
      to: { path: '^commands/', pathNot: [COMMAND_PLUMBING, '^commands/$1/'] },
    },
    {
      name: 'rule-cases-are-test-data',
      comment: 'Rule cases (src/rules/cases.ts, <slug>.cases.ts) are left out of dist: only cases files may import them.',
      severity: 'error',
      from: { path: '^(src|commands|bin)/', pathNot: ['\\.cases\\.ts$', '^src/rules/cases\\.ts$'] },
      to: { path: ['\\.cases\\.ts$', '^src/rules/cases\\.ts$'] },
    },
  ],
  options: {
    parser: 'swc',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^dist/' },
  },
};
