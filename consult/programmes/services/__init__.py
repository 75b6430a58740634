"""Programme services: editing (programmes), pairs, figures, templates."""
