import { dateTimeFormat, dateTimeFormatTimeAgo, intervalToAbbreviatedDurationString } from '@grafana/data';

/** "2026-11-23 21:02:40" in the given Grafana time zone. */
export function formatTime(ms: number, timeZone: string): string {
  return dateTimeFormat(ms, { timeZone });
}

/** "12 minutes ago", for a tooltip beside the exact time. */
export function formatTimeAgo(ms: number, timeZone: string): string {
  return dateTimeFormatTimeAgo(ms, { timeZone });
}

/** "2h 14m", "45s": seconds only while shorter than a minute, as Grafana's alert list shows durations. */
export function formatDuration(ms: number): string {
  const text = intervalToAbbreviatedDurationString({ start: new Date(0), end: new Date(Math.max(0, ms)) }, false);
  return text === '' ? '0s' : text;
}

/** "87%": a confidence in [0, 1] as a whole percentage. */
export function formatConfidence(confidence: number): string {
  return `${Math.round(Math.min(1, Math.max(0, confidence)) * 100)}%`;
}
