import { ChildProcess, spawn } from 'child_process';
import path from 'path';

const ROOT = path.resolve(__dirname, '../../..');

/** Where the portal under test runs. */
export const FRONTEND =
  process.env.CAPA_E2E_FRONTEND_URL ?? 'http://localhost:3000';
export const BACKEND =
  process.env.CAPA_E2E_BACKEND_URL ?? 'http://localhost:7007';

async function get(url: string, headers: Record<string, string> = {}) {
  try {
    return await fetch(url, { headers });
  } catch {
    return undefined;
  }
}

/** A guest user's Backstage token, as the sign-in page gets it. */
export async function guestToken(): Promise<string | undefined> {
  try {
    const res = await fetch(`${BACKEND}/api/auth/guest/refresh`, {
      headers: { 'x-requested-with': 'XMLHttpRequest' },
    });
    if (!res.ok) return undefined;
    return (await res.json()).backstageIdentity?.token;
  } catch {
    return undefined;
  }
}

async function until(
  what: string,
  timeoutMs: number,
  check: () => Promise<boolean>,
  log: (m: string) => void,
) {
  const deadline = Date.now() + timeoutMs;
  let lastLog = 0;
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(
        `the portal did not get ready: ${what} (waited ${timeoutMs / 1000} s)`,
      );
    if (Date.now() - lastLog > 15000) {
      log(`waiting for ${what}`);
      lastLog = Date.now();
    }
    await new Promise(r => setTimeout(r, 1000));
  }
}

/**
 * Starts `yarn start` (the demo management cluster and the portal) unless a portal is already
 * running, and waits until the frontend answers and the catalog holds the demo cluster entity.
 * Returns a function that stops what it started.
 */
export async function startPortal(
  log: (m: string) => void,
): Promise<() => Promise<void>> {
  let child: ChildProcess | undefined;
  let stopping = false;
  if (!(await get(FRONTEND))?.ok) {
    log('starting the portal with `yarn start`');
    child = spawn('yarn', ['start'], {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output: string[] = [];
    const keep = (chunk: Buffer) => {
      output.push(chunk.toString());
      if (output.length > 200) output.shift();
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    child.on('exit', code => {
      if (!stopping)
        log(
          `yarn start exited early (${code}); last output:\n${output.join('')}`,
        );
    });
  }
  await until(
    'the frontend',
    300_000,
    async () => !!(await get(FRONTEND))?.ok,
    log,
  );
  await until(
    'the demo cluster in the catalog',
    180_000,
    async () => {
      const token = await guestToken();
      if (!token) return false;
      const res = await get(
        `${BACKEND}/api/catalog/entities/by-name/resource/default/local.acme.prod`,
        { authorization: `Bearer ${token}` },
      );
      return !!res?.ok;
    },
    log,
  );
  return async () => {
    if (!child?.pid) return;
    stopping = true;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
    await new Promise(r => setTimeout(r, 2000));
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
}
