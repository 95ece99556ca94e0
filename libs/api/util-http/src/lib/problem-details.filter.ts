import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { PROBLEM_CONTENT_TYPE, ProblemException } from './problem.exception';
import { toProblem } from './to-problem';
import { pathOf } from './url-path';

/** The parts of a Fastify reply and request this filter uses. */
interface Reply {
  status(code: number): Reply;
  header(name: string, value: string): Reply;
  send(body: unknown): unknown;
}
interface Request {
  method: string;
  url: string;
}

const logger = new Logger('Problem');

/**
 * Answers `exception` as `application/problem+json`; logs the unexpected ones with their stack. A
 * `ProblemException` is an answer the code chose (a 503 while a dependency is down, a 500 for a
 * misconfiguration it has logged once already), so it is not logged again for each request; the
 * request line still carries its status. The exception filter's answer, and that of the routes
 * registered on Fastify itself, which Nest's filters never see.
 */
export function replyWithProblem(exception: unknown, request: Request, reply: Reply): void {
  const body = toProblem(exception, request.method, request.url);
  if (exception instanceof ProblemException) {
    for (const [name, value] of Object.entries(exception.headers)) reply.header(name, value);
  }
  if (body.status >= 500 && !(exception instanceof ProblemException)) {
    logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
  }
  reply
    .status(body.status)
    .header('content-type', PROBLEM_CONTENT_TYPE)
    .header('cache-control', 'no-store')
    .send({ ...body, instance: pathOf(request.url) });
}

/** Sends every error of Nest's routes with `replyWithProblem`. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    replyWithProblem(exception, http.getRequest<Request>(), http.getResponse<Reply>());
  }
}
