import type { GroupingSettings } from '../../../settings/settings.ts';
import type { GroupingConfig } from './config.ts';
import { DEFAULT_GROUPING } from './config.ts';

export const DEFAULT_QUIET_PERIOD_MS = 5 * 60_000;

export interface GroupingOptions {
  grouping: GroupingConfig;
  /** An incident whose alerts all resolved is resolved once no new alert came for this long. */
  quietPeriodMs: number;
}

const minutes = (value: number | undefined, fallback: number) => (value === undefined ? fallback : Math.round(value * 60_000));

/** The grouping thresholds the settings document asks for, with the defaults where it says nothing. */
export function groupingFromSettings(settings: GroupingSettings | undefined): GroupingOptions {
  return {
    grouping: {
      windowMs: minutes(settings?.windowMinutes, DEFAULT_GROUPING.windowMs),
      flapWindowMs: minutes(settings?.flapWindowMinutes, DEFAULT_GROUPING.flapWindowMs),
      maxHops: settings?.maxHops ?? DEFAULT_GROUPING.maxHops,
      labelSimilarity: settings?.labelSimilarity ?? DEFAULT_GROUPING.labelSimilarity,
      textSimilarity: settings?.textSimilarity ?? DEFAULT_GROUPING.textSimilarity,
    },
    quietPeriodMs: minutes(settings?.quietPeriodMinutes, DEFAULT_QUIET_PERIOD_MS),
  };
}
