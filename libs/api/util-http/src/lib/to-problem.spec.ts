import {
  BadRequestException,
  HttpException,
  NotFoundException,
  PayloadTooLargeException,
} from '@nestjs/common';
import { ProblemException, problem } from './problem.exception';
import { toProblem } from './to-problem';
import { unavailable } from './problems';

describe('toProblem', () => {
  it.each<[string, unknown, number, string]>([
    ['a route that does not exist', new NotFoundException(), 404, 'route.not_found'],
    [
      'Nest reporting malformed JSON',
      new BadRequestException("Body is not valid JSON but content-type is set to 'application/json'"),
      400,
      'body.invalid_json',
    ],
    ['a body over the limit', new PayloadTooLargeException(), 413, 'body.too_large'],
    ['the rate limit', new HttpException('Too many requests', 429), 429, 'rate.limited'],
    [
      'Fastify refusing a media type',
      { statusCode: 415, code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE', message: 'Unsupported Media Type' },
      415,
      'body.unsupported_media_type',
    ],
    [
      'Fastify refusing a body size',
      { statusCode: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE', message: 'too large' },
      413,
      'body.too_large',
    ],
    [
      'Fastify failing to parse JSON',
      { statusCode: 400, code: 'FST_ERR_CTP_INVALID_JSON_BODY', message: 'Unexpected token' },
      400,
      'body.invalid_json',
    ],
  ])('should map %s', (_case, error, status, code) => {
    const sut = toProblem(error, 'POST', '/api/x');
    expect(sut.status).toBe(status);
    expect(sut.errors.map((e) => e.code)).toEqual([code]);
    expect(sut.type).toMatch(/^urn:dropgate:problem:/);
  });

  it('should pass a ProblemException through unchanged', () => {
    const body = problem(400, 'validation', 'Request is not valid', 'x', [
      { field: 'size', code: 'size.too_large', message: 'x' },
    ]);
    expect(toProblem(new ProblemException(body))).toBe(body);
  });

  it('should hide the details of an unexpected error behind a 500', () => {
    const sut = toProblem(new Error('secret connection string'));
    expect(sut.status).toBe(500);
    expect(JSON.stringify(sut)).not.toContain('secret');
  });
});

describe('ProblemException', () => {
  it("should carry the problem's detail as its message, for the logs of work no client waits on", () => {
    const sut = unavailable('database.unavailable', 'the database at 127.0.0.1:5432 refused the connection');
    expect(sut.message).toBe('the database at 127.0.0.1:5432 refused the connection');
    expect(`${(sut as Error).message}`).not.toMatch(/Problem ?Exception/);
  });
});
