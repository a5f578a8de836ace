// A TCP relay in front of the server that a test can cut and restore, to stand for a network
// that drops: while cut, open connections are reset and new ones are refused by closing them.

import net from 'node:net';

/** Starts a relay on 127.0.0.1 to `targetPort`; returns { url, port, cut(), restore(), close() }. */
export async function startRelay(targetPort) {
  const sockets = new Set();
  let isCut = false;
  const relay = net.createServer((client) => {
    if (isCut) return client.destroy();
    const upstream = net.connect(targetPort, '127.0.0.1');
    for (const [a, b] of [[client, upstream], [upstream, client]]) {
      sockets.add(a);
      a.on('close', () => {
        sockets.delete(a);
        b.destroy();
      });
      a.on('error', () => b.destroy());
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise((resolve) => relay.listen(0, '127.0.0.1', resolve));
  const { port } = relay.address();
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    cut() {
      isCut = true;
      for (const socket of sockets) socket.resetAndDestroy?.() ?? socket.destroy();
    },
    restore() {
      isCut = false;
    },
    close() {
      this.cut();
      return new Promise((resolve) => relay.close(resolve));
    },
  };
}
