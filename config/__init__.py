"""Settings, database configuration and logging."""
