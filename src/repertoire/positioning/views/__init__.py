"""Pages of the positioning app, one module per subject; thin callers of services and selectors."""
