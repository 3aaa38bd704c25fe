// Server-rendered sign-in pages: plain HTML forms, inline CSS, no scripts or external assets.

export function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

function layout(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width,initial-scale=1">
<style>body{font-family:Segoe UI,system-ui,sans-serif;background:#f2f2f2;margin:0}
main{max-width:420px;margin:48px auto;background:#fff;padding:32px;box-shadow:0 2px 6px rgba(0,0,0,.2)}
h1{font-size:1.4em;font-weight:600}label{display:block;margin-top:12px}input{width:100%;padding:8px;box-sizing:border-box}
button{margin-top:16px;background:#0067b8;color:#fff;border:0;padding:8px 24px}.error{color:#a4262c}
.note{color:#555;font-size:.9em}code{word-break:break-all}</style></head>
<body><main><p class="note">devtenant (local Entra ID stand-in)</p><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
}

const errorBlock = (error?: string) =>
  error ? `<p class="error" role="alert" id="error">${escapeHtml(error)}</p>` : '';

export function passwordPage(action: string, input: { username?: string; error?: string; clientName: string }): string {
  return layout(
    'Sign in',
    `<p>to continue to ${escapeHtml(input.clientName)}</p>${errorBlock(input.error)}
<form method="post" action="${escapeHtml(action)}">
<label>Email or username <input name="username" type="email" autocomplete="username" required value="${escapeHtml(input.username ?? '')}"></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">Sign in</button></form>`,
  );
}

export function totpPage(action: string, input: { upn: string; error?: string; reason: string }): string {
  return layout(
    'Enter code',
    `<p>${escapeHtml(input.upn)}</p><p>${escapeHtml(input.reason)}</p>${errorBlock(input.error)}
<form method="post" action="${escapeHtml(action)}">
<label>Enter the code displayed in the Microsoft Authenticator app on your mobile device
<input name="otc" inputmode="numeric" pattern="[0-9]{6}" maxlength="6" autocomplete="one-time-code" required></label>
<button type="submit">Verify</button></form>`,
  );
}

export function enrolmentPage(
  action: string,
  input: { upn: string; otpauthUri: string; secret: string; qrSvg: string; error?: string },
): string {
  return layout(
    'Set up your account',
    `<p>${escapeHtml(input.upn)}: your organization requires more information to keep your account secure.</p>
${errorBlock(input.error)}<ol><li>Scan this QR code with Microsoft Authenticator (add a work or school account):</li></ol>
<div id="qr">${input.qrSvg}</div>
<p class="note">Can't scan? Enter this key: <code id="secret">${escapeHtml(input.secret)}</code></p>
<p class="note">URI: <code id="otpauth">${escapeHtml(input.otpauthUri)}</code></p>
<form method="post" action="${escapeHtml(action)}">
<label>Enter the 6-digit code the app shows <input name="otc" inputmode="numeric" pattern="[0-9]{6}" maxlength="6" required></label>
<button type="submit">Next</button></form>`,
  );
}

export function errorPage(message: string): string {
  return layout('Sign-in failed', errorBlock(message));
}
