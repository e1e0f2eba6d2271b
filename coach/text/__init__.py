"""Reading a draft: its parts, its measures, and which kind of message it is."""
