"""The Write workspace: the article list and the selected article's text."""
