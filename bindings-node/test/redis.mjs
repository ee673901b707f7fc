// A redis-server of a test's own on a free loopback port (secrets-redis.test.mjs, readme.test.mjs).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import net from 'node:net';

export function which(tool) {
  const r = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** The tool's path; a failure when `env`=1, else null (the caller skips). */
export function required(tool, env) {
  const found = which(tool);
  if (found === null && process.env[env] === '1') assert.fail(`${tool} is not installed and ${env}=1`);
  return found;
}

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** One RESP command over a fresh connection: the raw reply ('' when Redis is down). */
export function command(port, ...args) {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    const chunks = [];
    let settled = false;
    const done = () => {
      if (settled) return;
      settled = true;
      s.destroy();
      resolve(Buffer.concat(chunks));
    };
    s.on('error', done);
    s.on('data', (d) => {
      chunks.push(d);
      clearTimeout(quiet);
      quiet = setTimeout(done, 30);
    });
    let quiet = setTimeout(done, 1000);
    const parts = args.map((a) => Buffer.from(a));
    s.write(Buffer.concat([Buffer.from(`*${parts.length}\r\n`), ...parts.flatMap((p) => [Buffer.from(`$${p.length}\r\n`), p, Buffer.from('\r\n')])]));
  });
}

/**
 * A redis-server of this test's own on a free loopback port. `node --test` runs files in
 * parallel processes, and the kernel may hand two of them the same free port before either
 * server binds it: the server that answers must be this one (INFO's process_id), else it is
 * stopped and another port tried.
 */
export async function startRedis(binary) {
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    const exited = new Promise((r) => child.once('exit', r));
    const stop = () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      return exited;
    };
    const deadline = Date.now() + 10_000;
    while (child.exitCode === null && (await command(port, 'PING')).toString() !== '+PONG\r\n') {
      assert.ok(Date.now() < deadline, `redis-server did not start on port ${port}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    if (child.exitCode === null && (await command(port, 'INFO', 'server')).toString().includes(`process_id:${child.pid}\r\n`)) {
      return { port, url: `redis://127.0.0.1:${port}/0`, child, stop };
    }
    await stop();
  }
  assert.fail('redis-server: no port of its own in 5 attempts');
}

