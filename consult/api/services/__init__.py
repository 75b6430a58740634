"""The API's services: tokens, and the reads the resources need."""
