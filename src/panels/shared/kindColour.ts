import type { GrafanaTheme2 } from '@grafana/data';

/** A kind's colour from Grafana's named palette, so it follows the theme; a kind without a name takes `fallback`. */
export function kindColour<K extends string>(
  theme: GrafanaTheme2,
  names: Partial<Record<K, string>>,
  kind: K,
  fallback: string
): string {
  const name = names[kind];
  return name === undefined ? fallback : theme.visualization.getColorByName(name);
}
