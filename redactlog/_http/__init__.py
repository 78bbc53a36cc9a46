"""Sans-IO request summaries shared by the WSGI, Flask and ASGI request loggers."""
