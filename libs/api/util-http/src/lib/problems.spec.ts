import { PROBLEMS, codesWithStatus, problemFor, unavailable } from './problems';

describe('problemFor', () => {
  it.each([
    ['upload.not_found', 404, 'Upload not found', 'urn:dropgate:problem:upload-not-found'],
    ['quota.exceeded', 409, 'Quota exceeded', 'urn:dropgate:problem:quota-exceeded'],
    ['idempotency.key_reused', 422, 'Idempotency key reused', 'urn:dropgate:problem:idempotency-key-reused'],
    // Types clients already match on, kept where they differ from the code.
    ['webhook.delivery_not_found', 404, 'Delivery not found', 'urn:dropgate:problem:delivery-not-found'],
    ['server.draining', 503, 'Not ready', 'urn:dropgate:problem:not-ready'],
  ] as const)('should answer %s with %i "%s" and the type %s', (code, status, title, type) => {
    const sut = problemFor(code, 'what happened');
    expect(sut.getStatus()).toBe(status);
    expect(sut.problem).toEqual({
      type,
      title,
      status,
      detail: 'what happened',
      errors: [{ field: '', code, message: 'what happened' }],
    });
  });

  it('should name the field, list the errors given instead, and carry the headers', () => {
    expect(problemFor('upload.not_found', 'gone', { field: 'id' }).problem.errors).toEqual([
      { field: 'id', code: 'upload.not_found', message: 'gone' },
    ]);
    const parts = [
      { field: 'parts.3', code: 'upload.parts_incomplete' as const, message: 'part 3 is missing' },
    ];
    expect(problemFor('upload.parts_incomplete', 'send part 3', { errors: parts }).problem.errors).toBe(
      parts,
    );
    expect(problemFor('upload.settling', 'busy', { headers: { 'retry-after': '2' } }).headers).toEqual({
      'retry-after': '2',
    });
  });

  it('should tell the client of an unavailable dependency to retry after 5 s', () => {
    const sut = unavailable('storage.unavailable', 'Storage cannot be reached right now');
    expect(sut.getStatus()).toBe(503);
    expect(sut.headers).toEqual({ 'retry-after': '5' });
  });
});

describe('codesWithStatus', () => {
  it('should list the codes of a status from the table, for the OpenAPI responses', () => {
    const conflicts = codesWithStatus(409);
    expect(conflicts).toEqual(
      expect.arrayContaining(['upload.settling', 'idempotency.in_flight', 'quota.exceeded']),
    );
    expect(conflicts.every((code) => PROBLEMS[code].status === 409)).toBe(true);
    expect(codesWithStatus(418)).toEqual([]);
  });
});
