import React from 'react';

/**
 * Stand-in for react-inlinesvg in jest: an empty <svg> named after the icon file.
 * The scaffolded mock runs a backtracking regex over Grafana's 95 kB EmptyState illustration (a data URI),
 * which takes seconds per render; this one reads the name with string search.
 */
export default function InlineSVG({ src }: { src: string }) {
  const name = src.startsWith('data:')
    ? 'inline-illustration'
    : src.slice(src.lastIndexOf('/') + 1).replace(/\.svg$/, '');
  return <svg xmlns="http://www.w3.org/2000/svg" data-testid={name} viewBox="0 0 24 24" />;
}
