"""Models in numpy with hand-written gradients over a params dict."""

from .mlp import MLP, History, train  # noqa: F401 (re-exported)
from .softmax import cross_entropy, init_softmax, softmax_loss_and_grad  # noqa: F401 (re-exported)
