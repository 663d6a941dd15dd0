/*
 * The production backend as packages/backend/Dockerfile builds it, without Docker: the skeleton
 * and the bundle of `yarn build:backend` unpacked into a directory, production dependencies
 * installed there with the repository's Yarn (`yarn workspaces focus --all --production`, offline
 * from Yarn's cache), the templates and app-config files beside them; then `node packages/backend`
 * with the Dockerfile's command line, as many processes as a test wants.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../../..');
const DIST = path.join(ROOT, 'packages/backend/dist');

/** The files the Dockerfile copies for Yarn, relative to the repository root. */
const YARN_FILES = [
  '.yarnrc.yml',
  'backstage.json',
  'yarn.lock',
  'package.json',
  '.yarn/releases',
];

function tar(archive: string, dir: string) {
  execFileSync('tar', ['xzf', archive, '-C', dir]);
}

/** What decides the production install: Yarn's files and the skeleton's package.json files. */
function installKey(): string {
  const hash = crypto.createHash('sha256');
  for (const f of YARN_FILES.filter(n => !n.startsWith('.yarn/')))
    hash.update(fs.readFileSync(path.join(ROOT, f)));
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'capa-skeleton-'));
  try {
    tar(path.join(DIST, 'skeleton.tar.gz'), staging);
    const files = execFileSync('find', ['.', '-type', 'f'], { cwd: staging })
      .toString()
      .split('\n')
      .filter(Boolean)
      .sort();
    for (const f of files) {
      hash.update(f);
      hash.update(fs.readFileSync(path.join(staging, f)));
    }
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  return hash.digest('hex').slice(0, 16);
}

/** A directory laid out as the image's /app. */
export interface ProductionBackend {
  dir: string;
  /** Seconds the production install took; 0 when an earlier identical install was reused. */
  installSeconds: number;
}

/**
 * Lays out the image's /app from the current build. The production install is kept in
 * node_modules/.cache and reused while yarn.lock and every package.json stay the same (a fresh
 * CI machine always installs); the bundle, templates and config files are unpacked anew each time.
 */
export async function prepareProductionBackend(
  log: (message: string) => void,
): Promise<ProductionBackend> {
  for (const f of ['skeleton.tar.gz', 'bundle.tar.gz'])
    if (!fs.existsSync(path.join(DIST, f)))
      throw new Error(
        `packages/backend/dist/${f} is missing: run \`yarn tsc && yarn build:backend\` first`,
      );
  const dir = path.join(
    ROOT,
    'node_modules/.cache/capa-backend-production',
    installKey(),
  );
  const marker = path.join(dir, '.production-install-done');
  let installSeconds = 0;
  if (!fs.existsSync(marker)) {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    for (const f of YARN_FILES)
      fs.cpSync(path.join(ROOT, f), path.join(dir, f), { recursive: true });
    tar(path.join(DIST, 'skeleton.tar.gz'), dir);
    const yarnPath = fs
      .readFileSync(path.join(ROOT, '.yarnrc.yml'), 'utf8')
      .match(/^yarnPath:\s*(\S+)/m)?.[1];
    if (!yarnPath) throw new Error('.yarnrc.yml names no yarnPath');
    log('installing production dependencies (yarn workspaces focus)');
    const started = Date.now();
    await new Promise<void>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [yarnPath, 'workspaces', 'focus', '--all', '--production'],
        {
          cwd: dir,
          // Offline: everything comes from the Yarn cache the workspace install filled.
          env: {
            ...process.env,
            NODE_ENV: 'production',
            YARN_ENABLE_NETWORK: '0',
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let output = '';
      child.stdout!.on('data', d => (output += d));
      child.stderr!.on('data', d => (output += d));
      child.on('error', reject);
      child.on('exit', code =>
        code === 0
          ? resolve()
          : reject(
              new Error(
                `yarn workspaces focus --all --production failed (${code}):\n${output.slice(
                  -5000,
                )}`,
              ),
            ),
      );
    });
    installSeconds = (Date.now() - started) / 1000;
    fs.writeFileSync(marker, new Date().toISOString());
  } else {
    log(`reusing the production install in ${path.relative(ROOT, dir)}`);
  }
  // The Dockerfile's remaining steps: templates, then the bundle and the app-config files.
  for (const d of ['packages', 'plugins', 'templates'])
    fs.rmSync(path.join(dir, d), { recursive: true, force: true });
  tar(path.join(DIST, 'skeleton.tar.gz'), dir);
  fs.cpSync(path.join(ROOT, 'templates'), path.join(dir, 'templates'), {
    recursive: true,
  });
  tar(path.join(DIST, 'bundle.tar.gz'), dir);
  for (const f of fs
    .readdirSync(ROOT)
    .filter(n => /^app-config.*\.yaml$/.test(n)))
    fs.copyFileSync(path.join(ROOT, f), path.join(dir, f));
  return { dir, installSeconds };
}

