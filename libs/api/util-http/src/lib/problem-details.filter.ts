import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { PROBLEM_CONTENT_TYPE, ProblemException } from './problem.exception';
import { toProblem } from './to-problem';

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

/**
 * Sends every error as `application/problem+json`; logs the unexpected ones with their stack. A
 * `ProblemException` is an answer the code chose (a 503 while a dependency is down, a 500 for a
 * misconfiguration it has logged once already), so it is not logged again for each request; the
 * request line still carries its status.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Problem');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const body = toProblem(exception, request.method, request.url);
    const reply = http.getResponse<Reply>();
    if (exception instanceof ProblemException) {
      for (const [name, value] of Object.entries(exception.headers)) reply.header(name, value);
    }
    if (body.status >= 500 && !(exception instanceof ProblemException)) {
      this.logger.error(
        exception instanceof Error ? (exception.stack ?? exception.message) : String(exception),
      );
    }
    reply
      .status(body.status)
      .header('content-type', PROBLEM_CONTENT_TYPE)
      .header('cache-control', 'no-store')
      .send({ ...body, instance: request.url.split('?')[0] });
  }
}
