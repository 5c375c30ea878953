"""The stance classifier and the text processing it stands on."""
