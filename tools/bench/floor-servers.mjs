#!/usr/bin/env node
// The floors the full API is compared with, each a bare node:http server answering a create with
// the same conditions the API pins:
//   record   the work of POST /api/uploads by hand, as the best hand-written server would do it: the
//            bearer token verified with jose against the provider's key set (fetched once) and
//            then cached by its SHA-256 until its expiry, as the API does; one INSERT; the
//            minimal signer
//   sdk      @aws-sdk/s3-presigned-post per request (the SDK floor)
//   signing  a minimal SigV4 POST-policy signer: signing key cached per day, one HMAC per request
//   fixed    no signing and no parsing: a fixed 201 JSON body, which shows how far the load
//            generator can go (the bench wants it well above the signing floor)
// usage: floor-servers.mjs <record|sdk|signing|fixed> <port>
//   (S3_* and AWS_* from the environment; OIDC_ISSUER, OIDC_AUDIENCE and DATABASE_URL for record)
import { createHash, createHmac, createSecretKey, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { createLocalJWKSet, jwtVerify } from 'jose';
import pg from 'pg';

const [kind, port] = process.argv.slice(2);
const bucket = process.env.S3_BUCKET;
const region = process.env.S3_REGION ?? 'us-east-1';
const accessKeyId = process.env.AWS_ACCESS_KEY_ID;
const secretAccessKey = process.env.AWS_SECRET_ACCESS_KEY;
const client = new S3Client({ region, endpoint: process.env.S3_ENDPOINT, forcePathStyle: true });

function keyFor(fileName) {
  const d = new Date().toISOString();
  return `bench/${d.slice(0, 4)}/${d.slice(5, 7)}/${d.slice(8, 10)}/${randomUUID()}/${fileName}`;
}

const sdkSign = async ({ fileName, contentType, size }) => {
  const post = await createPresignedPost(client, {
    Bucket: bucket,
    Key: keyFor(fileName),
    Fields: { 'Content-Type': contentType, success_action_status: '201' },
    Conditions: [['content-length-range', size, size]],
    Expires: 300,
  });
  return { ...post, key: post.fields.key };
};

const url = `${process.env.S3_ENDPOINT}/${bucket}`;
let cached = { day: '', key: undefined };
const minimalSign = async ({ fileName, contentType, size }) => {
  const now = new Date();
  const amzDate = now
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
  const day = amzDate.slice(0, 8);
  if (cached.day !== day) {
    const hmac = (k, d) => createHmac('sha256', k).update(d).digest();
    cached = {
      day,
      // A KeyObject: on Node 24 a Buffer key is converted on every HMAC, at five times its cost.
      key: createSecretKey(
        hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, day), region), 's3'), 'aws4_request'),
      ),
    };
  }
  const key = keyFor(fileName);
  const fields = {
    'Content-Type': contentType,
    success_action_status: '201',
    bucket,
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    'X-Amz-Credential': `${accessKeyId}/${day}/${region}/s3/aws4_request`,
    'X-Amz-Date': amzDate,
  };
  const expiration = new Date(now.getTime() + 300_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const conditions = [
    ['content-length-range', size, size],
    ...Object.entries(fields).map(([k, v]) => ({ [k]: v })),
    { key },
  ];
  const Policy = Buffer.from(JSON.stringify({ expiration, conditions })).toString('base64');
  const signature = createHmac('sha256', cached.key).update(Policy).digest('hex');
  return { url, fields: { ...fields, key, Policy, 'X-Amz-Signature': signature }, key };
};

/** The record floor's one-time set-up: the provider's keys, a verified-token cache, and a pool like the API's. */
async function recordSigner() {
  const issuer = process.env.OIDC_ISSUER;
  const discovery = await (await fetch(`${issuer}/.well-known/openid-configuration`)).json();
  const jwks = createLocalJWKSet(await (await fetch(discovery.jwks_uri)).json());
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
  const verified = new Map();
  const principalOf = async (token) => {
    const digest = createHash('sha256').update(token).digest('base64');
    const hit = verified.get(digest);
    if (hit && hit.expiresAtMs > Date.now()) return hit.payload;
    const { payload } = await jwtVerify(token, jwks, {
      issuer,
      audience: process.env.OIDC_AUDIENCE,
      algorithms: ['RS256'],
    });
    verified.set(digest, { payload, expiresAtMs: payload.exp * 1000 });
    return payload;
  };
  return async (body, authorization) => {
    const token = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
    if (!token) throw new Error('no bearer token');
    const payload = await principalOf(token);
    const post = await minimalSign(body);
    const id = randomUUID();
    await pool.query({
      name: 'insert-upload',
      text: `INSERT INTO uploads (id, owner_issuer, owner_subject, owner_segment, key, file_name, content_type, size, status, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', now() + interval '5 minutes')`,
      values: [id, payload.iss, payload.sub, 'bench', post.key, body.fileName, body.contentType, body.size],
    });
    return { id, ...post };
  };
}

const signers = {
  sdk: sdkSign,
  signing: minimalSign,
  ...(kind === 'record' && { record: await recordSigner() }),
};
const JSON_HEADERS = { 'content-type': 'application/json', 'cache-control': 'no-store' };

function signingServer(sign) {
  return createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', async () => {
      try {
        const post = await sign(JSON.parse(body), request.headers.authorization);
        response.writeHead(201, JSON_HEADERS);
        response.end(JSON.stringify({ ...post, expiresAt: new Date(Date.now() + 300_000).toISOString() }));
      } catch (error) {
        response.writeHead(400).end(String(error));
      }
    });
  });
}

/** Reads and drops the body, then answers the same bytes every time: only HTTP's own cost. */
function fixedServer() {
  const body = JSON.stringify({ id: '0190f3c2-7b1e-7cc4-9d6a-3f2b1c0d9e8f', status: 'pending' });
  return createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(201, JSON_HEADERS);
      response.end(body);
    });
  });
}

const server = kind === 'fixed' ? fixedServer() : signers[kind] && signingServer(signers[kind]);
if (!server) throw new Error('usage: floor-servers.mjs <record|sdk|signing|fixed> <port>');
server.listen(Number(port), '127.0.0.1', () => console.log(`ready ${port}`));
