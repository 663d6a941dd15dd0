/*
 * The benchmark's side of ./world.ts: starts it as a child process and asks it for phases.
 */
import { fork, ChildProcess } from 'child_process';
import path from 'path';
import type { FromWorld, LoadResult, LoadSpec, ToWorld } from './protocol';

const WORLD_MESSAGES: string[] = [
  'ready',
  'loadResult',
  'kubernetesRequestCount',
  'done',
  'error',
] satisfies FromWorld['type'][];

/** The child process holding the management clusters and the users. */
export class World {
  private readonly child: ChildProcess;
  private nextId = 1;
  private readonly waiting = new Map<
    number | 'ready',
    { resolve(m: FromWorld): void; reject(e: Error): void }
  >();

  constructor() {
    // The child runs TypeScript the way this process does, without the GC and profiling flags.
    const execArgv = process.execArgv.filter(
      a => a !== '--expose-gc' && !a.startsWith('--cpu-prof'),
    );
    this.child = fork(path.join(__dirname, 'world.ts'), [], { execArgv });
    this.child.on('message', (m: FromWorld) => {
      // The TypeScript loader in the child also reports the files it loads ({ type: 'watch' }).
      if (!WORLD_MESSAGES.includes(m?.type)) return;
      // Answers carry the id of their question; "ready" (and a failed start) answer "start".
      const key = 'id' in m && m.id !== undefined ? m.id : 'ready';
      const w = this.waiting.get(key);
      if (!w) return;
      this.waiting.delete(key);
      if (m.type === 'error') w.reject(new Error(`world: ${m.message}`));
      else w.resolve(m);
    });
    this.child.on('exit', code => {
      for (const w of this.waiting.values())
        w.reject(new Error(`the world process exited (${code})`));
      this.waiting.clear();
    });
  }

  private ask(key: number | 'ready', message: ToWorld): Promise<FromWorld> {
    return new Promise((resolve, reject) => {
      this.waiting.set(key, { resolve, reject });
      this.child.send(message);
    });
  }

  async start(clusters: number) {
    const m = await this.ask('ready', { type: 'start', clusters });
    if (m.type !== 'ready')
      throw new Error(`unexpected answer ${JSON.stringify(m).slice(0, 2000)}`);
    return m;
  }

  async load(
    baseUrl: string,
    spec: LoadSpec,
    warmup: number,
    samples: number,
  ): Promise<LoadResult> {
    const id = this.nextId++;
    const m = await this.ask(id, {
      type: 'load',
      id,
      baseUrl,
      spec,
      warmup,
      samples,
    });
    return m as LoadResult;
  }

  async kubernetesRequests(): Promise<number> {
    const id = this.nextId++;
    const m = await this.ask(id, { type: 'kubernetesRequests', id });
    return m.type === 'kubernetesRequestCount' ? m.count : NaN;
  }

  /**
   * Adds a workload cluster (addCluster) or writes one Cluster's status (changeStatus); resolves
   * with the cluster and the time of the write (performance.timeOrigin + now, in ms).
   */
  async change(type: 'addCluster' | 'changeStatus') {
    const id = this.nextId++;
    const m = await this.ask(id, { type, id });
    if (m.type !== 'done') throw new Error(`unexpected answer ${m.type}`);
    return m;
  }

  stop(): Promise<void> {
    return new Promise(resolve => {
      this.child.once('exit', () => resolve());
      this.child.send({ type: 'stop' } satisfies ToWorld);
    });
  }
}
