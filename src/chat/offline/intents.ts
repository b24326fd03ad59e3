// The intents the offline interpreter answers, the entities each one takes, and the classifier that
// picks one from the cue words of a question. Cues are checked in a fixed order, most specific
// first (a change request before anything, a rule id before a resource, risk before exposure), and
// a question with no cue of any capability is declined rather than guessed at.

import { isFuture } from './dates.js';
import type { EntityName, Extraction } from './entities.js';

export const INTENTS = {
  inventory_count: { entities: ['cloud', 'account', 'region', 'kind', 'tag', 'state'], says: 'how many resources of a kind, state or tag' },
  inventory_list: {
    entities: ['cloud', 'account', 'region', 'kind', 'tag', 'state'],
    says: 'list resources by cloud, account, region or kind',
  },
  inventory_find: { entities: ['resource', 'kind', 'cloud', 'account', 'region'], says: 'find a resource by name or id' },
  inventory_by_tag: { entities: ['cloud', 'account', 'region', 'kind', 'tag', 'state'], says: 'resources with a tag (env=prod)' },
  inventory_by_state: {
    entities: ['cloud', 'account', 'region', 'kind', 'tag', 'state'],
    says: 'stopped, running or unattached resources',
  },
  inventory_relations: { entities: ['resource', 'kind', 'cloud'], says: 'what a resource is attached to or protected by' },
  inventory_public: { entities: ['cloud', 'account', 'region', 'kind', 'tag', 'state'], says: 'what is public or exposed to the internet' },
  inventory_untagged: { entities: ['cloud', 'account', 'region', 'kind', 'tag'], says: 'resources missing a tag' },
  inventory_summary: { entities: ['cloud', 'account', 'region'], says: 'an overview of the estate' },
  costs_top_services: { entities: ['cloud', 'account', 'region', 'period'], says: 'the services costing most' },
  costs_by_region: { entities: ['cloud', 'account', 'region', 'period', 'service'], says: 'spend by region' },
  costs_by_account: { entities: ['cloud', 'account', 'region', 'period', 'service'], says: 'spend by account' },
  costs_by_tag: { entities: ['cloud', 'account', 'region', 'period', 'service', 'tag'], says: 'spend by a tag (team, env)' },
  costs_trend: { entities: ['cloud', 'account', 'region', 'period', 'service'], says: 'how spend is trending' },
  costs_total: { entities: ['cloud', 'account', 'region', 'period', 'service', 'tag'], says: 'what was spent over a period' },
  costs_projection: { entities: ['cloud', 'account', 'service'], says: 'the month-end projection' },
  costs_budget: { entities: ['amount', 'cloud', 'account', 'service'], says: 'the month against a budget' },
  costs_estimate: { entities: ['cloud', 'account', 'region', 'kind'], says: 'the estate priced at list prices' },
  scan_findings: { entities: ['severity', 'topic', 'cloud', 'account', 'region', 'kind', 'tag'], says: 'security findings by severity' },
  scan_by_rule: { entities: ['rule', 'cloud', 'account', 'region'], says: 'the resources failing a rule' },
  scan_resource: { entities: ['resource'], says: "a resource's findings" },
  scan_explain_rule: { entities: ['rule'], says: 'what a rule checks and how to fix it' },
  optimize_savings: { entities: ['cloud', 'account', 'region', 'kind', 'tag'], says: 'what could be saved' },
  optimize_by_action: { entities: ['action', 'cloud', 'account', 'region'], says: 'savings by action (stop, resize, delete)' },
  optimize_resource: { entities: ['resource'], says: "a resource's recommendations" },
  predict_costs: { entities: ['period', 'cloud', 'account', 'service'], says: 'a spend forecast' },
  predict_capacity: { entities: ['kind', 'tag', 'cloud', 'account', 'region', 'period', 'resource'], says: 'what will fill up' },
  predict_anomalies: { entities: ['period', 'cloud', 'account', 'service'], says: 'anomalies in spend' },
  predict_risk: { entities: ['cloud', 'account', 'region', 'kind'], says: 'the riskiest resources' },
  help: { entities: [], says: 'what I can answer' },
  change_request: { entities: ['resource', 'kind', 'cloud', 'account', 'region', 'tag', 'state'], says: 'changes: the command to run' },
  out_of_scope: { entities: [], says: '' },
} as const satisfies Record<string, { entities: readonly EntityName[]; says: string }>;

export type Intent = keyof typeof INTENTS;

export interface Classification {
  intent: Intent;
  /** 1 for a capability's own words, less when only entities point at it; 0 when declined. */
  confidence: number;
  /** Why it was declined, when it was (a capability was recognised but its entity is missing). */
  missing?: EntityName;
}

/** Below this the interpreter declines instead of answering. */
export const CONFIDENCE_THRESHOLD = 0.5;

