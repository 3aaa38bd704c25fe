/** The bot's own browser pages at the end of a sign-in: plain HTML, no script, never a token or code. */

export function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

export function resultPage(input: { ok: boolean; title: string; message: string }): string {
  const colour = input.ok ? '#107c10' : '#a4262c';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(input.title)}</title>
<meta name="viewport" content="width=device-width,initial-scale=1"><meta name="referrer" content="no-referrer">
<style>body{font-family:Segoe UI,system-ui,sans-serif;background:#f5f5f5;margin:0}main{max-width:460px;margin:48px auto;background:#fff;padding:32px;box-shadow:0 2px 6px rgba(0,0,0,.2)}h1{font-size:1.3em;color:${colour}}</style>
</head><body><main><h1 id="outcome" data-ok="${input.ok}">${escapeHtml(input.title)}</h1><p id="message">${escapeHtml(input.message)}</p>
<p>You can close this window and return to Microsoft Teams.</p></main></body></html>`;
}
