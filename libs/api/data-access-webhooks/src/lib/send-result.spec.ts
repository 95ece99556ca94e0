import { blockedBy, failureOf } from './send-result';
import { WebhookBlockedError } from './guarded-lookup';

const withCode = (code: string) => Object.assign(new Error(code), { code });

describe('failureOf', () => {
  it.each([
    [withCode('ECONNREFUSED'), 'connection refused'],
    [withCode('ECONNRESET'), 'reset'],
    [withCode('UND_ERR_SOCKET'), 'reset'],
    [withCode('UND_ERR_CONNECT_TIMEOUT'), 'connect timeout'],
    [withCode('ENOTFOUND'), 'host not found'],
    [withCode('EHOSTUNREACH'), 'unreachable'],
    [withCode('CERT_HAS_EXPIRED'), 'certificate rejected'],
    [withCode('ERR_TLS_CERT_ALTNAME_INVALID'), 'certificate rejected'],
    [withCode('DEPTH_ZERO_SELF_SIGNED_CERT'), 'certificate rejected'],
    [withCode('ERR_SSL_WRONG_VERSION_NUMBER'), 'tls error'],
    [new DOMException('The operation was aborted due to timeout', 'TimeoutError'), 'timeout'],
    [new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')]), 'connection refused'],
    [new Error('wrapped', { cause: withCode('ECONNRESET') }), 'reset'],
    [withCode('SOMETHING_NEW'), 'network error'],
    ['not even an error', 'network error'],
  ])('should name %s as %s', (error, failure) => {
    expect(failureOf(error)).toBe(failure);
  });

  it('should call it aborted when the caller cancelled, whatever the error', () => {
    const controller = new AbortController();
    controller.abort();
    expect(failureOf(withCode('ECONNRESET'), controller.signal)).toBe('aborted');
  });
});

describe('blockedBy', () => {
  it('should find a blocking error inside the errors of an AggregateError', () => {
    const blocked = new WebhookBlockedError('x resolves to 10.0.0.1: private');
    expect(blockedBy(new AggregateError([withCode('ECONNREFUSED'), blocked]))).toBe(blocked);
  });

  it('should find none in an ordinary network error', () => {
    expect(blockedBy(withCode('ECONNREFUSED'))).toBeUndefined();
  });
});