const has = (text: string, pattern: RegExp): boolean => pattern.test(text);

const MUTATING =
  /^(?:(?:please|pls|can you|could you|go|now|kindly|just|quickly)\s+)*(?:delete|remove|terminate|stop|start|shut|reboot|restart|resize|release|tag|untag|encrypt|make|open|close|create|destroy|kill|scale|modify|detach|attach|deallocate|drop|purge|wipe|launch|provision|upgrade|rename|disable|enable|block|revoke|set|change|move|migrate|rotate|apply|power)\b/;
const INJECTION = /\bignore (?:all |your |the |any |previous |prior )*(?:instructions|rules|prompt)\b/;

const ELSEWHERE =
  /\b(?:weather|poem|poems|haiku|limerick|song|sing|joke|jokes|recipe|pizza|restaurant|movie|president|translate|everest|quantum|time is it|meeting room|capital of)\b/;
const HELP =
  /^(?:\/?help|\/?\?|hi|hello|hey)$|\bwhat can (?:you|i) (?:do|ask)\b|\bcapabilit|\bhow do i use\b|\bwhich questions\b|\bwhat questions\b|\bwhat (?:else )?do you know\b|\bwhat are you\b/;

const RISK = /\brisk(?:s|iest|y)?\b/;
const ANOMALY = /\banomal\w*|\bunusual\b|\bspikes?\b|\bweird\b|\boutliers?\b|\bunexpected\w*|\bjump(?:ed|s)?\b/;
const CAPACITY = /\bcapacity\b|\brun(?:ning)? out\b|\bfill(?:s|ing)?(?: up)?\b|\bfull\b|\bheadroom\b|\bout of (?:space|storage|disk)\b/;
const MONTH_END = /\bmonth[- ]end\b|\bend of (?:the )?month\b|\bend the month\b|\beom\b|\bthis month's bill\b/;
const FORECAST = /\bforecast\w*|\bpredict\w*|\bprojected\b|\bwill (?:\w+ ){0,3}(?:cost|spend)\b/;
const BUDGET = /\bbudget\b/;
const BUDGET_VERBS = /\b(?:exceed|over|under|within|blow|above|below|on track)\b/;
const COST =
  /\bcost(?:s|ing|ly)?\b|\bspen[dt]\w*|\bbill(?:s|ing|ed)?\b|\bmoney\b|\bpa(?:y|id)\b|\bpric(?:e|es|ed|ing)\b|\bexpensive\b|\bcharges?\b|\brun[- ]rate\b|\bline items\b|\bspenders\b/;
const SCAN =
  /\bfindings?\b|\bissues?\b|\bproblems?\b|\bmisconfigur\w*|\bvuln\w*|\binsecure\b|\bsecure\b|\bsecurity\b(?! groups?)|\bviolat\w*|\bposture\b|\bwhat is wrong\b|\bscan\b/;
const OPTIMIZE =
  /\bsav(?:e|es|ing|ings)\b|\bcut\b|\bwast\w*|\boptimi[sz]\w*|\brecommendations?\b|\bright[- ]?siz\w*|\bdownsiz\w*|\boversized\b|\bmoderni[sz]\w*|\bidle\b|\bclean(?:ed)? up\b|\b(?:could|can|should|worth|to) (?:stop|delete|drop|remove|release|modernize|deleting|removing|releasing)\b|\bprevious generation\b|\bgp2\b/;
const PUBLIC = /\bpublic(?:ly)?\b|\bexposed\b|\binternet\b|\bopen to the (?:world|internet)\b|\binternet[- ]facing\b/;
const INVENTORY_WORDS =
  /\bresources?\b|\boverview\b|\bsummar(?:y|i[sz]e)\b|\btags?\b|\buntagged\b|\black(?:s|ing)\b|\binventory\b|\bestate\b|\bwhat do we (?:have|run)\b|\bwhat (?:is )?running\b|\bwhat we run\b|\blay of the land\b|\bexist\b/;

function costsIntent(text: string, found: Extraction): Intent {
  if (/\blist[- ]prices?\b|\bon[- ]demand\b|\brun[- ]rate\b|\bestimat\w*|\bprice (?:the|our)\b|\bwhat would\b/.test(text))
    return 'costs_estimate';
  if (
    /\btrend\w*|\brising\b|\bgoing (?:up|down)\b|\bchang(?:ed|ing)\b|\bcurve\b|\bdaily\b|\bday by day\b|\bover time\b|\bmore expensive\b|\bincreas\w*|\bdecreas\w*|\bgrowing\b/.test(
      text,
    )
  ) {
    return 'costs_trend';
  }
  if (/\btag:|\bby tag\b/.test(text) || (found.tagKey && /\b(?:per|by|each|which|grouped by|split by)\b/.test(text) && !found.tag)) {
    return 'costs_by_tag';
  }
  if (/\bregion(?:s|al)?\b|\blocations?\b/.test(text)) return 'costs_by_region';
  if (!found.account && /\baccounts?\b|\bsubscriptions?\b|\bprojects?\b/.test(text)) return 'costs_by_account';
  if (/\bhow much\b/.test(text)) return 'costs_total';
  if (
    /\btop\b|\bmost\b|\bbiggest\b|\bdriv(?:ers?|ing)\b|\bwhere does the money go\b|\bspending on\b|\b(?:by|per) service\b|\bservice breakdown\b|\bline items\b|\bwhat costs\b/.test(
      text,
    )
  ) {
    return 'costs_top_services';
  }
  return 'costs_total';
}

