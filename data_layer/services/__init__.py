"""Write services: keyword-only, validated, audited, one transaction each."""
