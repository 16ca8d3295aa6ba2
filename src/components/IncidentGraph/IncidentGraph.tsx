import React, { useMemo } from 'react';
import { css, cx } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Text, useStyles2 } from '@grafana/ui';
import type { IncidentGraph as Graph } from '../../datasource/rootCauses';
import { layeredLayout, NODE_HEIGHT, NODE_WIDTH } from '../../services/graphLayout';
import { testIds } from '../testIds';

const ARROW_ID = 'intelops-graph-arrow';

function role(node: { rank: number | undefined; inIncident: boolean }): string {
  if (node.rank === 1) {
    return 'suspected cause';
  }
  if (node.rank !== undefined) {
    return `candidate #${node.rank}`;
  }
  return node.inIncident ? 'in the incident' : 'nearby';
}

/** The services around the incident, callers left of the services they call; the suspected cause stands out. */
export function IncidentGraph({ graph }: { graph: Graph }) {
  const styles = useStyles2(getStyles);
  const layout = useMemo(() => layeredLayout(graph), [graph]);
  const cause = graph.nodes.find((node) => node.rank === 1);
  if (graph.nodes.length === 0) {
    return <Text color="secondary">The engine found no services around this incident.</Text>;
  }
  const calls = (service: string) => graph.edges.filter((edge) => edge.client === service).map((edge) => edge.server);
  return (
    <div className={styles.container} data-testid={testIds.rootCauses.graph}>
      <div className={styles.scroll}>
        <svg
          width={layout.width}
          height={layout.height}
          viewBox={`0 0 ${layout.width} ${layout.height}`}
          role="img"
          aria-label={`Dependency graph of ${graph.nodes.length} services${cause ? `; suspected cause ${cause.service}` : ''}`}
        >
          <defs>
            <marker
              id={ARROW_ID}
              viewBox="0 0 10 10"
              refX="10"
              refY="5"
              markerWidth="7"
              markerHeight="7"
              orient="auto-start-reverse"
            >
              <path d="M 0 0 L 10 5 L 0 10 z" className={styles.arrow} />
            </marker>
          </defs>
          {layout.edges.map((edge) => (
            <path
              key={`${edge.client}->${edge.server}`}
              data-testid={testIds.rootCauses.graphEdge}
              data-edge={`${edge.client}->${edge.server}`}
              d={edge.path}
              className={styles.edge}
              markerEnd={`url(#${ARROW_ID})`}
            />
          ))}
          {layout.nodes.map((node) => (
            <g
              key={node.service}
              data-testid={testIds.rootCauses.graphNode}
              data-service={node.service}
              data-role={role(node)}
              transform={`translate(${node.x}, ${node.y})`}
            >
              <title>{`${node.service}: ${role(node)}, score ${node.score.toFixed(2)}`}</title>
              <rect
                width={NODE_WIDTH}
                height={NODE_HEIGHT}
                rx={4}
                className={cx(styles.node, node.inIncident && styles.incident, node.rank === 1 && styles.cause)}
              />
              <text x={10} y={18} className={styles.name}>
                {node.service.length > 18 ? `${node.service.slice(0, 17)}…` : node.service}
              </text>
              <text x={10} y={35} className={cx(styles.role, node.rank === 1 && styles.causeText)}>
                {role(node)} · {node.score.toFixed(2)}
              </text>
            </g>
          ))}
        </svg>
      </div>
      <details className={styles.details}>
        <summary>The graph as a list</summary>
        <ul>
          {layout.nodes.map((node) => {
            const callees = calls(node.service);
            return (
              <li key={node.service}>
                <strong>{node.service}</strong> ({role(node)}, score {node.score.toFixed(2)})
                {callees.length > 0 ? ` calls ${callees.join(', ')}` : ''}
              </li>
            );
          })}
        </ul>
      </details>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  container: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(1) }),
  scroll: css({ overflowX: 'auto', maxWidth: '100%' }),
  edge: css({ stroke: theme.colors.border.strong, strokeWidth: 1.5, fill: 'none' }),
  arrow: css({ fill: theme.colors.border.strong }),
  node: css({
    fill: theme.colors.background.secondary,
    stroke: theme.colors.border.medium,
    strokeWidth: 1,
  }),
  incident: css({ stroke: theme.visualization.getColorByName('orange'), strokeWidth: 1.5 }),
  cause: css({
    stroke: theme.visualization.getColorByName('red'),
    strokeWidth: 3,
    fill: theme.colors.error.transparent,
  }),
  name: css({ fill: theme.colors.text.primary, fontSize: 13, fontWeight: theme.typography.fontWeightMedium }),
  role: css({ fill: theme.colors.text.secondary, fontSize: 11 }),
  causeText: css({ fill: theme.colors.error.text, fontWeight: theme.typography.fontWeightMedium }),
  details: css({
    ...theme.typography.bodySmall,
    color: theme.colors.text.secondary,
    ul: { margin: theme.spacing(0.5, 0, 0, 2), padding: 0 },
  }),
});
