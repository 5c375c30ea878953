"""Building and measuring stance models: corpus loading, model selection, evaluation."""
