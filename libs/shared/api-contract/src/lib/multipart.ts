/** One part to sign: its number (1-based) and the base64 MD5 of its bytes, as in `Content-MD5`. */
export interface PartToSign {
  partNumber: number;
  md5: string;
}

/** Body of `POST /api/uploads/:id/parts`: 1 to 100 parts. */
export interface SignPartsRequest {
  parts: PartToSign[];
}

/** A presigned `UploadPart`: PUT exactly the part's bytes to `url` with `headers`. */
export interface SignedPart {
  partNumber: number;
  url: string;
  /** Headers the signature covers besides `Content-Length`: send them as they are. */
  headers: Record<string, string>;
}

/** `200` of `POST /api/uploads/:id/parts`. */
export interface SignedParts {
  parts: SignedPart[];
  /** The URLs are refused from this moment; sign again for a part not sent by then. */
  expiresAt: string;
}

/** A part storage holds. */
export interface StoredPart {
  partNumber: number;
  size: number;
  /** Without quotes: the hex MD5 of the part's bytes. */
  etag: string;
}

/** `200` of `GET /api/uploads/:id/parts`: what storage holds so far, by part number. */
export interface StoredParts {
  parts: StoredPart[];
}
