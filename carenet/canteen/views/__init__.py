"""The canteen's pages, one module per area (office, lists and cards, counter, reports, aid in kind)."""
