// The end checks, read from the database and the bucket themselves rather than from what the
// API says: every upload the client holds as done is `available` with what it sent, no
// Idempotency-Key made two records, no object lacks a live record, and no 5xx (or unanswered
// request) reached the client outside a fault's window.
import { ListMultipartUploadsCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import pg from 'pg';
import { faultChecks } from './fault-checks.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/** Statuses whose staged object is still needed (the API's STAGING_NEEDED). */
const STAGING_NEEDED = new Set(['pending', 'scanning', 'held']);

const check = (name, failures, detail) => ({ name, passed: failures.length === 0, failures, detail });

async function rows(databaseUrl) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows: uploads } = await client.query(
      `SELECT id, file_name, status, status_reason, key, staging_key, sweep_after, md5, etag, method, s3_upload_id
         FROM uploads`,
    );
    return uploads;
  } finally {
    await client.end();
  }
}

async function listObjects(s3, bucket, prefix) {
  const keys = [];
  for (let token; ;) {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
    );
    keys.push(...(page.Contents ?? []).map((object) => object.Key));
    if (!page.IsTruncated) return keys;
    token = page.NextContinuationToken;
  }
}

/** Every upload the client holds as done is `available`, with the MD5 (POST) or ETag (parts) it sent. */
function doneChecks(client, byId) {
  const recorded = (id) => {
    const row = byId.get(id);
    return row ? ` (recorded: ${row.status}${row.status_reason ? `, ${row.status_reason}` : ''})` : '';
  };
  const wrong = [];
  for (const upload of client.done) {
    const row = byId.get(upload.id);
    if (!row) wrong.push(`${upload.id}: no record`);
    else if (row.status !== 'available') wrong.push(`${upload.id}: ${row.status}`);
    else if (!upload.multipart && Buffer.from(row.md5 ?? '', 'base64').toString('hex') !== upload.md5)
      wrong.push(`${upload.id}: recorded MD5 ${row.md5}, sent ${upload.md5}`);
    else if (upload.multipart && row.etag?.replaceAll('"', '') !== upload.etag)
      wrong.push(`${upload.id}: recorded ETag ${row.etag}, parts sent make ${upload.etag}`);
  }
  return [
    check(
      'every upload held as done is available, with what was sent',
      wrong,
      `${client.done.length} checked`,
    ),
    check(
      'no upload failed for good',
      client.failed.map(({ fileName, id, error }) => `${fileName}: ${error}${recorded(id)}`),
      `${client.failed.length} of ${client.creates.length} begun`,
    ),
  ];
}

/**
 * Each create's Idempotency-Key made exactly one record (the client names every file apart), the
 * one its answer named; and no record was made that no create asked for.
 */
function idempotencyCheck(client, all) {
  const byName = Map.groupBy(all, (row) => row.file_name);
  const problems = [];
  for (const { fileName, key, id } of client.creates) {
    const made = byName.get(fileName) ?? [];
    if (made.length > 1)
      problems.push(`key ${key} made ${made.length} records: ${made.map((r) => r.id).join(', ')}`);
    if (id && !made.some((row) => row.id === id))
      problems.push(`key ${key} was answered ${id}, not recorded`);
  }
  const names = new Set(client.creates.map((create) => create.fileName));
  for (const row of all)
    if (!names.has(row.file_name)) problems.push(`${row.id}: a record no create asked for`);
  const replayed = client.creates.filter((create) => create.replayed).length;
  const unanswered = client.creates.filter((create) => !create.id).length;
  return check(
    'no Idempotency-Key made two records',
    problems,
    `${client.creates.length} keys, ${all.length} records, ${replayed} creates answered by a replay, ${unanswered} never answered`,
  );
}

/**
 * Sorts each object under the run's prefix: held by a live record (a final key of an available
 * upload; a staged object of an upload that still needs it), due to be swept (the staged object
 * of a settled upload, until its policy can write no more), or an orphan.
 */
function classify(keys, all) {
  const byKey = new Map(all.map((row) => [row.key, row]));
  const byStaging = new Map(all.filter((row) => row.staging_key).map((row) => [row.staging_key, row]));
  const sorted = { held: [], awaitingSweep: [], orphans: [] };
  for (const key of keys) {
    const final = byKey.get(key);
    const staged = byStaging.get(key);
    if (final?.status === 'available') sorted.held.push(key);
    else if (staged && STAGING_NEEDED.has(staged.status)) sorted.held.push(key);
    else if (staged?.sweep_after)
      sorted.awaitingSweep.push({ key, status: staged.status, sweepAfter: staged.sweep_after });
    else if (final) sorted.orphans.push(`${key}: the final object of a ${final.status} upload`);
    else if (staged)
      sorted.orphans.push(`${key}: the staged object of a ${staged.status} upload, no sweep due`);
    else sorted.orphans.push(`${key}: no record`);
  }
  return sorted;
}

