/*
 * A throwaway PostgreSQL server for tests: Debian's server binaries (installed by
 * .ci/postgres.sh), a new cluster in a temporary directory, listening on a free loopback port with
 * its unix socket in that directory, password authentication, stopped and removed by `stop()`.
 * PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user, which owns
 * the directory.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** A running server; `stop()` shuts it down and removes its directory. */
export interface PostgresServer {
  host: string;
  port: number;
  user: string;
  password: string;
  /** The environment app-config.production.yaml reads the connection from. */
  env: Record<string, string>;
  /** Runs one SQL statement with psql; returns its rows, each a list of column texts. */
  query(database: string, sql: string): string[][];
  stop(): Promise<void>;
}

/** The newest installed server's bin directory (or `POSTGRES_BIN_DIR`). */
function binDir(): string {
  if (process.env.POSTGRES_BIN_DIR) return process.env.POSTGRES_BIN_DIR;
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root)
    ? fs
        .readdirSync(root)
        .filter(v => fs.existsSync(path.join(root, v, 'bin', 'postgres')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (!versions.length)
    throw new Error(
      `No PostgreSQL server under ${root}/*/bin: run \`sh .ci/postgres.sh\` (installs Debian's postgresql package) or set POSTGRES_BIN_DIR`,
    );
  return path.join(root, versions[0], 'bin');
}

/** A port that was free a moment ago; the server's start fails (and is retried) if it is taken. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise(resolve => server.close(resolve));
  return port;
}

/** Runs a server binary as the `postgres` user when root, as the current user otherwise. */
function asServerUser(file: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0
    ? ['runuser', ['-u', 'postgres', '--', file, ...args]]
    : [file, args];
}

function run(file: string, args: string[]) {
  const [cmd, cmdArgs] = asServerUser(file, args);
  const result = spawnSync(cmd, cmdArgs, { encoding: 'utf8' });
  if (result.status !== 0)
    throw new Error(
      `${path.basename(file)} failed (${result.status ?? result.signal}): ${
        result.stderr || result.stdout || result.error?.message
      }`,
    );
}

/** Starts a new PostgreSQL cluster; call `stop()` when done (also done on process exit). */
export async function startPostgres(
  options: { log?: (message: string) => void } = {},
): Promise<PostgresServer> {
  const log = options.log ?? (() => {});
  const bin = binDir();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capa-postgres-'));
  const dataDir = path.join(dir, 'data');
  const logFile = path.join(dir, 'postgres.log');
  const user = 'backstage';
  const password = crypto.randomBytes(18).toString('base64url');
  const pwFile = path.join(dir, 'password');
  fs.writeFileSync(pwFile, `${password}\n`, { mode: 0o600 });
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
    fs.chownSync(dir, uid, gid);
    fs.chownSync(pwFile, uid, gid);
  }
  run(path.join(bin, 'initdb'), [
    '-D',
    dataDir,
    '-U',
    user,
    `--pwfile=${pwFile}`,
    '--auth=scram-sha-256',
    '--encoding=UTF8',
    '--locale=C',
    '--no-sync',
  ]);
  fs.rmSync(pwFile);

  let port = 0;
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    const [cmd, args] = asServerUser(path.join(bin, 'pg_ctl'), [
      '-D',
      dataDir,
      '-m',
      'fast',
      '-w',
      'stop',
    ]);
    spawnSync(cmd, args, { encoding: 'utf8' });
    fs.rmSync(dir, { recursive: true, force: true });
  };
  // A test that dies without cleaning up must not leave a server behind.
  process.once('exit', stop);

  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    try {
      run(path.join(bin, 'pg_ctl'), [
        '-D',
        dataDir,
        '-l',
        logFile,
        '-w',
        '-t',
        '60',
        '-o',
        [
          `-p ${port}`,
          `-k ${dir}`,
          '-c listen_addresses=127.0.0.1',
          // Two backends open a pool per plugin each.
          '-c max_connections=400',
          // Nothing here must survive a crash: durability only costs time.
          '-c fsync=off',
          '-c synchronous_commit=off',
          '-c full_page_writes=off',
        ].join(' '),
        'start',
      ]);
      // pg_ctl -w returned: the server accepts connections.
      break;
    } catch (e) {
      if (attempt >= 3) {
        const serverLog = fs.existsSync(logFile)
          ? fs.readFileSync(logFile, 'utf8')
          : '';
        stop();
        throw new Error(`${(e as Error).message}\nserver log:\n${serverLog}`);
      }
    }
  }
  const server = { host: '127.0.0.1', port, user, password };
  log(`PostgreSQL (${path.basename(path.dirname(bin))}) on 127.0.0.1:${port}`);
  return {
    ...server,
    env: {
      POSTGRES_HOST: server.host,
      POSTGRES_PORT: String(port),
      POSTGRES_USER: user,
      POSTGRES_PASSWORD: password,
    },
    query(database, sql) {
      const result = spawnSync(
        path.join(bin, 'psql'),
        // Unaligned, tuples only, tab-separated; stop at the first error.
        [
          ...[
            '-h',
            server.host,
            '-p',
            String(port),
            '-U',
            user,
            '-d',
            database,
          ],
          ...['-At', '-F', '\t', '-v', 'ON_ERROR_STOP=1'],
        ],
        {
          input: sql,
          encoding: 'utf8',
          env: { ...process.env, PGPASSWORD: password },
        },
      );
      if (result.status !== 0)
        throw new Error(
          `psql failed: ${result.stderr || result.error?.message}`,
        );
      return result.stdout
        .split('\n')
        .filter(Boolean)
        .map(line => line.split('\t'));
    },
    async stop() {
      process.removeListener('exit', stop);
      stop();
    },
  };
}
