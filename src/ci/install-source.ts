// Where the workflow `guardian init ci` writes installs Guardian from: the git repository this copy
// came from, pinned to the commit it was built from, as an npm git spec (`git+https://…#<sha>`; npm
// runs the package's `prepare`, which builds it). Guardian is distributed as a git repository, not
// a registry package, so an unpinned registry name would install whatever claimed that name.

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
  /** The npm spec the workflow installs, e.g. git+https://github.com/acme/guardian.git#0123…. */
  spec: string;
  url: string;
  commit: string;
  /** Where the URL and commit came from, for the message after writing. */
  from: 'flag' | 'checkout' | 'build';
  warnings: string[];
}

const COMMIT = /^[0-9a-f]{40}$/;
const HOW = 'pass --source URL (the git repository CI should install Guardian from, e.g. https://github.com/OWNER/guardian.git)';

/**
 * An npm git URL a CI runner can fetch: https and ssh remotes, scp-like `git@host:path`, or the
 * `github:`/`gitlab:`/`bitbucket:` shorthands. Credentials in an https URL are dropped (a workflow
 * file is committed); local paths and plain http are refused.
 */
export function npmGitUrl(raw: string, what: string): { url: string; warnings: string[] } {
  const text = raw.trim();
  const warnings: string[] = [];
  if (/^(github|gitlab|bitbucket):[\w.-]+\/[\w.-]+$/.test(text)) return { url: text, warnings };
  const scp = /^([\w.-]+@)?([\w.-]+):(?!\/\/)([\w./~-]+)$/.exec(text);
  if (scp && !/^[a-z]:$/i.test(`${scp[2]}:`)) return { url: `git+ssh://${scp[1] ?? ''}${scp[2]}/${scp[3].replace(/^\//, '')}`, warnings };
  let parsed: URL;
  try {
    parsed = new URL(text.replace(/^git\+/, ''));
  } catch {
    throw new UsageError(`${what} '${text}' is not a URL a CI runner can fetch (it looks like a local path)`, { hint: HOW });
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
      throw new UsageError(`${what} '${text}' is a ${parsed.protocol.replace(':', '')} URL a CI runner cannot fetch`, { hint: HOW });
  }
  if (parsed.protocol === 'https:' && (parsed.username || parsed.password)) {
    parsed.username = '';
    parsed.password = '';
    warnings.push(`left the credentials in ${what} out of the workflow; a private repository needs a token configured in CI`);
  }
  if (parsed.search || parsed.hash) throw new UsageError(`${what} must be a plain repository URL (no ?query or #fragment)`);
  return { url: `git+${parsed.toString()}`, warnings };
}

export function resolveInstallSource(input: InstallSourceInput): InstallSource {
  const { flag, checkout, stamp } = input;
  const stampCommit = COMMIT.test(stamp.commit) ? stamp.commit : undefined;
  let url: string;
  let commit: string | undefined;
  let from: InstallSource['from'];
  const warnings: string[] = [];
  if (flag !== undefined) {
    const [base, ref, ...rest] = flag.split('#');
    if (rest.length > 0 || ref === '') throw new UsageError(`--source takes URL or URL#COMMIT, not '${flag}'`);
    if (ref !== undefined && !COMMIT.test(ref)) {
      throw new UsageError(`--source: '${ref}' is not a full 40-character commit id; a branch or tag can move, a commit cannot`);
    }
    const normalized = npmGitUrl(base, '--source');
    url = normalized.url;
    warnings.push(...normalized.warnings);
    commit = ref ?? checkout?.head ?? stampCommit;
    from = 'flag';
    if (!commit) {
      throw new UsageError('cannot tell which commit this Guardian was built from (no git checkout, no build stamp)', {
        hint: 'pass the commit too: --source URL#COMMIT',
      });
    }
  } else if (checkout) {
    if (!checkout.origin) throw new UsageError("this Guardian checkout has no 'origin' remote to install from in CI", { hint: HOW });
    const normalized = npmGitUrl(checkout.origin, "the checkout's origin");
    url = normalized.url;
    warnings.push(...normalized.warnings);
    commit = checkout.head;
    from = 'checkout';
  } else if (stamp.source && stampCommit) {
    const normalized = npmGitUrl(stamp.source, 'the origin this copy was built from');
    url = normalized.url;
    warnings.push(...normalized.warnings);
    commit = stampCommit;
    from = 'build';
  } else {
    throw new UsageError('cannot tell which repository and commit this Guardian was installed from', { hint: HOW });
  }
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
  return { spec: `${url}#${commit}`, url, commit, from, warnings };
}
