"""A study of many sittings: its timeline window and its transcripts and notes."""
