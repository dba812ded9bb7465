"""JupyterLab 4 for the tests: Debian's jupyterlab_server serving the frontend built from npm.

Run as `/usr/bin/python3 -m smn_lab` with this folder on PYTHONPATH and SMN_JUPYTERLAB_BUILD naming the
webpack output (scripts/jupyterlab.mjs builds it). Serves JupyterLab at /lab on jupyter_server, as a
SageMaker notebook instance does. `--port=0` binds a free port; the server then records the port it got
in its runtime file (jpserver-<pid>.json), where the test helper reads it.
"""

import os

from jupyter_core.paths import jupyter_config_dir
from jupyter_server.serverapp import ServerApp
from jupyterlab_server import LabServerApp

HERE = os.path.dirname(os.path.abspath(__file__))
BUILD = os.environ.get("SMN_JUPYTERLAB_BUILD", "")
if not os.path.isfile(os.path.join(BUILD, "bundle.js")):
    raise SystemExit(f"SMN_JUPYTERLAB_BUILD must name the built frontend (no bundle.js in {BUILD!r})")

_bind = ServerApp._bind_http_server_tcp


def _bind_reporting_port(self):
    """jupyter_server 1.x keeps port 0 after binding it; record the port the socket got instead."""
    bound = _bind(self)
    if bound and self.port == 0:
        sockets = list(self.http_server._sockets.values())
        self.port = sockets[0].getsockname()[1]
    return bound


ServerApp._bind_http_server_tcp = _bind_reporting_port


def _jupyter_server_extension_points():
    return [{"module": __name__, "app": SageMakerTestLab}]


class SageMakerTestLab(LabServerApp):
    name = "smn_lab"
    load_other_extensions = False
    extension_url = "/lab"
    default_url = "/lab"
    app_url = "/lab"
    app_name = "JupyterLab"
    app_version = "4"
    static_dir = BUILD
    templates_dir = os.path.join(HERE, "templates")
    schemas_dir = os.path.join(BUILD, "schemas")
    themes_dir = os.path.join(BUILD, "themes")
    # overrides.json: no news or update prompts.
    app_settings_dir = os.path.join(HERE, "settings")
    # Under JUPYTER_CONFIG_DIR, which the test helper points at a temporary folder.
    user_settings_dir = os.path.join(jupyter_config_dir(), "lab", "user-settings")
    workspaces_dir = os.path.join(jupyter_config_dir(), "lab", "workspaces")
    # SMN_LAB_CLASSIC=1 (the demo): Debian's nbclassic serves the classic interface (/tree, /notebooks/…) on
    # the same server too, as a SageMaker instance serves both.
    if os.environ.get("SMN_LAB_CLASSIC") == "1":
        serverapp_config = {"jpserver_extensions": {"nbclassic": True}}


if __name__ == "__main__":
    SageMakerTestLab.launch_instance()
