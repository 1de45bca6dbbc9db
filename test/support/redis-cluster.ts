import { spawn, spawnSync } from 'node:child_process';
import { Socket } from 'node:net';
import { Redis } from 'ioredis';
import { type RedisServer, redisServerAvailable, startRedisServer } from './redis-server.js';

/** Whether both `redis-server` and `redis-cli` are on the PATH (a cluster needs `redis-cli --cluster create`). */
export function redisClusterAvailable(): boolean {
  return redisServerAvailable() && spawnSync('redis-cli', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** One node of a test cluster. */
export interface ClusterNode {
  /** Always `127.0.0.1`. */
  readonly host: string;
  /** Its loopback port. */
  readonly port: number;
  /** The redis-server process (stop it to kill the node). */
  readonly server: RedisServer;
}

/** A local Redis Cluster of 3 masters and 3 replicas. */
export interface RedisClusterFixture {
  /** Every node, in creation order (the first three start as masters). */
  readonly nodes: readonly ClusterNode[];
  /** `{ host, port }` of every node: what `new Cluster(startupNodes)` takes. */
  readonly startupNodes: ReadonlyArray<{ host: string; port: number }>;
  /** The node that masters `slot` now (from `CLUSTER SLOTS` on a live node). */
  masterOf(slot: number): Promise<ClusterNode>;
  /** Waits until every live node reports `cluster_state:ok` and `slot` is served by a live master. */
  waitHealthy(options?: { timeoutMs?: number; slot?: number }): Promise<void>;
  /** Stops every node. */
  stop(): Promise<void>;
}

function run(cmd: string, args: readonly string[], timeoutMs = 20_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}: ${out}`));
    });
  });
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = new Socket();
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => {
      sock.destroy();
      resolve(false);
    });
    sock.connect(port, '127.0.0.1');
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One command on one node, over a connection that gives up at once when the node is down. */
async function ask(port: number, ...command: [string, ...string[]]): Promise<unknown> {
  const client = new Redis(port, '127.0.0.1', {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 1_000,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    return await client.call(...command);
  } finally {
    client.disconnect();
  }
}

/**
 * Starts 6 `redis-server --cluster-enabled yes` processes on free loopback ports (no persistence,
 * `cluster-node-timeout 1000` so a replica takes over about two seconds after its master dies),
 * joins them with `redis-cli --cluster create … --cluster-replicas 1 --cluster-yes`, and waits
 * for `cluster_state:ok` on every node.
 */
export async function startRedisCluster(): Promise<RedisClusterFixture> {
  const servers: RedisServer[] = [];
  try {
    for (let i = 0; i < 6; i++) {
      servers.push(
        await startRedisServer({
          args: [
            '--cluster-enabled',
            'yes',
            // Relative to the server's own temporary --dir: one file per node.
            '--cluster-config-file',
            'nodes.conf',
            '--cluster-node-timeout',
            '1000',
            // A replica may take over however long ago it last heard from its master: a test kills
            // a master seconds after the cluster formed.
            '--cluster-replica-validity-factor',
            '0',
          ],
        }),
      );
    }
    const nodes: ClusterNode[] = servers.map((server) => ({ host: '127.0.0.1', port: server.port, server }));
    await run('redis-cli', [
      '--cluster',
      'create',
      ...nodes.map((n) => `127.0.0.1:${n.port}`),
      '--cluster-replicas',
      '1',
      '--cluster-yes',
    ]);
    const live = async () => {
      const up: ClusterNode[] = [];
      for (const n of nodes) if (n.server.running && (await portOpen(n.port))) up.push(n);
      return up;
    };
    const masterOf = async (slot: number): Promise<ClusterNode> => {
      for (const n of await live()) {
        const ranges = (await ask(n.port, 'CLUSTER', 'SLOTS').catch(() => [])) as Array<
          [number, number, [string, number]]
        >;
        const range = ranges.find(([start, end]) => slot >= start && slot <= end);
        const node = nodes.find((x) => x.port === range?.[2][1]);
        if (node !== undefined) return node;
      }
      throw new Error(`no live node masters slot ${slot}`);
    };
    const waitHealthy = async (options: { timeoutMs?: number; slot?: number } = {}) => {
      const deadline = Date.now() + (options.timeoutMs ?? 20_000);
      for (;;) {
        const up = await live();
        const states = await Promise.all(up.map((n) => ask(n.port, 'CLUSTER', 'INFO').then(String, () => '')));
        let ok = up.length > 0 && states.every((s) => s.includes('cluster_state:ok'));
        if (ok && options.slot !== undefined) {
          const master = await masterOf(options.slot).catch(() => undefined);
          ok = master?.server.running === true;
        }
        if (ok) return;
        if (Date.now() > deadline) throw new Error(`the cluster did not reach cluster_state:ok: ${states.join(' | ')}`);
        await sleep(100);
      }
    };
    await waitHealthy();
    // Replicas copy their masters before anything is killed, so a promoted replica has the data.
    const deadline = Date.now() + 20_000;
    for (;;) {
      const infos = await Promise.all(nodes.map((n) => ask(n.port, 'INFO', 'replication').then(String, () => '')));
      const replicas = infos.filter((i) => i.includes('role:slave'));
      if (replicas.length === 3 && replicas.every((i) => i.includes('master_link_status:up'))) break;
      if (Date.now() > deadline) throw new Error(`replicas did not sync: ${infos.join(' | ')}`);
      await sleep(100);
    }
    return {
      nodes,
      startupNodes: nodes.map((n) => ({ host: n.host, port: n.port })),
      masterOf,
      waitHealthy,
      async stop() {
        await Promise.all(servers.map((s) => s.stop()));
      },
    };
  } catch (err) {
    await Promise.all(servers.map((s) => s.stop()));
    throw err;
  }
}
