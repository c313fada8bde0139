import { csrfOf } from "./oauth";

/**
 * A browser over real HTTP, with one cookie jar for every server it talks to (cookies do not
 * care about ports: instances behind one origin share them too). Redirects are not followed.
 */
export class HttpBrowser {
  private readonly cookies = new Map<string, string>();

  constructor(private readonly headers: Record<string, string> = {}) {}

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
    const res = await fetch(url, {
      ...init,
      redirect: "manual",
      headers: {
        ...this.headers,
        ...(cookie === "" ? {} : { cookie }),
        ...(init.headers as Record<string, string>),
      },
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const [name = "", value = ""] = pair.split("=");
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  postForm(
    url: string,
    form: Record<string, string>,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    return this.request(url, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
      body: new URLSearchParams(form).toString(),
    });
  }

  /**
   * Opens the sign-in page at `pageOrigin` and submits it to `formOrigin` (another instance,
   * when they differ); returns the answer to the form post.
   */
  async signIn(
    pageOrigin: string,
    formOrigin: string,
    params: Record<string, string>,
    username: string,
    password: string,
  ): Promise<Response> {
    const page = await this.request(
      `${pageOrigin}/oauth/authorize?${new URLSearchParams(params).toString()}`,
    );
    const html = await page.text();
    if (page.status !== 200) throw new Error(`sign-in page: ${page.status} ${html}`);
    return this.postForm(`${formOrigin}/oauth/authorize`, {
      ...params,
      csrf_token: csrfOf(html),
      username,
      password,
      decision: "allow",
    });
  }
}

/** `Authorization: Basic` for a client id and secret (RFC 6749 §2.3.1). */
export function basicAuth(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString("base64")}`;
}
