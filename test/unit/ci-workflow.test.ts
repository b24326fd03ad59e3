// `guardian init ci`'s file (src/ci/workflow.ts), written from the real template into a temporary
// repository: the pinned repository and commit filled in as YAML strings, and an existing file
// replaced only with force.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { packageRoot, WORKFLOW_PATH, writeWorkflow } from '../../src/ci/workflow.js';
import { UsageError } from '../../src/errors.js';

const COMMIT = '0123456789abcdef0123456789abcdef01234567';
const SOURCE = `https://github.com/acme/guardian.git#${COMMIT}`;
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'guardian-workflow-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the init ci workflow', () => {
  it('fills in the repository and commit from --source and leaves no placeholder', async () => {
    const { target, source } = await writeWorkflow({ source: SOURCE, dir, force: false });
    expect(target).toBe(path.join(dir, WORKFLOW_PATH));
    expect(source).toMatchObject({ repository: 'https://github.com/acme/guardian.git', commit: COMMIT });
    const text = readFileSync(target, 'utf8');
    expect(text).not.toMatch(/__GUARDIAN_/);
    expect(JSON.stringify(parse(text))).toContain(COMMIT);
  });

  it('refuses to overwrite an existing workflow without force, and replaces it with force', async () => {
    await writeWorkflow({ source: SOURCE, dir, force: false });
    const again = writeWorkflow({ source: `https://github.com/other/guardian.git#${'f'.repeat(40)}`, dir, force: false });
    await expect(again).rejects.toThrow(UsageError);
    await expect(again).rejects.toThrow(/already exists; pass --force to overwrite it$/);
    expect(readFileSync(path.join(dir, WORKFLOW_PATH), 'utf8')).toContain('acme');
    await writeWorkflow({ source: `https://github.com/other/guardian.git#${'f'.repeat(40)}`, dir, force: true });
    expect(readFileSync(path.join(dir, WORKFLOW_PATH), 'utf8')).toContain('other');
  });

  it('finds the template from the sources as the built copy does', () => {
    expect(readFileSync(new URL('templates/github-actions.yml', packageRoot()), 'utf8')).toContain('__GUARDIAN_COMMIT__');
  });
});
