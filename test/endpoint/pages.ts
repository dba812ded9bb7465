// The HTML a notebook gateway serves when no real Jupyter sits behind it: just enough of JupyterLab and
// classic Jupyter (title, heading with the instance name, a file list) for a UI test to recognise.

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const FILES = ['getting-started.ipynb', 'train-model.ipynb', 'data/', 'requirements.txt'];

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body>
${body}
</body>
</html>
`;
}

function fileList(): string {
  return `<ul class="file-list">\n${FILES.map((f) => `  <li>${escapeHtml(f)}</li>`).join('\n')}\n</ul>`;
}

export function labPage(instanceName: string): string {
  return page(`JupyterLab · ${instanceName}`, `<h1>JupyterLab · ${escapeHtml(instanceName)}</h1>\n${fileList()}`);
}

export function treePage(instanceName: string): string {
  return page(`Jupyter · ${instanceName}`, `<h1>Jupyter · ${escapeHtml(instanceName)}</h1>\n${fileList()}`);
}

/** Deliberately says nothing about the token: it must never be echoed back. */
export function invalidTokenPage(): string {
  return page('403 Forbidden', '<h1>Invalid or expired authentication token</h1>');
}

export function signedOutPage(): string {
  return page('403 Forbidden', '<h1>Session expired or not signed in</h1>\n<p>Open the notebook again from SageMaker.</p>');
}

export function notFoundPage(): string {
  return page('404 Not Found', '<h1>404 Not Found</h1>');
}
