import React from 'react';
import { EmptyState, LinkButton, Text } from '@grafana/ui';
import { ROUTES } from '../../constants';
import { prefixRoute } from '../../utils/utils.routing';

interface Props {
  /** One line: what is missing. */
  message: string;
  /** What the page will show and how its data gets there. */
  children: NonNullable<React.ReactNode>;
}

/** The empty state of an app page, with a way to check the engine from there. */
export function PageEmptyState({ message, children }: Props) {
  return (
    <EmptyState
      variant="call-to-action"
      message={message}
      button={
        <LinkButton href={prefixRoute(ROUTES.Settings)} variant="secondary" icon="cog">
          Check the engine connection
        </LinkButton>
      }
    >
      <Text element="p" color="secondary">
        {children}
      </Text>
    </EmptyState>
  );
}
