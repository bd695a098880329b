"""Uploads: request bodies streamed to a temp file in the data dir, with limits."""