const readDockerfile = () =>
  fs.readFileSync(path.join(ROOT, 'packages/backend/Dockerfile'), 'utf8');

/** The environment the Dockerfile's `ENV KEY=value` lines set in the image. */
export function dockerfileEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of readDockerfile().split('\n')) {
    if (!/^ENV\s/.test(line)) continue;
    const m = line.match(/^ENV\s+([A-Za-z_][A-Za-z0-9_]*)=(\S+)\s*$/);
    // Anything else (several pairs, quotes, continuations) would be silently misread.
    if (!m)
      throw new Error(
        `packages/backend/Dockerfile: unsupported ENV line: ${line}`,
      );
    env[m[1]] = m[2];
  }
  return env;
}

/** The command line of the Dockerfile's CMD (after `node`). */
export function dockerfileCommand(): string[] {
  const cmd = readDockerfile().match(/^CMD\s+(\[.*\])\s*$/m)?.[1];
  if (!cmd) throw new Error('packages/backend/Dockerfile has no exec-form CMD');
  const [node, ...args] = JSON.parse(cmd) as string[];
  if (node !== 'node')
    throw new Error(`the Dockerfile's CMD runs ${node}, not node`);
  return args;
}

/** One running backend process. */
export interface Replica {
  name: string;
  url: string;
  process: ChildProcess;
  /** Everything it printed so far. */
  output(): string;
  /** Sends a signal; resolves once the process is gone. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts `node packages/backend` as the Dockerfile's CMD does (with its ENV, the image's config
 * files) plus one extra config file for this replica, and waits until it is ready.
 */
export async function startReplica(options: {
  name: string;
  dir: string;
  port: number;
  /** Extra config, merged over app-config.yaml and app-config.production.yaml. */
  config: object;
  env: Record<string, string>;
  log: (message: string) => void;
  readyTimeoutMs?: number;
}): Promise<Replica> {
  const { name, dir, port } = options;
  const configFile = path.join(dir, `app-config.${name}.test.yaml`);
  // JSON is YAML.
  fs.writeFileSync(configFile, JSON.stringify(options.config, null, 2));
  const logFile = path.join(dir, `${name}.log`);
  const logStream = fs.createWriteStream(logFile);
  const child = spawn(
    process.execPath,
    [...dockerfileCommand(), '--config', path.basename(configFile)],
    {
      cwd: dir,
      env: { ...process.env, ...dockerfileEnv(), ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const keep = (chunk: Buffer) => {
    logStream.write(chunk);
    output += chunk.toString();
    // Enough to explain a failure.
    if (output.length > 2_000_000) output = output.slice(-1_000_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>(resolve =>
    child.once('exit', () => {
      logStream.end();
      resolve();
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  const replica: Replica = {
    name,
    url,
    process: child,
    output: () => output,
    async kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null)
        child.kill(signal);
      await exited;
    },
  };
  const deadline = Date.now() + (options.readyTimeoutMs ?? 180_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(
        `replica ${name} exited (${
          child.exitCode ?? child.signalCode
        }) before it was ready; log ${logFile}:\n${output.slice(-5000)}`,
      );
    const ready = await fetch(`${url}/.backstage/health/v1/readiness`)
      .then(r => r.ok)
      .catch(() => false);
    if (ready) break;
    if (Date.now() > deadline) {
      await replica.kill('SIGKILL');
      throw new Error(
        `replica ${name} was not ready within ${
          (options.readyTimeoutMs ?? 180_000) / 1000
        } s; log ${logFile}:\n${output.slice(-5000)}`,
      );
    }
    await new Promise(r => setTimeout(r, 500));
  }
  options.log(`replica ${name} ready on ${url} (log ${logFile})`);
  return replica;
}
