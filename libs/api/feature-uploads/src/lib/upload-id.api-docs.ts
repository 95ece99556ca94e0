import { ApiParam } from '@dropgate/api/util-http';

/** The `:id` path parameter of every route on one upload. */
export const ApiUploadId = () =>
  ApiParam({
    name: 'id',
    description: 'The upload id (a UUIDv7)',
    example: '019ac4e2-7b1a-7c3e-9f00-2b6e4c1d8a55',
  });
