// Where the workflow `guardian init ci` writes installs Guardian from: the git repository this copy
// came from, at the commit it was built from. Guardian is distributed as a git repository, not a
// registry package, so an unpinned registry name would install whatever claimed that name.
// The workflow clones the repository, checks the commit out and runs `npm ci` there (the commit's
// own lockfile; `prepare` builds dist/), then installs that directory globally. It does not use
// `npm install --global git+https://…`: npm does not install a git package's devDependencies
// before its `prepare` when installing globally (npm/cli#8440), so the build fails.

import { UsageError } from '../errors.js';

/** What git says about the checkout this copy runs from (absent for an installed copy). */
export interface Checkout {
  origin?: string;
  head: string;
  dirty: boolean;
  /** HEAD is on a remote-tracking branch this clone knows of (so origin very likely has it). */
  pushed: boolean;
}

export interface InstallSourceInput {
  /** `--source URL` or `--source URL#COMMIT`. */
  flag?: string;
  checkout?: Checkout;
  /** From dist/build-info.json: the origin and commit the build was made from. */
  stamp: { commit: string; source: string | null };
}

export interface InstallSource {
  /** A URL `git clone` takes on a CI runner, e.g. https://github.com/acme/guardian.git. */
  repository: string;
  /** The full commit id the workflow checks out. */
  commit: string;
  /** Where the repository and commit came from, for the message after writing. */
  from: 'flag' | 'checkout' | 'build';
  warnings: string[];
}

const COMMIT = /^[0-9a-f]{40}$/;
const HOW = 'pass --source URL (the git repository CI should install Guardian from, e.g. https://github.com/OWNER/guardian.git)';
const SHORTHAND_HOSTS: Record<string, string> = { github: 'github.com', gitlab: 'gitlab.com', bitbucket: 'bitbucket.org' };

/**
 * A repository URL a CI runner can clone: https and ssh URLs, scp-like `git@host:path`, npm's
 * `git+https://` form and `github:`/`gitlab:`/`bitbucket:` shorthands. Credentials in an https URL
 * are dropped (a workflow file is committed); local paths, file:// and plain http are refused.
 */
export function cloneUrl(raw: string, what: string): { url: string; warnings: string[] } {
  const text = raw.trim().replace(/^git\+/, '');
  const warnings: string[] = [];
  const shorthand = /^(github|gitlab|bitbucket):([\w.-]+\/[\w.-]+?)(\.git)?$/.exec(text);
  if (shorthand) return { url: `https://${SHORTHAND_HOSTS[shorthand[1]]}/${shorthand[2]}.git`, warnings };
  const scp = /^([\w.-]+@)?([\w.-]{2,}):(?!\/\/)([\w./~-]+)$/.exec(text);
  if (scp) return { url: text, warnings };
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    throw new UsageError(`${what} '${raw.trim()}' is not a URL a CI runner can clone (it looks like a local path)`, { hint: HOW });
  }
  switch (parsed.protocol) {
    case 'https:':
    case 'ssh:':
      break;
    case 'http:':
      throw new UsageError(`${what} '${parsed.host}' is plain http; CI would fetch the code it runs unauthenticated and unencrypted`, {
        hint: HOW,
      });
    default:
      throw new UsageError(`${what} '${raw.trim()}' is a ${parsed.protocol.replace(':', '')} URL a CI runner cannot clone`, { hint: HOW });
  }
  if (parsed.protocol === 'https:' && (parsed.username || parsed.password)) {
    parsed.username = '';
    parsed.password = '';
    warnings.push(`left the credentials in ${what} out of the workflow; a private repository needs a token configured in CI`);
  }
  if (parsed.search || parsed.hash) throw new UsageError(`${what} must be a plain repository URL (no ?query or #fragment)`);
  return { url: parsed.toString(), warnings };
}

export function resolveInstallSource(input: InstallSourceInput): InstallSource {
  const { flag, checkout, stamp } = input;
  const stampCommit = COMMIT.test(stamp.commit) ? stamp.commit : undefined;
  let origin: { url: string; warnings: string[] };
  let commit: string | undefined;
  let from: InstallSource['from'];
  if (flag !== undefined) {
    const [base, ref, ...rest] = flag.split('#');
    if (rest.length > 0 || ref === '') throw new UsageError(`--source takes URL or URL#COMMIT, not '${flag}'`);
    if (ref !== undefined && !COMMIT.test(ref)) {
      throw new UsageError(`--source: '${ref}' is not a full 40-character commit id; a branch or tag can move, a commit cannot`);
    }
    origin = cloneUrl(base, '--source');
    commit = ref ?? checkout?.head ?? stampCommit;
    from = 'flag';
    if (!commit) {
      throw new UsageError('cannot tell which commit this Guardian was built from (no git checkout, no build stamp)', {
        hint: 'pass the commit too: --source URL#COMMIT',
      });
    }
  } else if (checkout) {
    if (!checkout.origin) throw new UsageError("this Guardian checkout has no 'origin' remote to install from in CI", { hint: HOW });
    origin = cloneUrl(checkout.origin, "the checkout's origin");
    commit = checkout.head;
    from = 'checkout';
  } else if (stamp.source && stampCommit) {
    origin = cloneUrl(stamp.source, 'the origin this copy was built from');
    commit = stampCommit;
    from = 'build';
  } else {
    throw new UsageError('cannot tell which repository and commit this Guardian was installed from', { hint: HOW });
  }
  const warnings = [...origin.warnings];
  if (checkout && commit === checkout.head) {
    if (checkout.dirty) warnings.push(`the checkout has uncommitted changes; CI installs commit ${commit.slice(0, 12)} without them`);
    if (stampCommit && stampCommit !== checkout.head) {
      warnings.push(
        `this build is from commit ${stampCommit.slice(0, 12)} but the checkout is at ${commit.slice(0, 12)}; CI installs the checkout's`,
      );
    }
    if (!checkout.pushed)
      warnings.push(`commit ${commit.slice(0, 12)} is on no remote branch this clone knows of; push it before the workflow runs`);
  }
  return { repository: origin.url, commit, from, warnings };
}
