import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from './support/fixtures';
import { DashboardPage } from './pages/dashboard-page';

/** Another local web server, as any developer runs: it records the headers it receives. */
async function neighbour(): Promise<{ origin: string; received: IncomingHttpHeaders[]; server: Server }> {
  const received: IncomingHttpHeaders[] = [];
  const server = createServer((request, response) => {
    received.push(request.headers);
    response.writeHead(200, { 'Content-Type': 'text/html' });
    response.end('<!doctype html><title>neighbour</title><p>another local server</p>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received, server };
}

test.describe('the loopback token', () => {
  test('lives in the page only: no cookie, a clean address, a header on every request', async ({ page, context, server }) => {
    const authorizations: string[] = [];
    page.on('request', (request) => {
      if (request.url().startsWith(`${server.origin}/rpc/`) || request.url() === `${server.origin}/events`) {
        authorizations.push(request.headers().authorization ?? 'none');
      }
    });
    const dashboard = await DashboardPage.open(page, server.url);
    // Live data arrives over the event stream, which sends the header as the requests do.
    await dashboard.showDashboard();

    expect(await context.cookies()).toEqual([]);
    expect(await page.evaluate('document.cookie')).toBe('');
    expect(page.url()).toBe(`${server.origin}/?e2e=1`);
    expect(authorizations.length).toBeGreaterThan(1);
    expect(new Set(authorizations)).toEqual(new Set([`Bearer ${server.token}`]));

    // The page's own origin, without the header: refused, with the message a client sees.
    const bare = await page.evaluate(async () => {
      const response = await fetch('/health');
      return { status: response.status, body: (await response.json()) as unknown };
    });
    expect(bare).toEqual({
      status: 401,
      body: { ok: false, error: { code: 'bad_request', message: 'Unauthorized: a valid token is required (Authorization: Bearer TOKEN or ?token=TOKEN)' } },
    });
    const events = await page.evaluate(async () => (await fetch('/events')).status);
    expect(events).toBe(401);
  });

  test('never reaches another local server', async ({ page, server }) => {
    const other = await neighbour();
    try {
      await DashboardPage.open(page, server.url);
      // The same browser, the same host, another port: it gets no cookie and no header.
      await page.goto(other.origin);
      await expect(page.getByText('another local server')).toBeVisible();
      const sent = JSON.stringify(other.received);
      expect(other.received.length).toBeGreaterThan(0);
      expect(other.received.every((headers) => headers.cookie === undefined && headers.authorization === undefined)).toBe(true);
      expect(sent).not.toContain(server.token);
    } finally {
      await new Promise((resolve) => other.server.close(resolve));
    }
  });
});
