"""Knowledge tables built from shared/reference/domain-facts.md; every row keeps its source."""
