// A minimal "browser" for driving the devtenant sign-in pages over real HTTPS: trusts the stand-in's CA,
// keeps cookies (name + path), follows redirects on the identity provider and stops at the app's redirect URI.
import { request } from 'node:https';
import { request as httpRequest } from 'node:http';

export interface BrowserResponse {
  status: number;
  url: string;
  location?: string;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

interface Cookie {
  name: string;
  value: string;
  path: string;
}

export class IdentityBrowser {
  private cookies: Cookie[] = [];
  constructor(private readonly caCertPem: string) {}

  async get(url: string): Promise<BrowserResponse> {
    return this.send('GET', url);
  }

  async postForm(url: string, form: Record<string, string>): Promise<BrowserResponse> {
    return this.send('POST', url, new URLSearchParams(form).toString());
  }

  /** Follows 30x redirects until a page is rendered or a URL starting with `stopAt` is reached (not requested). */
  async follow(first: BrowserResponse, stopAt: string, maxHops = 10): Promise<BrowserResponse> {
    let current = first;
    for (let hop = 0; hop < maxHops; hop++) {
      if (!current.location || current.status < 300 || current.status >= 400) return current;
      const next = new URL(current.location, current.url).href;
      if (next.startsWith(stopAt)) return { ...current, location: next };
      current = await this.get(next);
    }
    throw new Error(`too many redirects from ${first.url}`);
  }

  clearCookies(): void {
    this.cookies = [];
  }

  private cookieHeader(url: URL): string {
    return this.cookies
      .filter((c) => url.pathname.startsWith(c.path))
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
  }

  private store(url: URL, setCookie: string[] | undefined): void {
    for (const line of setCookie ?? []) {
      const [pair, ...attributes] = line.split(';').map((s) => s.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const pathAttr = attributes.find((a) => a.toLowerCase().startsWith('path='));
      const path = pathAttr ? pathAttr.slice(5) : '/';
      const expired = attributes.some(
        (a) => /^max-age=0$/i.test(a) || (/^expires=/i.test(a) && Date.parse(a.slice(8)) < Date.now()),
      );
      this.cookies = this.cookies.filter((c) => !(c.name === name && c.path === path));
      if (!expired && value !== '') this.cookies.push({ name, value, path });
    }
    void url;
  }

  private send(method: string, href: string, body?: string): Promise<BrowserResponse> {
    const url = new URL(href);
    const headers: Record<string, string> = { accept: 'text/html' };
    const cookie = this.cookieHeader(url);
    if (cookie) headers.cookie = cookie;
    if (body !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      headers['content-length'] = String(Buffer.byteLength(body));
    }
    const doRequest = url.protocol === 'https:' ? request : httpRequest;
    return new Promise((resolve, reject) => {
      const req = doRequest(url, { method, headers, ca: this.caCertPem }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          this.store(url, res.headers['set-cookie']);
          resolve({
            status: res.statusCode ?? 0,
            url: href,
            body: Buffer.concat(chunks).toString('utf8'),
            headers: res.headers,
            location: typeof res.headers.location === 'string' ? new URL(res.headers.location, href).href : undefined,
          });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      if (body !== undefined) req.write(body);
      req.end();
    });
  }
}
