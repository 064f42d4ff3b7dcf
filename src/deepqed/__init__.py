"""deepqed: an executable, machine-checked textbook of the mathematics of neural networks.

Subpackages follow the book's concepts: :mod:`deepqed.nn` (activations, multilayer perceptrons,
backpropagation), :mod:`deepqed.losses`, :mod:`deepqed.gradcheck`; the claims registry
(:mod:`deepqed.registry`) links the book's numbered statements to their witnesses
(:mod:`deepqed.witnesses`) and exercises (:mod:`deepqed.exercises`).
"""

__version__ = "0.1.0"
