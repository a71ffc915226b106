import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of the server whose "cable" a test can pull: cut() drops every connection and refuses
 * new ones (as an unplugged exam-room switch would), restore() lets traffic through again on the same port.
 */
export class CuttableProxy {
  private server: Server | null = null;
  private readonly open = new Set<Socket>();
  port = 0;

  constructor(private readonly targetPort: number) {}

  async start(port = 0): Promise<number> {
    const server = createServer((client) => {
      const upstream = connect(this.targetPort, '127.0.0.1');
      for (const s of [client, upstream]) {
        this.open.add(s);
        s.on('close', () => this.open.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((res) => server.listen(port, '127.0.0.1', () => res()));
    const address = server.address();
    this.port = typeof address === 'object' && address ? address.port : port;
    this.server = server;
    return this.port;
  }

  async cut(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.open) s.destroy();
    if (server) await new Promise<void>((res) => server.close(() => res()));
  }

  restore(): Promise<number> {
    return this.start(this.port);
  }

  stop(): Promise<void> {
    return this.cut();
  }
}
