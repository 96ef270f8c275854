"""Domain services: each checks the actor's rights, validates, writes and audits in one go."""
