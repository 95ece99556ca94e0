import { attemptResult, healthOf } from './webhook-text';
import { endpoint } from './testing/fake-webhooks-api';

describe('healthOf', () => {
  it.each([
    [
      'disabled, whatever else',
      { enabled: false, health: { failuresInRow: 0, lastSuccessAt: 'x' } },
      'disabled',
    ],
    [
      'failing since a time',
      { health: { failuresInRow: 0, failingSince: 'x', lastSuccessAt: 'x' } },
      'failing',
    ],
    ['failures in a row', { health: { failuresInRow: 2, lastSuccessAt: 'x' } }, 'failing'],
    ['a last success', { health: { failuresInRow: 0, lastSuccessAt: 'x' } }, 'healthy'],
    ['nothing sent yet', { health: { failuresInRow: 0 } }, 'untried'],
  ] as const)('should call an endpoint with %s %p', (_case, overrides, expected) => {
    expect(healthOf(endpoint(1, overrides))).toBe(expected);
  });
});

describe('attemptResult', () => {
  it.each([
    [{ outcome: 'response', statusCode: 503 }, 'HTTP 503'],
    [{ outcome: 'blocked' }, 'Blocked: the target is not allowed'],
    [{ outcome: 'failed' }, 'No response'],
  ] as const)('should describe %p as %p', (attempt, expected) => {
    expect(attemptResult({ at: '', durationMs: 1, ...attempt })).toBe(expected);
  });
});
