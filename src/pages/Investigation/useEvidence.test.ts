import { parseIncidentEvidence } from '../../services/evidence';
import { checkoutEvidenceJson } from '../../datasource/testing/perceptionFixtures';
import { DEFAULT_UPSTREAM_UIDS } from '../../datasource/upstreams';
import { EVIDENCE_LOADING, evidenceReducer, type EvidenceView } from './useEvidence';

const read = {
  evidence: parseIncidentEvidence(checkoutEvidenceJson(Date.parse('2026-11-23T22:00:00Z')), '/x'),
  uids: DEFAULT_UPSTREAM_UIDS,
};
const datasource = { uid: 'ds', name: 'IntelOps', engineUrl: 'http://engine:8686' };
const shown: EvidenceView = { phase: 'data', read, collecting: false };

describe('evidenceReducer', () => {
  it('goes from loading to the evidence, or to the error in words', () => {
    expect(
      evidenceReducer(EVIDENCE_LOADING, { type: 'loaded', result: { state: 'ok', value: read, datasource } })
    ).toEqual(shown);
    expect(
      evidenceReducer(EVIDENCE_LOADING, { type: 'loaded', result: { state: 'failed', message: 'down', datasource } })
    ).toEqual({ phase: 'error', message: 'down', datasource });
    expect(evidenceReducer(EVIDENCE_LOADING, { type: 'loaded', result: { state: 'no-datasource' } })).toEqual({
      phase: 'no-datasource',
    });
  });

  it('keeps the evidence on screen while collecting, and replaces it with the new answer', () => {
    const collecting = evidenceReducer(shown, { type: 'collect' });
    expect(collecting).toEqual({ ...shown, collecting: true, collectError: undefined });
    const fresh = { ...read, evidence: { ...read.evidence, evidence: [] } };
    expect(
      evidenceReducer(collecting, { type: 'collected', result: { state: 'ok', value: fresh, datasource } })
    ).toEqual({
      phase: 'data',
      read: fresh,
      collecting: false,
    });
  });

  it('keeps the evidence and says why when collecting fails', () => {
    const collecting = evidenceReducer(shown, { type: 'collect' });
    expect(
      evidenceReducer(collecting, {
        type: 'collected',
        result: { state: 'failed', message: 'Loki timed out', datasource },
      })
    ).toEqual({ ...shown, collecting: false, collectError: 'Loki timed out' });
  });

  it('ignores a collect before anything was shown, and starts over on load', () => {
    expect(evidenceReducer(EVIDENCE_LOADING, { type: 'collect' })).toBe(EVIDENCE_LOADING);
    expect(evidenceReducer(shown, { type: 'load' })).toBe(EVIDENCE_LOADING);
  });
});
