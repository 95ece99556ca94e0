/**
 * The path of a request URL without its query string. A query may carry anything a client put
 * there: an `access_token`, or a presigned URL's `X-Amz-Signature` pasted onto our host, and
 * neither a log line nor an answer may repeat it. Even a parameter's name could be a token, so
 * none is kept.
 */
export function pathOf(url: string): string {
  const end = url.indexOf('?');
  return end === -1 ? url : url.slice(0, end);
}
