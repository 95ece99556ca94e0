import { Logger } from '@nestjs/common';
import { ProblemException, problemFor, unavailable } from '@dropgate/api/util-http';

/** The IAM action each S3 call of the API needs; a denied call names it in the log. */
export type S3Action =
  | 's3:GetObject'
  | 's3:PutObject'
  | 's3:DeleteObject'
  | 's3:ListMultipartUploadParts'
  | 's3:AbortMultipartUpload';

/** How an S3 error is answered: try again later, or an operator must change a setting. */
export type StorageFault =
  { kind: 'unavailable'; name: string } | { kind: 'misconfigured'; name: string; fix: string };

/** 503 `storage.unavailable`: the bucket could not be reached; nothing was changed. */
export function storageUnavailable(reason: string): ProblemException {
  return unavailable(
    'storage.unavailable',
    `Storage cannot be reached right now (${reason}); try again shortly`,
  );
}

/**
 * 500 `storage.misconfigured`: storage answered, and refused because of the API's own settings.
 * Retrying cannot help, so there is no Retry-After; what to change is in the log, not the answer.
 */
export function storageMisconfigured(reason: string): ProblemException {
  const detail = `Storage refused the request (${reason}): the API's storage settings need fixing; its log says how`;
  return problemFor('storage.misconfigured', detail);
}

const CREDENTIAL_ERRORS = new Set([
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'InvalidToken',
  'ExpiredToken',
  'TokenRefreshRequired',
]);
const REGION_ERRORS = new Set([
  'PermanentRedirect',
  'AuthorizationHeaderMalformed',
  'IllegalLocationConstraintException',
]);

/**
 * Sorts an S3 error. Access, credential, region and missing-bucket errors are the deployment's
 * to fix; throttling, 5xx and network errors pass. Anything else is taken as passing too: a 503
 * asks the client to retry, which is harmless, where a wrong 500 would stop it.
 */
export function classifyStorageError(error: unknown, action: S3Action, bucket: string): StorageFault {
  const name = (error as { name?: string }).name ?? 'error';
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (name === 'NoSuchBucket') {
    return {
      kind: 'misconfigured',
      name,
      fix: `create the bucket "${bucket}", or set S3_BUCKET to one that exists`,
    };
  }
  if (CREDENTIAL_ERRORS.has(name)) {
    return {
      kind: 'misconfigured',
      name,
      fix: "check the API's AWS credentials (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a profile or a role)",
    };
  }
  if (REGION_ERRORS.has(name)) {
    return {
      kind: 'misconfigured',
      name,
      fix: "set S3_REGION to the bucket's region (and S3_ENDPOINT if not AWS)",
    };
  }
  if (name === 'AccessDenied' || name === 'AllAccessDisabled' || status === 403) {
    return {
      kind: 'misconfigured',
      name,
      fix: `allow ${action} on arn:aws:s3:::${bucket}/* for the API's credentials`,
    };
  }
  return { kind: 'unavailable', name };
}

const logger = new Logger('Storage');
/** What has been logged: the fix is said once per action and error, not per request. */
const reported = new Set<string>();

/**
 * The problem an S3 error of `action` on `bucket` is answered with: a 503 when storage is down or
 * busy, or a 500 `storage.misconfigured` when the settings are wrong, logged once with the fix.
 * `error` is the SDK's, or its name and status as they crossed from the scan thread.
 */
export function storageProblem(error: unknown, action: S3Action, bucket: string): ProblemException {
  const fault = classifyStorageError(error, action, bucket);
  if (fault.kind === 'unavailable') return storageUnavailable(fault.name);
  const once = `${action} ${fault.name}`;
  if (!reported.has(once)) {
    reported.add(once);
    logger.error(`storage refused ${action} on bucket "${bucket}" with ${fault.name}: ${fault.fix}`);
  }
  return storageMisconfigured(fault.name);
}

/** Runs an S3 call of `action` on `bucket`; a failure becomes its storageProblem. */
export async function storageCall<T>(action: S3Action, bucket: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ProblemException) throw error;
    throw storageProblem(error, action, bucket);
  }
}
