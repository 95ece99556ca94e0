import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalServiceError } from '../local-service/errors.mjs';
import {
  assertPortFree,
  httpAnswers,
  livePid,
  prepareDir,
  stopPid,
  waitFor,
} from '../local-service/processes.mjs';
import { endpointOf } from './config.mjs';
import { assertCephInstalled, run } from './ceph.mjs';

/** The three daemons, in start order. `name` is Ceph's entity name and names the pid file. */
export const DAEMONS = [
  { name: 'mon.a', label: 'monitor', bin: 'ceph-mon', args: ['-i', 'a'] },
  { name: 'osd.0', label: 'OSD', bin: 'ceph-osd', args: ['-i', '0'] },
  { name: 'client.rgw', label: 'gateway', bin: 'radosgw', args: ['-n', 'client.rgw'] },
];
const [MON, OSD, RGW] = DAEMONS;

export function layout(dir) {
  return {
    dir,
    conf: join(dir, 'ceph.conf'),
    state: join(dir, 'cluster.json'),
    monmap: join(dir, 'monmap'),
    run: join(dir, 'run'),
    log: join(dir, 'log'),
    keyring: (name) => join(dir, `${name}.keyring`),
    pidFile: (name) => join(dir, 'run', `${name}.pid`),
  };
}

export function cephConf(options, fsid) {
  const { dir, run: runDir, log } = layout(options.dir);
  const storage =
    options.store === 'memstore'
      ? ['osd objectstore = memstore', 'memstore device bytes = 8589934592']
      : [
          'osd objectstore = bluestore',
          'bluestore block create = true',
          // A sparse file: only what is written takes disk space.
          'bluestore block size = 21474836480',
          // Without these caps one OSD grows to several gigabytes of memory.
          'osd memory target = 943718400',
          'bluestore cache autotune = false',
          'bluestore cache size = 134217728',
        ];
  return [
    '[global]',
    `fsid = ${fsid}`,
    `mon host = [v2:127.0.0.1:${options.monPort}]`,
    'mon initial members = a',
    `keyring = ${dir}/$name.keyring`,
    'auth cluster required = cephx',
    'auth service required = cephx',
    'auth client required = cephx',
    'osd pool default size = 1',
    'osd pool default min size = 1',
    'osd pool default pg num = 8',
    'osd pool default pgp num = 8',
    'mon allow pool size one = true',
    'mon max pg per osd = 1000',
    'mon warn on pool no redundancy = false',
    'osd crush chooseleaf type = 0',
    'ms bind ipv6 = false',
    'mon data avail warn = 5',
    'mon data avail crit = 1',
    `run dir = ${runDir}`,
    `admin socket = ${runDir}/$name.asok`,
    `pid file = ${runDir}/$name.pid`,
    `log file = ${log}/$name.log`,
    '',
    '[mon]',
    `mon data = ${dir}/mon/$id`,
    '',
    '[osd]',
    `osd data = ${dir}/osd/$id`,
    ...storage,
    '',
    '[client.rgw]',
    // Without tcp_nodelay, a reply written in two pieces (CopyObject's, a POST's 201 body) waits
    // for the client's delayed ACK on a reused connection: 40 ms more for each.
    `rgw frontends = beast endpoint=127.0.0.1:${options.port} tcp_nodelay=1`,
    `rgw data = ${dir}/rgw`,
    'rgw enable usage log = false',
    // Deleted objects' data is freed by the gateway's garbage collector, two hours later by
    // default; a throwaway store in memory needs the room back sooner.
    ...(options.store === 'memstore' ? ['rgw gc obj min wait = 0', 'rgw gc processor period = 10'] : []),
    '',
  ].join('\n');
}

/** Which daemons are alive, by pid file. */
export function daemonStatus(options) {
  const paths = layout(options.dir);
  return DAEMONS.map((daemon) => ({ name: daemon.name, pid: livePid(paths.pidFile(daemon.name)) }));
}

/** Any HTTP answer counts: the gateway answers an anonymous GET of its root with an error. */
export const gatewayAnswers = (options) => httpAnswers(endpointOf(options));

/**
 * Starts whatever is not running yet and returns what it did; a fully running cluster is a no-op.
 * `started` lists the daemons this call started, so that a caller stops only what it started.
 */
