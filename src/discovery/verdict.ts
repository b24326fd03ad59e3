// What a discovery run means for the exit code, and what must be said on stderr first. An
// interrupted run is exit 130 and says where its partial snapshot went; an incomplete one is a
// warning, or exit 4 under --strict; a complete one is a pass.

import { incompleteness } from './report.js';
import type { DiscoverOutcome } from './run.js';

export interface DiscoveryVerdict {
  complete: boolean;
  /** Lines for stderr, before the outcome's own line. */
  warnings: string[];
  outcome: 'ok' | 'interrupted' | 'partial';
  /** The one line the outcome ends with (exit 130 or 4); absent when ok. */
  message?: string;
}

export function judgeDiscovery(run: Pick<DiscoverOutcome, 'snapshot' | 'file' | 'saved'>, options: { strict: boolean }): DiscoveryVerdict {
  const { snapshot, file, saved } = run;
  const why = incompleteness(snapshot);
  if (!why) return { complete: true, warnings: [], outcome: 'ok' };
  // Where the partial snapshot went: `discover diff` and --input will know it is partial, but a
  // person looking for it needs the path.
  const kept = saved ? `partial snapshot saved to ${file}` : 'partial results printed, not saved (--no-save)';
  if (snapshot.interrupted) {
    return {
      complete: false,
      warnings: [`${why}; ${kept}`],
      outcome: 'interrupted',
      message: `interrupted; ${snapshot.summary.resources} resources found so far, ${kept}`,
    };
  }
  const message = `the results are incomplete (${why}); ${kept}`;
  if (options.strict) return { complete: false, warnings: [], outcome: 'partial', message };
  return { complete: false, warnings: [message], outcome: 'ok' };
}
