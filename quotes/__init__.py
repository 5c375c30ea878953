"""The quote finder: quotes in a news article, their speakers and roles."""