function inventoryIntent(text: string, found: Extraction): Intent {
  if (
    /\buntagged\b|\bno (?:\w+ )?tags?\b|\bwithout (?:an? )?(?:\w+ )?tags?\b|\bmissing (?:an? |the )?(?:\w+ )?tags?\b|\black(?:s|ing) (?:an? |the )?\w+\b/.test(
      text,
    )
  ) {
    return 'inventory_untagged';
  }
  if (
    found.resource &&
    /\battached to\b|\bconnected to\b|\brelations?\w*|\bdepend\w*|\blinked\b|\buses\b|\bprotect\w*|\bgraph\b|\bwhich (?:vpc|network|instance|vm)\b|\bsnapshots of\b/.test(
      text,
    )
  ) {
    return 'inventory_relations';
  }
  if (/\bhow many\b|\bcount\b|\bnumber of\b|\bhow much\b/.test(text)) return 'inventory_count';
  if (
    /\boverview\b|\bsummar\w*|\bbreakdown\b|\bper cloud\b|\bby (?:cloud|region|kind)\b|\blay of the land\b|\bwhat kinds\b/.test(text) ||
    (/\bwhat do we (?:have|run)\b|\bwhat we run\b/.test(text) && !found.kind && !found.tag && !found.state)
  ) {
    return 'inventory_summary';
  }
  if (found.resource) return 'inventory_find';
  if (found.state) return 'inventory_by_state';
  if (found.tag) return 'inventory_by_tag';
  return 'inventory_list';
}

/** Picks the intent of a normalised question from its cue words and what it names. */
export function classify(text: string, found: Extraction, today: string, asked: boolean): Classification {
  const sure = (intent: Intent): Classification => ({ intent, confidence: 1 });
  const needs = (intent: Intent, entity: EntityName): Classification =>
    found[entity as keyof Extraction] === undefined ? { intent: 'out_of_scope', confidence: 0, missing: entity } : sure(intent);

  if (INJECTION.test(text) || (MUTATING.test(text) && !asked)) return sure('change_request');
  if (ELSEWHERE.test(text)) return { intent: 'out_of_scope', confidence: 1 };
  if (HELP.test(text)) return sure('help');

  if (found.rule) {
    if (/\bwhat (?:does|is)\b|\bmeans?\b|\bexplain\w*|\bwhy\b|\bremediat\w*|\bfix\b|\bdescribe\b|\bcheck\b/.test(text))
      return sure('scan_explain_rule');
    return sure('scan_by_rule');
  }
  if (has(text, RISK)) return sure('predict_risk');
  if (has(text, ANOMALY)) return sure('predict_anomalies');
  if (has(text, CAPACITY)) return sure('predict_capacity');
  if (has(text, MONTH_END)) return sure('costs_projection');
  if (has(text, BUDGET) || (found.amount && has(text, BUDGET_VERBS))) return needs('costs_budget', 'amount');
  if (has(text, FORECAST) || (found.period && isFuture(found.period, today) && has(text, COST))) return sure('predict_costs');

  if (has(text, SCAN) || found.topic) {
    if (found.resource) return sure('scan_resource');
    return sure('scan_findings');
  }
  if (has(text, OPTIMIZE)) {
    if (found.resource) return sure('optimize_resource');
    if (found.action) return sure('optimize_by_action');
    return sure('optimize_savings');
  }
  if (has(text, COST) || (/\bhow much\b.*\b(?:on|for|in)\b/.test(text) && (found.service || found.period)))
    return sure(costsIntent(text, found));
  if (has(text, PUBLIC) && !/\bhow many\b|\bcount\b|\bnumber of\b/.test(text)) return sure('inventory_public');

  const named = found.kind || found.resource || found.state || found.tag || found.account || found.region || found.cloud;
  if (has(text, INVENTORY_WORDS) || named) {
    const intent = inventoryIntent(text, found);
    return { intent, confidence: has(text, INVENTORY_WORDS) || found.kind || found.resource ? 1 : 0.6 };
  }
  return { intent: 'out_of_scope', confidence: 0 };
}
