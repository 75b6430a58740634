"""Uploaded files, kept where every web host sees them: in the database.

Web hosts share nothing but the database and Redis, so a file written to one
host's disk would be missing on the others. A file is a `stored_files` row
(type, size, SHA-256) and its bytes in 1 MiB `stored_file_chunks` rows, so
neither an upload nor a download ever holds a whole file in memory.
"""
