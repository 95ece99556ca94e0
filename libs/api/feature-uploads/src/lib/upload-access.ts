import type { Upload, UploadsRepository } from '@dropgate/api/data-access-db';
import type { Principal } from '@dropgate/shared/api-contract';
import { uploadNotFound } from './upload-errors';

export const isAdmin = (principal: Principal) => principal.scopes.includes('uploads:admin');

export const owns = (principal: Principal, upload: Upload) =>
  upload.owner_issuer === principal.issuer && upload.owner_subject === principal.subject;

/**
 * The upload, if the principal owns it or holds `uploads:admin`; otherwise 404, exactly as for an
 * id that does not exist, so that nobody learns which ids exist.
 */
export async function findVisible(
  uploads: UploadsRepository,
  id: string,
  principal: Principal,
): Promise<Upload> {
  const upload = await uploads.findById(id);
  if (!upload || !(owns(principal, upload) || isAdmin(principal))) throw uploadNotFound();
  return upload;
}

/**
 * The upload, if the principal owns it; 404 for anyone else, admins included: only the owner
 * sends an upload's bytes.
 */
export async function findOwned(
  uploads: UploadsRepository,
  id: string,
  principal: Principal,
): Promise<Upload> {
  const upload = await uploads.findById(id);
  if (!upload || !owns(principal, upload)) throw uploadNotFound();
  return upload;
}
