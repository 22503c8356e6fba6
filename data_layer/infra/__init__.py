"""What the app stands on: the engine and its sessions, the write guard, the store's start-up, migrations,
backups, the cache, the audit chain, settings read from the environment."""
