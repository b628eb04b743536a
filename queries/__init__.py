"""Named SQL queries (``queries/*.sql``), the runner that executes them and the
indicator definitions that both the queries' consumers and the screen read."""
