import { escapeQueryRegex, escapeQueryString, formatQueryVariable } from './queryInterpolation';

describe('query variable formatting', () => {
  it('escapes a single value for a double-quoted string', () => {
    expect(escapeQueryString('say "hi" \\ bye')).toBe('say \\"hi\\" \\\\ bye');
    expect(formatQueryVariable('checkout', { multi: false, includeAll: false })).toBe('checkout');
    expect(formatQueryVariable('a"b', undefined)).toBe('a\\"b');
  });

  it('turns several values into an escaped regex alternation for =~', () => {
    expect(escapeQueryRegex('api.v1')).toBe('api\\\\.v1');
    expect(formatQueryVariable(['checkout', 'pay.ments', 'a|b'], { multi: true })).toBe(
      'checkout|pay\\\\.ments|a\\\\|b'
    );
  });

  it('regex-escapes the one value of a multi-value variable, since the query uses =~', () => {
    expect(formatQueryVariable('web(1)', { multi: true })).toBe('web\\\\(1\\\\)');
    expect(formatQueryVariable(['only'], { includeAll: true })).toBe('only');
  });
});
