"""A small throwaway book, built the way the README says a chapter is added: a MyST file and a
toctree line per chapter, a witness package, exercises.

``make_book(root, witnesses=...)`` writes a two-chapter book under ``root`` whose witness package
(a fresh name, so that books of different tests never share imported modules) lives in
``root / "pkg"``; the caller puts that folder on ``sys.path`` (the :func:`small_book` fixture in
``tests/conftest.py`` does). The Sphinx configuration uses the real extensions and the real
``deepqed.sphinxext``, without notebook execution, so a build takes seconds.
"""

from __future__ import annotations

import textwrap
import uuid
from pathlib import Path

CONF = """\
extensions = ["myst_parser", "sphinx_proof", "sphinx_exercise", "sphinx.ext.autodoc",
              "sphinx.ext.mathjax", "deepqed.sphinxext"]
myst_enable_extensions = ["colon_fence", "dollarmath", "amsmath"]
numfig = True
html_theme = "basic"
deepqed_witness_package = "{package}"
suppress_warnings = ["myst.header"]
"""

#: With ``notebooks=True``: MyST-NB in place of the MyST parser, executing the code cells as the
#: real book does (a failing cell is reported, not raised).
NOTEBOOK_CONF = """
extensions[0] = "myst_nb"
nb_execution_mode = "force"
nb_execution_raise_on_error = False
nb_execution_show_tb = True
"""

#: The front matter that makes MyST-NB read a MyST file as a notebook.
JUPYTEXT = """\
---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

"""

INDEX = """\
# A small book

```{{toctree}}
:caption: Part I Small
:numbered:

alpha/index
```

```{{toctree}}
:caption: Part II Smaller
:numbered:

beta/index
```

```{{toctree}}
:caption: Back matter

witnesses
```
"""

WITNESSES_PAGE = """\
# Witnesses

```{deepqed-witnesses}
```
"""

ALPHA = """\
# Alpha

:::{prf:definition} Square
:label: def-alpha-square

$s(x) = x^2$ for $x\\in\\mathbb R$.
:::

:::{prf:theorem} A bound
:label: thm-alpha-bound

For $x\\in[0, 1]$, $s(x)\\le x$, with equality at $x = 1$.
:::

:::{prf:proof}
$x^2 = x\\cdot x\\le x$.
:::
"""

ALPHA_EXERCISE = """

::::{exercise} Squares are not below their argument on the right
:label: ex-alpha-prove

Prove that $x^2\\ge x$ for $x\\ge 1$.
::::

::::{solution} ex-alpha-prove
:class: dropdown

$x^2 - x = x(x - 1)\\ge 0$.
::::
"""

ALPHA_EXERCISE_SPEC = """\
from deepqed.exercises.spec import Prove

EXERCISE = Prove(id="ex-alpha-prove", title="Squares on the right", hint="Factor.",
                 solution="x^2 - x = x(x - 1) >= 0.")
"""

BETA = """\
# Beta

:::{prf:lemma} Doubling
:label: lem-beta-double

$2x = x + x$.
:::
"""

#: The witnesses of the two chapters; ``{extra}`` is replaced by extra entries of alpha's CLAIMS.
ALPHA_WITNESSES = """\
import numpy as np
from deepqed.evidence import Evidence, error, upper, equal
from deepqed.registry import Witness


def square_matches(rng):
    x = rng.standard_normal(5)
    return Evidence(5, (error("$s(x)$ against $x\\\\cdot x$", float(np.max(np.abs(x**2 - x*x))),
                              0.0),))


def bound_holds(rng):
    x = rng.uniform(0, 1, 50)
    return Evidence(50, (upper("$\\\\max s(x)/x$", float(np.max(x**2 / x)), 1.0),
                         equal("$s(1)/1$", 1.0, 1.0, 0.0, attains=True)))

{functions}

CLAIMS = (
    Witness("def-alpha-square", square_matches, "against multiplication", strength="exact"),
    Witness("thm-alpha-bound", bound_holds, "on random points", strength="sharp"),
{extra})
"""

BETA_WITNESSES = """\
from deepqed.evidence import Evidence, error
from deepqed.registry import Witness


def doubling(rng, dtype):
    x = rng.standard_normal(4).astype(dtype)
    return Evidence(4, (error("$2x - (x + x)$", float(abs(2 * x - (x + x)).max()), 0.0),))


CLAIMS = (Witness("lem-beta-double", doubling, "exact in floating point", strength="exact",
                  dtypes=("float32", "float64")),)
"""

#: Witnesses that misbehave, added to alpha's CLAIMS by name.
MISBEHAVING = {
    "failing": (
        'def fails(rng):\n    return Evidence(1, (error("deliberately wrong", 1.0, 1e-10),))\n',
        'Witness("thm-alpha-bound", fails, "wrong on purpose")',
    ),
    "raising": (
        'def crashes(rng):\n    raise RuntimeError("boom")\n',
        'Witness("thm-alpha-bound", crashes, "raises")',
    ),
    "hanging": (
        "def hangs(rng):\n    while True:\n        pass\n",
        'Witness("thm-alpha-bound", hangs, "computes forever", timeout=2.0)',
    ),
    "blocked": (
        "def waits(rng):\n    import time\n    while True:\n        time.sleep(0.05)\n",
        'Witness("thm-alpha-bound", waits, "waits forever", timeout=0.2)',
    ),
    "dying": (
        "def dies(rng):\n    import os\n    os._exit(3)\n",
        'Witness("thm-alpha-bound", dies, "kills its process")',
    ),
    "mistiered": (
        'def claims_exact(rng):\n    return Evidence(1, (upper("a bound", 0.5, 1.0),))\n',
        'Witness("thm-alpha-bound", claims_exact, "a bound called exact", strength="exact")',
    ),
    "malformed": (
        "def returns_a_number(rng):\n    return 0.0\n",
        'Witness("thm-alpha-bound", returns_a_number, "no evidence")',
    ),
}


def make_book(
    root: Path, *, misbehaving: tuple[str, ...] = (), notebooks: bool = False
) -> tuple[Path, str]:
    """Write the small book under ``root / "book"`` and its witness package under
    ``root / "pkg"``; return the book folder and the package name. With ``notebooks``, the
    chapters are notebooks executed by MyST-NB, as the real book's are."""
    package = f"smallbook_{uuid.uuid4().hex[:12]}"
    book = root / "book"
    (book / "alpha" / "exercises").mkdir(parents=True)
    (book / "beta").mkdir(parents=True)
    (book / "conf.py").write_text(CONF.format(package=package) + (NOTEBOOK_CONF * notebooks))
    (book / "index.md").write_text(INDEX.format())
    (book / "witnesses.md").write_text(WITNESSES_PAGE)
    (book / "alpha" / "index.md").write_text(JUPYTEXT * notebooks + ALPHA + ALPHA_EXERCISE)
    (book / "alpha" / "exercises" / "ex_alpha_prove.py").write_text(ALPHA_EXERCISE_SPEC)
    (book / "beta" / "index.md").write_text(BETA)
    pkg = root / "pkg" / package
    (pkg / "alpha").mkdir(parents=True)
    (pkg / "beta").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    functions = "\n".join(MISBEHAVING[m][0] for m in misbehaving)
    extra = "".join(f"    {MISBEHAVING[m][1]},\n" for m in misbehaving)
    (pkg / "alpha" / "__init__.py").write_text(
        ALPHA_WITNESSES.format(functions=functions, extra=extra)
    )
    (pkg / "beta" / "__init__.py").write_text(textwrap.dedent(BETA_WITNESSES))
    return book, package
