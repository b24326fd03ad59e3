// Normalising a question before it is read: lower case, contractions and chat shorthand spelled out,
// punctuation off the ends of words, and typos of the words the interpreter knows corrected by edit
// distance (fastest-levenshtein). Identifiers — anything with a digit, a hyphen, a dot, `=` or `:` —
// are never "corrected".

import { distance } from 'fastest-levenshtein';

/** Shorthand engineers type, spelled out. */
const SHORTHAND: Record<string, string> = {
  hw: 'how',
  wat: 'what',
  wht: 'what',
  r: 'are',
  u: 'you',
  ur: 'your',
  pls: 'please',
  plz: 'please',
  thx: 'thanks',
  '#': 'number',
  'w/': 'with',
  'w/o': 'without',
  whats: 'what is',
  wheres: 'where is',
  hows: 'how is',
  "what's": 'what is',
  "where's": 'where is',
  "who's": 'who is',
  "how's": 'how is',
  "that's": 'that is',
  "there's": 'there is',
  "it's": 'it is',
  "we're": 'we are',
  "i'm": 'i am',
  "don't": 'do not',
  "doesn't": 'does not',
  "isn't": 'is not',
  "aren't": 'are not',
  "can't": 'cannot',
  "won't": 'will not',
};

/**
 * Words worth correcting a typo towards: the interpreter's cue words and entity words. Kept here
 * beside the corrector so that a word the interpreter reads can be added in one place.
 */
export const VOCABULARY = new Set(
  `how many much what which where when will would show list count number find look lookup describe details tell about
  instance instances machine machines server servers database databases volume volumes disk disks snapshot snapshots
  bucket buckets balancer balancers firewall firewalls address addresses network networks image images group groups
  security resource resources running stopped unattached attached detached unassociated deallocated terminated orphaned
  tagged untagged tags owner team environment application public exposed internet accessible facing
  cost costs costing spend spending spent bill billing money price prices pricing expensive budget estimate estimated
  total trend trending rising daily month monthly quarter week year yesterday today since last next projection projected
  forecast predict prediction capacity anomaly anomalies anomalous unusual spike spikes outlier outliers risk riskiest
  finding findings issue issues problem problems vulnerability vulnerabilities misconfigured misconfiguration
  misconfigurations critical high medium severity rule rules explain remediation violate violates violations
  save saving savings optimize optimise optimization recommendation recommendations rightsize rightsized rightsizing
  downsize downsized idle waste wasting unused delete release modernize generation
  region regions account accounts subscription subscriptions project projects relations attached connected depends
  dependencies overview summary summarise summarize breakdown inventory estate help capabilities questions
  amazon azure google frankfurt ireland london paris tokyo singapore sydney virginia oregon california mumbai seoul
  january february march april june july august september october november december
  monday tuesday wednesday thursday friday saturday sunday prod production staging dev development fill filling
  full risk risks driving drivers storage space headroom lacking missing without world`.split(/\s+/),
);

/** Words never corrected: ordinary English the vocabulary could swallow ("mean" → "mean" is fine, "tall" → "all" is not). */
const PLAIN = new Set(
  `a an the and or of in on at to for from by with without is are was were be been do does did have has had we us our
  you your i me my it its this that these those there here all any every each some no not can could should may might
  must shall who whom why yes ok okay please thanks hi hello hey get got go going gone up down out over under into
  than then so too very just also only still again ever now right left more most less least top first new old good
  bad best worst big small large tall short long per via like up give make made want need know say see way day days
  weeks months years time times protect protects protected protecting
  delete remove terminate stop start reboot restart resize release encrypt create destroy modify detach attach`.split(/\s+/),
);

function isPlainWord(token: string): boolean {
  return /^[a-z]+$/.test(token);
}

/** Closest vocabulary word within the allowed distance (1 up to 8 letters, 2 from 9), or the token. */
export function correctTypo(token: string): string {
  if (!isPlainWord(token) || token.length < 4 || VOCABULARY.has(token) || PLAIN.has(token)) return token;
  const allowed = token.length >= 9 ? 2 : 1;
  let best = token;
  let bestDistance = allowed + 1;
  for (const word of VOCABULARY) {
    if (Math.abs(word.length - token.length) > allowed) continue;
    let d = distance(token, word);
    // An adjacent swap ("mnay") is one slip, not two edits.
    if (d === 2 && isSwap(token, word)) d = 1;
    if (d < bestDistance) {
      best = word;
      bestDistance = d;
    }
  }
  return best;
}

function isSwap(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  const diff = [...a].flatMap((ch, i) => (ch === b[i] ? [] : [i]));
  return diff.length === 2 && diff[1] === diff[0] + 1 && a[diff[0]] === b[diff[1]] && a[diff[1]] === b[diff[0]];
}

export interface Normalised {
  /** The question as typed, trimmed (identifiers and tag values keep their case from here). */
  original: string;
  /** Lower case, one space between tokens, shorthand spelled out, typos corrected. */
  text: string;
  tokens: string[];
  /** Strings the user put in quotes: names, taken as they are. */
  quoted: string[];
}

export function normalise(question: string): Normalised {
  const original = question.trim();
  const quoted = [...original.matchAll(/["“”'‘’`]([^"“”'‘’`]{2,})["“”'‘’`]/g)].map((match) => match[1].trim());
  const tokens = original
    .toLowerCase()
    .replace(/[“”‘’`]/g, (ch) => (ch === '‘' || ch === '’' ? "'" : '"'))
    .replace(/"/g, ' ')
    .split(/\s+/)
    .map((token) => token.replace(/^[([{,;!?]+|[)\]},;!?]+$/g, '').replace(/[.:]+$/, ''))
    .filter((token) => token !== '')
    .flatMap((token) => (SHORTHAND[token] ?? correctTypo(token)).split(' '));
  return { original, text: tokens.join(' '), tokens, quoted };
}
