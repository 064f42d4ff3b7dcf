"""Sphinx configuration of the deepqed book.

The book is built by ``deepqed book`` (or ``sphinx-build -W book _build/html``). Every numbered
statement is followed by its verification result, which the ``deepqed.sphinxext`` extension takes
from the claims registry; MathJax is served from the build itself, so the book renders offline.
"""

import warnings

# sphinx-proof still passes paths as strings; Sphinx announces that this will change in Sphinx 10.
# It is a note to sphinx-proof's authors, not a problem of this book.
warnings.filterwarnings(
    "ignore", message="Sphinx 10 will drop support for representing paths", module="sphinx_proof"
)

project = "deepqed"
author = "the deepqed authors"
copyright = "2026, the deepqed authors"

extensions = [
    "myst_nb",
    "sphinx_proof",
    "sphinx_exercise",
    "sphinx_togglebutton",
    "sphinx.ext.autodoc",
    "sphinx.ext.viewcode",
    "sphinx.ext.mathjax",
    "deepqed.sphinxext",
]

myst_enable_extensions = ["colon_fence", "dollarmath", "amsmath"]
myst_heading_anchors = 3

# Notebook execution: cached by jupyter-cache, so an unchanged chapter is not executed again.
nb_execution_mode = "cache"
nb_execution_timeout = 300
# A failing cell is a warning (an error under -W) that names the file and, through
# deepqed.sphinxext, the line of the cell; the build goes on to report every problem.
nb_execution_raise_on_error = False
nb_execution_show_tb = True
nb_merge_streams = True
nb_ipywidgets_js = {}  # no widget JavaScript from a CDN

exclude_patterns = ["_build", "**/exercises/*.py", "**/.ipynb_checkpoints", "README.md"]
suppress_warnings = ["mystnb.unknown_mime_type"]

numfig = True
proof_minimal_theme = False

html_theme = "sphinx_book_theme"
html_title = "deepqed: the mathematics of neural networks, verified"
html_theme_options = {
    "show_toc_level": 2,
    "use_download_button": False,
    "use_fullscreen_button": False,
}
html_static_path: list[str] = []
html_last_updated_fmt = ""

autodoc_member_order = "bysource"
autodoc_typehints = "none"
# pydata-sphinx-theme logs a console error when no default colour mode is set
html_context = {"default_mode": "light"}
# Witness signatures show their defaults as written (``activations=nn.ACTIVATIONS``), not as reprs
autodoc_preserve_defaults = True
