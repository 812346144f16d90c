"""(see DESIGN.md)."""
