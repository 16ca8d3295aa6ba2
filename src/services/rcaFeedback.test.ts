import { feedbackReducer, feedbackStatusText } from './rcaFeedback';

describe('feedbackReducer', () => {
  it('goes from pending to done or to the error, per service', () => {
    const pending = feedbackReducer({}, { type: 'send', service: 'checkout', verdict: 'confirm' });
    expect(pending).toEqual({ checkout: { phase: 'pending', verdict: 'confirm' } });
    // A second click while the first is in flight changes nothing.
    expect(feedbackReducer(pending, { type: 'send', service: 'checkout', verdict: 'reject' })).toBe(pending);
    const done = feedbackReducer(pending, { type: 'sent', service: 'checkout', verdict: 'confirm' });
    expect(feedbackStatusText(done.checkout ?? { phase: 'idle' })).toBe('Confirmed');
    const failed = feedbackReducer(done, { type: 'failed', service: 'cart', verdict: 'reject', message: 'down' });
    expect(failed.checkout).toEqual({ phase: 'done', verdict: 'confirm' });
    expect(feedbackStatusText(failed.cart ?? { phase: 'idle' })).toBe('Not saved: down');
  });
});
