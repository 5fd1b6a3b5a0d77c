// A Redis for tests: REDIS_URL when the environment gives one, else a private redis-server on a free
// loopback port (no persistence), started here and stopped by stop().
//
// API
//   startRedis({ timeoutMs = 10000 }?) → Promise<TestRedis>
//   TestRedis
//     url        redis://127.0.0.1:<port>
//     external   true when it came from REDIS_URL (stop() then leaves it running)
//     stop()     shuts a private server down and waits for it to exit
//   redis-server cannot listen on port 0, so a free port is found by binding a throwaway server to
//   port 0 and closing it; the small race with another process taking that port is retried.

import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection, createServer } from 'node:net';

export interface TestRedis {
  url: string;
  external: boolean;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Sends PING and resolves when +PONG comes back; rejects on any failure. */
function ping(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    let reply = '';
    const fail = (err: Error): void => {
      socket.destroy();
      reject(err);
    };
    socket.setTimeout(1000, () => fail(new Error('PING timed out')));
    socket.once('error', fail);
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) {
        socket.end();
        if (reply.startsWith('+PONG')) resolve();
        else reject(new Error(`PING answered ${reply.trim()}`));
      }
    });
    socket.once('connect', () => socket.write('PING\r\n'));
  });
}

async function startOnce(timeoutMs: number): Promise<TestRedis> {
  const port = await freePort();
  const child: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'yes'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  // redis-server says when it accepts connections; that line is the event to wait for, then PING confirms.
  const readyLine = new Promise<void>((resolve) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let hasExited = false;
  void exited.then(() => (hasExited = true));
  const failure = Promise.race([
    new Promise<never>((_, reject) => child.once('error', (err) => reject(new Error(`could not start redis-server (${err.message}); install it or set REDIS_URL`)))),
    exited.then(() => Promise.reject(new Error(`redis-server exited:\n${output}`))),
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`redis-server was not ready within ${timeoutMs} ms:\n${output}`)), timeoutMs).unref()),
  ]);
  try {
    await Promise.race([readyLine.then(() => ping(port)), failure]);
  } catch (err) {
    child.kill('SIGKILL');
    await exited;
    throw err;
  }
  failure.catch(() => undefined);
  return {
    url: `redis://127.0.0.1:${port}`,
    external: false,
    async stop() {
      if (hasExited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export async function startRedis(options: { timeoutMs?: number } = {}): Promise<TestRedis> {
  const external = process.env.REDIS_URL;
  if (external) return { url: external, external: true, stop: async () => undefined };
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(options.timeoutMs ?? 10_000);
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError;
}
