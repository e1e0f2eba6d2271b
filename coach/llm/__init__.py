"""The LLM layer: prompts from the guidance, structured answers, bounded retries.

Nothing here is imported on the offline path: the CLI loads this package only
when a model is configured (an API key or a base URL) and not ``--offline``.
"""
