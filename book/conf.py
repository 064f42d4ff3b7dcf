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
html_favicon = "favicon.svg"  # a browser asks for /favicon.ico otherwise (a 404 offline)
html_last_updated_fmt = ""

autodoc_member_order = "bysource"
autodoc_typehints = "none"
# pydata-sphinx-theme logs a console error when no default colour mode is set
html_context = {"default_mode": "light"}
# Witness signatures show their defaults as written (``activations=nn.ACTIVATIONS``), not as reprs
autodoc_preserve_defaults = True
# Witness names without their module path, and long signatures one parameter a line (the PDF's
# Witnesses appendix stays within the page)
add_module_names = False
python_maximum_signature_line_length = 60

# --- the PDF (``deepqed book --pdf``: Sphinx's LaTeX builder, then latexmk with pdflatex) ---
latex_engine = "pdflatex"
latex_documents = [
    (
        "index",
        "deepqed.tex",
        "deepqed: the mathematics of neural networks, verified",
        author,
        "manual",
    )
]
latex_show_urls = "no"
latex_elements = {
    "papersize": "a4paper",
    "pointsize": "10pt",
    "fncychap": "",
    "printindex": "",
    # Times, Helvetica and Courier (psnfss, in texlive-fonts-recommended) rather than Sphinx's
    # TeX Gyre, which Debian ships in a package of its own
    "fontpkg": r"\usepackage{times}\usepackage[scaled=.92]{helvet}\usepackage{courier}",
    # Unicode that the text, the verification lines and the code outputs use, for pdflatex
    "preamble": r"""
\usepackage{amssymb}
\usepackage{mathrsfs}
\usepackage{bm}
\DeclareUnicodeCharacter{220E}{\ensuremath{\blacksquare}}
\DeclareUnicodeCharacter{2713}{\ensuremath{\checkmark}}
\DeclareUnicodeCharacter{2718}{\ensuremath{\times}}
\DeclareUnicodeCharacter{25CB}{\ensuremath{\circ}}
\DeclareUnicodeCharacter{2264}{\ensuremath{\le}}
\DeclareUnicodeCharacter{2265}{\ensuremath{\ge}}
\DeclareUnicodeCharacter{2208}{\ensuremath{\in}}
\DeclareUnicodeCharacter{2212}{\ensuremath{-}}
\DeclareUnicodeCharacter{2016}{\ensuremath{\|}}
\DeclareUnicodeCharacter{2297}{\ensuremath{\otimes}}
\DeclareUnicodeCharacter{27C2}{\ensuremath{\perp}}
\DeclareUnicodeCharacter{21A6}{\ensuremath{\mapsto}}
\DeclareUnicodeCharacter{2248}{\ensuremath{\approx}}
\DeclareUnicodeCharacter{2192}{\ensuremath{\to}}
\DeclareUnicodeCharacter{221E}{\ensuremath{\infty}}
\DeclareUnicodeCharacter{00B1}{\ensuremath{\pm}}
\DeclareUnicodeCharacter{03B1}{\ensuremath{\alpha}}
\DeclareUnicodeCharacter{03B2}{\ensuremath{\beta}}
\DeclareUnicodeCharacter{03B3}{\ensuremath{\gamma}}
\DeclareUnicodeCharacter{03B4}{\ensuremath{\delta}}
\DeclareUnicodeCharacter{03B5}{\ensuremath{\varepsilon}}
\DeclareUnicodeCharacter{03B6}{\ensuremath{\zeta}}
\DeclareUnicodeCharacter{03B7}{\ensuremath{\eta}}
\DeclareUnicodeCharacter{03B8}{\ensuremath{\theta}}
\DeclareUnicodeCharacter{03BA}{\ensuremath{\kappa}}
\DeclareUnicodeCharacter{03BB}{\ensuremath{\lambda}}
\DeclareUnicodeCharacter{03BC}{\ensuremath{\mu}}
\DeclareUnicodeCharacter{03BD}{\ensuremath{\nu}}
\DeclareUnicodeCharacter{03BE}{\ensuremath{\xi}}
\DeclareUnicodeCharacter{03C0}{\ensuremath{\pi}}
\DeclareUnicodeCharacter{03C1}{\ensuremath{\rho}}
\DeclareUnicodeCharacter{03C3}{\ensuremath{\sigma}}
\DeclareUnicodeCharacter{03C4}{\ensuremath{\tau}}
\DeclareUnicodeCharacter{03C6}{\ensuremath{\varphi}}
\DeclareUnicodeCharacter{03C7}{\ensuremath{\chi}}
\DeclareUnicodeCharacter{03C8}{\ensuremath{\psi}}
\DeclareUnicodeCharacter{03C9}{\ensuremath{\omega}}
\DeclareUnicodeCharacter{0393}{\ensuremath{\Gamma}}
\DeclareUnicodeCharacter{0394}{\ensuremath{\Delta}}
\DeclareUnicodeCharacter{0398}{\ensuremath{\Theta}}
\DeclareUnicodeCharacter{039B}{\ensuremath{\Lambda}}
\DeclareUnicodeCharacter{03A3}{\ensuremath{\Sigma}}
\DeclareUnicodeCharacter{03A6}{\ensuremath{\Phi}}
\DeclareUnicodeCharacter{03A8}{\ensuremath{\Psi}}
\DeclareUnicodeCharacter{03A9}{\ensuremath{\Omega}}
\DeclareUnicodeCharacter{21D2}{\ensuremath{\Rightarrow}}
\DeclareUnicodeCharacter{21D0}{\ensuremath{\Leftarrow}}
\DeclareUnicodeCharacter{21D4}{\ensuremath{\Leftrightarrow}}
\DeclareUnicodeCharacter{2218}{\ensuremath{\circ}}
\DeclareUnicodeCharacter{221A}{\ensuremath{\surd}}
\DeclareUnicodeCharacter{2260}{\ensuremath{\ne}}
\DeclareUnicodeCharacter{2211}{\ensuremath{\sum}}
\DeclareUnicodeCharacter{22A4}{\ensuremath{\top}}
\DeclareUnicodeCharacter{2202}{\ensuremath{\partial}}
\DeclareUnicodeCharacter{2207}{\ensuremath{\nabla}}
\allowdisplaybreaks
"""
    + "".join(
        f"\\DeclareUnicodeCharacter{{{ord(c):04X}}}{{\\ensuremath{{\\{name}}}}}\n"
        for c, name in zip(
            "αβγδεηθκλμνπρστφχψωΓΔΘΛΣΦΨΩ",
            "alpha beta gamma delta varepsilon eta theta kappa lambda mu nu pi rho sigma tau "
            "varphi chi psi omega Gamma Delta Theta Lambda Sigma Phi Psi Omega".split(),
        )
    ),
    # 2 cm side margins: the widest displayed formulas fit the line
    "sphinxsetup": "hmargin={2cm,2cm}, verbatimwrapslines=true, verbatimforcewraps=true",
}
