/** The base64 MD5 of a blob, as `Content-MD5` carries it. Tests give the queue a fake. */
export abstract class Md5Hasher {
  abstract md5(blob: Blob): Promise<string>;
}
