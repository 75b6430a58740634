"""Directory services: profiles and listing, meeting requests, blocks and reports."""
