import { listenOnAllInterfaces } from './configure-app';

/** A stand-in for the app's listen(): records each (port, host) and fails with the given errors first. */
function fakeApp(...failures: Array<Error & { code?: string }>) {
  const calls: Array<[number, string]> = [];
  return {
    calls,
    listen: async (port: number, host: string) => {
      calls.push([port, host]);
      const failure = failures.shift();
      if (failure) throw failure;
    },
  };
}

const errno = (code: string) => Object.assign(new Error(code), { code });

describe('the address the server listens on', () => {
  it("is every interface, IPv6 and IPv4 (::), not Fastify's default of localhost", async () => {
    const app = fakeApp();
    await listenOnAllInterfaces(app as never, 3000);
    expect(app.calls).toEqual([[3000, '::']]);
  });

  it('is every IPv4 interface on a machine without IPv6', async () => {
    const app = fakeApp(errno('EAFNOSUPPORT'));
    await listenOnAllInterfaces(app as never, 3000);
    expect(app.calls).toEqual([
      [3000, '::'],
      [3000, '0.0.0.0'],
    ]);
  });

  it('passes any other failure on (a port in use is reported by main.ts in one line)', async () => {
    const app = fakeApp(errno('EADDRINUSE'));
    await expect(listenOnAllInterfaces(app as never, 3000)).rejects.toMatchObject({ code: 'EADDRINUSE' });
    expect(app.calls).toEqual([[3000, '::']]);
  });
});
