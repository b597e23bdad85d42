"""Fleet audits: many agencies from one fleet file (``fleet.toml``, see ``docs/fleet.md``) in one run."""