/**
 * The bucket against the records. With `waitForSweep`, waits (within reason) until the staging
 * sweep has deleted the staged objects of settled uploads; what is still due is listed apart.
 */
async function bucketChecks({ s3, bucket, prefix, databaseUrl, waitForSweep, say }) {
  let all;
  let sorted;
  let keys;
  const deadline = Date.now() + 4 * 60_000;
  for (;;) {
    all = await rows(databaseUrl);
    keys = await listObjects(s3, bucket, prefix);
    sorted = classify(keys, all);
    if (!waitForSweep || sorted.awaitingSweep.length === 0 || Date.now() > deadline) break;
    const last = Math.max(...sorted.awaitingSweep.map((object) => object.sweepAfter.getTime()));
    say(
      `waiting for the staging sweep: ${sorted.awaitingSweep.length} staged objects, the last due ${new Date(last).toISOString()}`,
    );
    await sleep(Math.min(Math.max(last - Date.now(), 0) + 10_000, 30_000));
  }
  const missing = all
    .filter((row) => row.status === 'available' && !keys.includes(row.key))
    .map((row) => `${row.id}: available, but no object at ${row.key}`);
  const { Uploads = [] } = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: prefix }));
  const pendingParts = new Set(all.filter((row) => row.status === 'pending').map((row) => row.s3_upload_id));
  const strayParts = Uploads.filter((upload) => !pendingParts.has(upload.UploadId)).map(
    (upload) => `${upload.Key}: parts of multipart upload ${upload.UploadId}, no pending record`,
  );
  return {
    all,
    sorted,
    checks: [
      check(
        'no object in the bucket lacks a live record',
        [...sorted.orphans, ...strayParts],
        `${keys.length} objects: ${sorted.held.length} held by a record, ${sorted.awaitingSweep.length} staged objects of settled uploads awaiting the staging sweep`,
      ),
      check(
        'every available record has its object',
        missing,
        `${all.filter((r) => r.status === 'available').length} available`,
      ),
    ],
  };
}

/**
 * Whether an answer came in a window that allows its status. When it came is what counts: a
 * request sent just before an instance was killed is answered 502 just after.
 */
const excused = (answer, windows) => {
  const came = answer.at + answer.ms;
  return windows.some((w) => came >= w.start && came <= w.end && w.allowed.includes(answer.status));
};

/** No 5xx, and no request left unanswered, outside the stated windows. */
function windowCheck(client, windows) {
  const bad = client.answers.filter((a) => (a.status === 0 || a.status >= 500) && !excused(a, windows));
  return check(
    'no 5xx or unanswered request outside a fault window',
    bad.map(
      (a) =>
        `${new Date(a.at).toISOString()} ${a.route}: ${a.status || 'no answer'}${a.code ? ` ${a.code}` : ''}`,
    ),
    `${client.answers.length} answers`,
  );
}

/** No instance exited but the one SIGKILLed, and every instance up before PostgreSQL's restart still is. */
function crashCheck(stack, windows, alive) {
  const killed = windows.find((w) => w.id === 'kill');
  const unexpected = stack.exits.filter(
    (exit) => !(killed && exit.how === 'SIGKILL' && exit.at >= killed.start && exit.at <= killed.recovered),
  );
  const pg = windows.find((w) => w.id === 'pg');
  const gone = (pg?.notes.pids ?? [])
    .filter((pid) => !alive(pid))
    .map((pid) => `pid ${pid} is gone after PostgreSQL's restart`);
  return check(
    'no instance crashed',
    [...unexpected.map((exit) => `${exit.instance} exited (${exit.how})`), ...gone],
    `${stack.exits.length} exits reported by the cluster`,
  );
}

/** Every end check; `result.checks` in the order the report prints them. */
export async function endChecks({ client, windows, stack, alive, waitForSweep, say }) {
  const bucket = await bucketChecks({
    s3: stack.s3,
    bucket: stack.bucket,
    prefix: stack.prefix,
    databaseUrl: stack.databaseUrl,
    waitForSweep,
    say,
  });
  const byId = new Map(bucket.all.map((row) => [row.id, row]));
  return {
    checks: [
      ...doneChecks(client, byId),
      idempotencyCheck(client, bucket.all),
      ...bucket.checks,
      windowCheck(client, windows),
      ...faultChecks(client, windows),
      crashCheck(stack, windows, alive),
    ],
    awaitingSweep: bucket.sorted.awaitingSweep,
    statuses: Object.fromEntries(
      Map.groupBy(bucket.all, (row) => row.status)
        .entries()
        .map(([s, r]) => [s, r.length]),
    ),
  };
}
