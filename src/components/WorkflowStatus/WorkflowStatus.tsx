import React from 'react';
import { Badge } from '@grafana/ui';
import { statusColour, statusText } from '../../services/workflowsFormat';

/** A run, step or approval status as a coloured badge: green done, red failed, orange waiting on a person. */
export function WorkflowStatus({ status }: { status: string }) {
  return <Badge color={statusColour(status)} text={statusText(status)} />;
}
