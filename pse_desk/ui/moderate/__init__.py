"""The Moderate workspace: comment queues, the comment table and the comment detail."""
