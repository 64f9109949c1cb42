"""Database pieces of the tenant key shape (decision 0011): constraints, migration operations, Citus."""
