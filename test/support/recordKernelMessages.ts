// Records real Jupyter IOPub messages for the output mapping's unit tests (test/unit/kernels/messages.json):
// Debian's Jupyter and ipykernel, driven by @jupyterlab/services. Run after a kernel upgrade:
//   npx esbuild test/support/recordKernelMessages.ts --bundle --platform=node --outfile=/tmp/record.js && node /tmp/record.js
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KernelConnection } from '@jupyterlab/services/lib/kernel/default';
import { ServerConnection } from '@jupyterlab/services/lib/serverconnection';
import { startSession } from '@jupyterlab/services/lib/session/restapi';
import { startJupyter } from './jupyter';

export const CELLS: Record<string, string> = {
  print: 'print("hello")\nprint("world")',
  streams:
    'import sys, time\nprint("a", flush=True)\ntime.sleep(0.3)\nprint("b", flush=True)\nprint("oops", file=sys.stderr, flush=True)\nprint("c")',
  result: '1+1',
  matplotlib: '%matplotlib inline\nimport matplotlib.pyplot as plt\nplt.figure(figsize=(1, 1))\nplt.plot([1, 3, 2])\nplt.show()',
  error: 'def f():\n    raise ValueError("boom")\nf()',
  rich: 'from IPython.display import display, HTML, Markdown, SVG, JSON, Javascript, Image\ndisplay(HTML("<b>bold</b>"))\ndisplay(Markdown("*md*"))\ndisplay(SVG(\'<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>\'))\ndisplay(JSON({"a": 1}))\ndisplay(Javascript("console.log(1)"))',
  update: 'from IPython.display import display\nh = display("first", display_id=True)\nh.update("second")',
  clear: 'from IPython.display import clear_output\nprint("gone")\nclear_output()\nprint("kept")',
  clearWait: 'from IPython.display import clear_output\nprint("old")\nclear_output(wait=True)\nprint("new")',
  widget: 'import ipywidgets\nipywidgets.IntSlider(value=3)',
};

async function main(): Promise<void> {
  const jupyter = await startJupyter();
  try {
    const direct = ((request: Request) => {
      request.headers.set('X-XSRFToken', 'x');
      request.headers.set('Cookie', '_xsrf=x');
      return fetch(request);
    }) as typeof fetch;
    const settings = ServerConnection.makeSettings({
      baseUrl: `${jupyter.url}/`,
      wsUrl: `${jupyter.url.replace('http', 'ws')}/`,
      token: '',
      appendToken: false,
      init: {},
      fetch: direct,
    });
    const model = await startSession(
      { path: 'record.ipynb', name: 'record.ipynb', type: 'notebook', kernel: { name: 'python3' } },
      settings,
    );
    const kernel = new KernelConnection({ model: model.kernel!, serverSettings: settings, handleComms: false });
    await kernel.info;
    const recorded: Record<string, { iopub: unknown[]; reply: unknown }> = {};
    for (const [name, code] of Object.entries(CELLS)) {
      const iopub: unknown[] = [];
      const future = kernel.requestExecute({ code, stop_on_error: true, allow_stdin: false });
      future.onIOPub = (msg) => {
        if (msg.header.msg_type === 'status' || msg.header.msg_type === 'comm_open' || msg.header.msg_type === 'comm_msg') return;
        iopub.push({ header: { msg_type: msg.header.msg_type }, content: msg.content });
      };
      const reply = await future.done;
      recorded[name] = {
        iopub,
        reply: { status: reply.content.status, execution_count: (reply.content as { execution_count?: number }).execution_count },
      };
    }
    await kernel.shutdown();
    kernel.dispose();
    writeFileSync(process.argv[2] ?? join(__dirname, '..', 'unit', 'kernels', 'messages.json'), `${JSON.stringify(recorded, null, 1)}\n`);
  } finally {
    await jupyter.stop();
  }
}

if (require.main === module) void main().then(() => process.exit(0));
