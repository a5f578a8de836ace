// Starts the real colead-server for a browser test and stops it afterwards.
//
// The binary comes from COLEAD_SERVER_BIN (set by CTest) or ../../build/bin/colead-server
// relative to this folder. Each server gets a fresh data folder and serves clients/web.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '../..');
export const webRoot = path.join(repoRoot, 'clients/web');

const LISTENING = /listening on http:\/\/127\.0\.0\.1:(\d+)/;

export function serverBinary() {
  return process.env.COLEAD_SERVER_BIN || path.resolve(here, '../../build/bin/colead-server');
}

/**
 * Starts a server on an ephemeral port (or `listen`, e.g. to restart on the same port) and
 * resolves once it logs its `listening on http://127.0.0.1:PORT` line.
 * Returns { url, port, dataDir, output(), stop() }; stop() sends SIGTERM and resolves with
 * the exit code (or signal name) once the process has ended.
 */
export async function startServer({ extraArgs = [], dataDir = null, listen = '127.0.0.1:0',
                                    startTimeoutMs = 15000 } = {}) {
  const bin = serverBinary();
  if (!existsSync(bin)) {
    throw new Error(`colead-server not found at ${bin}: build it (cmake --build build --target ` +
                    'colead-server) or set COLEAD_SERVER_BIN');
  }
  const ownDataDir = dataDir === null;
  const dir = dataDir ?? await mkdtemp(path.join(tmpdir(), 'colead-browser-'));
  // Tests create rooms without the organiser key unless they ask for the default
  // (extraArgs come last, so '--room-creation', 'key' wins). Every page, fetch and reconnect
  // of a test comes from 127.0.0.1, so the per-address limits are raised for one machine
  // standing for many users.
  const child = spawn(bin, ['--listen', listen, '--data-dir', dir, '--web-root', webRoot,
                            '--room-creation', 'open',
                            '--max-connections-per-address', '1000',
                            '--connect-rate-per-address', '1000',
                            '--connect-burst-per-address', '1000', ...extraArgs],
                      { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? signal));
  });

  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`colead-server did not say it was listening within ${startTimeoutMs} ms; ` +
                       `it wrote:\n${output}`));
    }, startTimeoutMs);
    child.stderr.setEncoding('utf8');
    child.stdout.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      output += chunk;
      const match = LISTENING.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`colead-server could not start: ${err.message}`));
    });
    exited.then((status) => {
      clearTimeout(timer);
      reject(new Error(`colead-server ended (${status}) before listening; it wrote:\n${output}`));
    });
  });

  let stopped = null;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    dataDir: dir,
    output: () => output,
    stop({ keepData = false } = {}) {
      stopped ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          const killer = setTimeout(() => child.kill('SIGKILL'), 10000);
          await exited;
          clearTimeout(killer);
        }
        if (ownDataDir && !keepData) await rm(dir, { recursive: true, force: true });
        return exited;
      })();
      return stopped;
    },
  };
}