export async function startCluster(options, say = () => undefined) {
  assertCephInstalled();
  prepareDir(options.dir);
  const paths = layout(options.dir);
  const before = daemonStatus(options);
  if (before.every((d) => d.pid) && (await gatewayAnswers(options))) {
    return { alreadyRunning: true, started: [] };
  }
  if (before.every((d) => !d.pid)) {
    await assertPortFree(options.port, '--port');
    await assertPortFree(options.monPort, '--mon-port');
  }
  const state = await ensureInitialised(options, paths, say);
  const started = [];
  const ceph = (...args) => run('ceph', ['-c', paths.conf, '--connect-timeout', '10', ...args]);
  const isRunning = (daemon) => livePid(paths.pidFile(daemon.name)) !== undefined;
  const start = async (daemon) => {
    say(`starting ${daemon.label}`);
    await run(daemon.bin, ['-c', paths.conf, ...daemon.args]);
    started.push(daemon.name);
  };

  if (!isRunning(MON)) await start(MON);
  await waitFor(() => ceph('mon', 'stat'), {
    timeoutMs: 30_000,
    message: logHint(paths, 'mon.a', 'the monitor did not answer in 30 s'),
  });

  if (!isRunning(OSD)) {
    // A memstore OSD loses its store when it stops, so it is made anew before each start.
    if (!state.osdCreated || options.store === 'memstore') await createOsd(options, paths, state, ceph, say);
    await start(OSD);
  }
  await waitFor(async () => JSON.parse(await ceph('osd', 'dump', '--format', 'json')).osds?.[0]?.up === 1, {
    timeoutMs: 60_000,
    message: logHint(paths, 'osd.0', 'the OSD did not come up in 60 s'),
  });

  if (!isRunning(RGW)) {
    await ceph(
      'auth',
      'get-or-create',
      'client.rgw',
      'mon',
      'allow rw',
      'osd',
      'allow rwx',
      '-o',
      paths.keyring('client.rgw'),
    );
    await start(RGW);
  }
  await waitFor(() => gatewayAnswers(options), {
    timeoutMs: 90_000,
    message: logHint(paths, 'client.rgw', `the gateway did not answer on ${endpointOf(options)} in 90 s`),
  });
  return { alreadyRunning: false, started };
}

function logHint(paths, name, message) {
  return `${message}; see ${join(paths.log, `${name}.log`)}`;
}

async function ensureInitialised(options, paths, say) {
  if (existsSync(paths.state)) {
    const state = JSON.parse(readFileSync(paths.state, 'utf8'));
    if (state.store !== options.store) {
      throw new LocalServiceError(
        `${options.dir} holds a ${state.store} cluster, not ${options.store}; run reset first or choose another --dir`,
      );
    }
    // Ports may change between starts; the identity of the cluster may not.
    writeFileSync(paths.conf, cephConf(options, state.fsid));
    return state;
  }
  say('creating a new single-node cluster');
  const state = { fsid: randomUUID(), osdUuid: randomUUID(), store: options.store, osdCreated: false };
  writeFileSync(paths.conf, cephConf(options, state.fsid));
  const monKeyring = paths.keyring('mon.a');
  const adminKeyring = paths.keyring('client.admin');
  await run('ceph-authtool', [
    '--create-keyring',
    monKeyring,
    '--gen-key',
    '-n',
    'mon.',
    '--cap',
    'mon',
    'allow *',
  ]);
  await run('ceph-authtool', [
    '--create-keyring',
    adminKeyring,
    '--gen-key',
    '-n',
    'client.admin',
    '--cap',
    'mon',
    'allow *',
    '--cap',
    'osd',
    'allow *',
    '--cap',
    'mgr',
    'allow *',
  ]);
  await run('ceph-authtool', [monKeyring, '--import-keyring', adminKeyring]);
  await run('monmaptool', [
    '--create',
    '--clobber',
    '--fsid',
    state.fsid,
    '--addv',
    'a',
    `[v2:127.0.0.1:${options.monPort}]`,
    paths.monmap,
  ]);
  mkdirSync(join(options.dir, 'mon', 'a'), { recursive: true });
  await run('ceph-mon', [
    '-c',
    paths.conf,
    '--mkfs',
    '-i',
    'a',
    '--monmap',
    paths.monmap,
    '--keyring',
    monKeyring,
  ]);
  writeFileSync(paths.state, JSON.stringify(state, null, 2));
  return state;
}

async function createOsd(options, paths, state, ceph, say) {
  say(`creating the OSD (${options.store})`);
  const osdDir = join(options.dir, 'osd', '0');
  rmSync(osdDir, { recursive: true, force: true });
  mkdirSync(osdDir, { recursive: true });
  if (!state.osdCreated) {
    await ceph('osd', 'create', state.osdUuid);
    await ceph(
      'auth',
      'get-or-create',
      'osd.0',
      'mon',
      'allow profile osd',
      'osd',
      'allow *',
      '-o',
      paths.keyring('osd.0'),
    );
  }
  await run('ceph-osd', ['-c', paths.conf, '-i', '0', '--mkfs', '--osd-uuid', state.osdUuid], {
    timeoutMs: 120_000,
  });
  state.osdCreated = true;
  writeFileSync(paths.state, JSON.stringify(state, null, 2));
}

/** Stops the named daemons (all by default), gateway first, and waits until they have exited. */
export async function stopCluster(options, names = DAEMONS.map((d) => d.name)) {
  const paths = layout(options.dir);
  const stopped = [];
  for (const daemon of [...DAEMONS].reverse()) {
    if (names.includes(daemon.name) && (await stopPid(paths.pidFile(daemon.name)))) stopped.push(daemon.name);
  }
  return stopped;
}

/** Stops the cluster and deletes its data; the local credentials are kept. */
export async function resetCluster(options) {
  await stopCluster(options);
  if (!existsSync(options.dir)) return;
  const credentials = join(options.dir, 'credentials.json');
  const kept = existsSync(credentials) ? readFileSync(credentials) : undefined;
  rmSync(options.dir, { recursive: true, force: true });
  if (kept) {
    mkdirSync(options.dir, { recursive: true });
    writeFileSync(credentials, kept, { mode: 0o600 });
  }
}
