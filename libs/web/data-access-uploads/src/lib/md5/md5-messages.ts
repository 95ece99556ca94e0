/** What the page asks the MD5 worker. */
export interface Md5Job {
  id: number;
  blob: Blob;
}

/** The worker's answer: the base64 MD5 (as in Content-MD5), or why it could not be computed. */
export type Md5Result = { id: number; md5: string } | { id: number; error: string };
