// Which repository and commit the CI workflow installs: remote URL forms, credentials, and the commit pin.

import { describe, expect, it } from 'vitest';
import { cloneUrl, resolveInstallSource } from '../../src/ci/install-source.js';
import { UsageError } from '../../src/errors.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const noStamp = { commit: 'unknown', source: null };

describe('repository URLs a CI runner can clone', () => {
  it.each([
    ['https://github.com/acme/guardian.git', 'https://github.com/acme/guardian.git'],
    ['git+https://gitlab.com/acme/guardian', 'https://gitlab.com/acme/guardian'],
    ['git@github.com:acme/guardian.git', 'git@github.com:acme/guardian.git'],
    ['ssh://git@example.com:2222/acme/guardian.git', 'ssh://git@example.com:2222/acme/guardian.git'],
    ['github:acme/guardian', 'https://github.com/acme/guardian.git'],
  ])('turns %s into %s', (raw, url) => {
    expect(cloneUrl(raw, 'origin').url).toBe(url);
  });

  it('drops credentials from an https URL and says so', () => {
    const { url, warnings } = cloneUrl('https://me:ghp_secret@github.com/acme/guardian.git', 'origin');
    expect(url).toBe('https://github.com/acme/guardian.git');
    expect(warnings.join(' ')).not.toContain('ghp_secret');
    expect(warnings).toHaveLength(1);
  });

  it.each([
    '/work/guardian',
    '../guardian',
    'file:///work/guardian',
    'http://example.com/g.git',
    'git://example.com/g.git',
    'C:/src/guardian',
  ])('refuses %s', (raw) => {
    expect(() => cloneUrl(raw, 'origin')).toThrow(UsageError);
  });
});

describe('the pinned install source', () => {
  it('pins a clone to its HEAD and warns about uncommitted changes and an unpushed commit', () => {
    const source = resolveInstallSource({
      checkout: { origin: 'https://github.com/acme/guardian.git', head: A, dirty: true, pushed: false },
      stamp: { commit: A, source: null },
    });
    expect(source).toMatchObject({ repository: 'https://github.com/acme/guardian.git', commit: A, from: 'checkout' });
    expect(source.warnings).toHaveLength(2);
  });

  it('says when the build is older than the checkout it runs from', () => {
    const source = resolveInstallSource({
      checkout: { origin: 'https://github.com/acme/guardian.git', head: A, dirty: false, pushed: true },
      stamp: { commit: B, source: null },
    });
    expect(source.warnings).toEqual([expect.stringContaining('this build is from commit bbbbbbbbbbbb')]);
  });

  it('uses the build stamp without a checkout, and --source over both', () => {
    expect(resolveInstallSource({ stamp: { commit: B, source: 'git@github.com:acme/g.git' } })).toMatchObject({
      repository: 'git@github.com:acme/g.git',
      commit: B,
      from: 'build',
    });
    expect(resolveInstallSource({ flag: `https://github.com/fork/g#${A}`, stamp: { commit: B, source: 'https://x.org/y' } })).toMatchObject(
      {
        repository: 'https://github.com/fork/g',
        commit: A,
        from: 'flag',
      },
    );
  });

  it('refuses to guess: no checkout origin, no stamp, or --source without a known commit', () => {
    expect(() => resolveInstallSource({ checkout: { head: A, dirty: false, pushed: true }, stamp: noStamp })).toThrow(/no 'origin' remote/);
    expect(() => resolveInstallSource({ stamp: noStamp })).toThrow(/cannot tell which repository/);
    expect(() => resolveInstallSource({ flag: 'https://github.com/acme/g', stamp: noStamp })).toThrow(/cannot tell which commit/);
  });
});
