"""The demo data: data files (shared.toml, programs/*.toml) and the loader that reads them."""
