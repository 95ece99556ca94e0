/**
 * Error bodies as the Ceph RADOS Gateway returns them for a presigned POST (recorded from the
 * local gateway), plus AWS S3's own wording where it differs.
 */
const cephError = (code: string, message = '') =>
  `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message><BucketName>dropgate-local</BucketName><RequestId>tx0000099a2dd85c07203de-006b051554-371f-default</RequestId><HostId>371f-default-default</HostId></Error>`;

export const S3_ERROR_BODIES = {
  cephPolicyExpired: cephError('AccessDenied', 'Policy expired'),
  awsPolicyExpired:
    '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Invalid according to Policy: Policy expired.</Message><RequestId>4442587FB7D0A2F9</RequestId><HostId>Xk3XQ==</HostId></Error>',
  entityTooLarge: cephError('EntityTooLarge'),
  entityTooSmall: cephError('EntityTooSmall'),
  wrongContentType: cephError(
    'AccessDenied',
    'Policy check failed, variable not met condition: Content-Type',
  ),
  extraField: cephError('AccessDenied', 'Policy missing condition: x-amz-meta-x'),
  badSignature: cephError('AccessDenied'),
  noSuchBucket: cephError('NoSuchBucket'),
  slowDown: cephError('SlowDown', 'Please reduce your request rate.'),
  internalError: cephError('InternalError'),
  /** A part PUT whose bytes do not have the signed Content-MD5. */
  badDigest: cephError('BadDigest'),
};

export const S3_CREATED_BODY =
  '<PostResponse><Location>http://127.0.0.1:7480/dropgate-local/uploads%2Fa.txt</Location><Bucket>dropgate-local</Bucket><Key>uploads/a &amp; b.txt</Key><ETag>5d41402abc4b2a76b9719d911017c592</ETag></PostResponse>';
