"""Where spec text comes from: files on disk and `REV:PATH` in a git repository."""
