"""Models in numpy with hand-written gradients over a params dict."""
