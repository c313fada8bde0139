import { AUTHORIZATION_PARAMS, type AuthorizationParams } from "./authorization-request";

/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

export interface SignInPageOptions {
  pluginName: string;
  /** What the user grants, shown under the title. */
  consentText: string;
  /** Where the user goes back to after signing in (the redirect URI's host). */
  returnTo: string;
  /** The scopes asked for, with what each lets the client do. */
  scopes: readonly { name: string; description: string }[];
  action: string;
  params: AuthorizationParams;
  csrfToken: string;
  username?: string | undefined;
  error?: string | undefined;
}

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f4f6f8;color:#1f2933;margin:0;display:flex;min-height:100vh;align-items:center;justify-content:center}
main{background:#fff;border-radius:12px;box-shadow:0 2px 12px rgba(0,0,0,.08);padding:2rem;width:min(22rem,90vw)}
h1{font-size:1.25rem;margin:0 0 .5rem}p{margin:.25rem 0 1rem;line-height:1.4}
label{display:block;font-weight:600;margin:.75rem 0 .25rem}
input[type=text],input[type=password]{box-sizing:border-box;width:100%;padding:.55rem;border:1px solid #b8c2cc;border-radius:6px;font-size:1rem}
.buttons{display:flex;flex-direction:row-reverse;gap:.5rem;margin-top:1.25rem}
button{flex:1;padding:.6rem;border-radius:6px;border:1px solid #2563eb;font-size:1rem;cursor:pointer}
button[value=allow]{background:#2563eb;color:#fff}button[value=deny]{background:#fff;color:#2563eb}
.error{background:#fde8e8;color:#9b1c1c;border-radius:6px;padding:.5rem .75rem}
.note{color:#52606d;font-size:.9rem}
`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

/**
 * The sign-in and consent page: a plain HTML form (no JavaScript) that posts the credentials,
 * the user's decision (Allow comes first, so pressing Enter allows; CSS shows Deny first),
 * the authorization request and the CSRF token back to `action`. Every
 * value is escaped.
 */
export function renderSignInPage(options: SignInPageOptions): string {
  const { pluginName, consentText, returnTo, scopes, action, params, csrfToken } = options;
  const { username = "", error } = options;
  const hidden = AUTHORIZATION_PARAMS.map(
    (name) => `<input type="hidden" name="${name}" value="${escapeHtml(params[name])}">`,
  ).join("\n");
  const name = escapeHtml(pluginName);
  return page(
    `Sign in to ${pluginName}`,
    `<h1>Sign in to ${name}</h1>
<p>${escapeHtml(consentText)}</p>
${scopes.length === 0 ? "" : `<ul>${scopes.map((s) => `<li><strong>${escapeHtml(s.name)}</strong>: ${escapeHtml(s.description)}</li>`).join("")}</ul>`}
<p class="note">After you answer, you go back to <strong>${escapeHtml(returnTo)}</strong>.</p>
${error === undefined ? "" : `<p class="error" role="alert">${escapeHtml(error)}</p>`}
<form method="post" action="${escapeHtml(action)}">
${hidden}
<input type="hidden" name="csrf_token" value="${escapeHtml(csrfToken)}">
<label for="username">Username</label>
<input type="text" id="username" name="username" value="${escapeHtml(username)}" autocomplete="username" autocapitalize="none" spellcheck="false" required maxlength="64">
<label for="password">Password</label>
<input type="password" id="password" name="password" autocomplete="current-password" required maxlength="1024">
<div class="buttons">
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny" formnovalidate>Deny</button>
</div>
</form>`,
  );
}

/** A page that explains why the sign-in cannot go on (bad link, expired form, too many tries). */
export function renderProblemPage(title: string, message: string): string {
  return page(
    title,
    `<h1>${escapeHtml(title)}</h1>\n<p class="error" role="alert">${escapeHtml(message)}</p>`,
  );
}
